package app.flagger.model;

/** API group, version and well-known keys of Flagger's custom resources. */
public final class FlaggerGroup {
  private FlaggerGroup() {}

  public static final String GROUP = "flagger.app";
  public static final String VERSION = "v1beta1";
  public static final String API_VERSION = GROUP + "/" + VERSION;

  /** Finalizer added when {@code spec.revertOnDeletion} is set. */
  public static final String FINALIZER = "finalizer.flagger.app";

  /** Annotation carrying a fresh id on every promotion of the primary's pod template. */
  public static final String FLAGGER_ID_ANNOTATION = "flagger-id";

  /** Suffix of the primary workload, services and copied configs. */
  public static final String PRIMARY_SUFFIX = "-primary";

  /** Suffix of the canary service. */
  public static final String CANARY_SUFFIX = "-canary";

  /** Suffix of the same-age baseline's Deployment and Service ({@code analysis.baseline}). */
  public static final String BASELINE_SUFFIX = "-baseline";

  /** Reason of every Kubernetes event Flagger records on a Canary. */
  public static final String EVENT_REASON = "Synced";

  /** Component name in Kubernetes events and the user agent. */
  public static final String COMPONENT = "flagger";
}
