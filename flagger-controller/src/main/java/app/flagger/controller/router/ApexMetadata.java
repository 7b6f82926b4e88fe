package app.flagger.controller.router;

import app.flagger.controller.kube.Owners;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryService;
import app.flagger.model.canary.CustomMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The labels and annotations Flagger puts on the routing object it owns ({@code <apex>} HTTPRoute,
 * TrafficRoute, ...): {@code service.apex}'s, plus Flux's opt-out annotations. Flagger's entries
 * win on update; entries others added are kept.
 */
public final class ApexMetadata {
  private ApexMetadata() {}

  /** The labels of {@code service.apex}. */
  public static Map<String, String> labels(Canary canary) {
    CustomMetadata apex = apex(canary);
    Map<String, String> labels = new LinkedHashMap<>();
    if (apex != null && apex.labels() != null) {
      labels.putAll(apex.labels());
    }
    return labels;
  }

  /** The annotations of {@code service.apex} plus Flux's opt-out. */
  public static Map<String, String> annotations(Canary canary) {
    CustomMetadata apex = apex(canary);
    Map<String, String> annotations = new LinkedHashMap<>();
    if (apex != null && apex.annotations() != null) {
      annotations.putAll(apex.annotations());
    }
    annotations.putAll(ApexServiceBuilder.TOOLKIT_ANNOTATIONS);
    return annotations;
  }

  /**
   * The metadata of the {@code <apex>} object a router creates in the Canary's namespace: the
   * labels and annotations above and the Canary as controller owner.
   */
  public static ObjectMeta objectMeta(Canary canary) {
    return new ObjectMetaBuilder()
        .withName(canary.getSpec().apexName())
        .withNamespace(canary.getMetadata().getNamespace())
        .withLabels(labels(canary))
        .withAnnotations(annotations(canary))
        .withOwnerReferences(Owners.of(canary))
        .build();
  }

  /** Whether {@code meta} lacks one of Flagger's labels or annotations (or has another value). */
  public static boolean outdated(ObjectMeta meta, Canary canary) {
    return !orEmpty(meta.getLabels()).entrySet().containsAll(labels(canary).entrySet())
        || !orEmpty(meta.getAnnotations()).entrySet().containsAll(annotations(canary).entrySet());
  }

  /** Puts Flagger's labels and annotations on {@code meta}, keeping the ones others added. */
  public static void mergeInto(ObjectMeta meta, Canary canary) {
    Map<String, String> labels = new LinkedHashMap<>(orEmpty(meta.getLabels()));
    labels.putAll(labels(canary));
    meta.setLabels(labels);
    Map<String, String> annotations = new LinkedHashMap<>(orEmpty(meta.getAnnotations()));
    annotations.putAll(annotations(canary));
    meta.setAnnotations(annotations);
  }

  private static CustomMetadata apex(Canary canary) {
    CanaryService service = canary.getSpec().service();
    return service == null ? null : service.apex();
  }

  private static Map<String, String> orEmpty(Map<String, String> m) {
    return m == null ? Map.of() : m;
  }
}
