package app.flagger.controller.kube;

import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.logging.Logger;

/**
 * Knative Services and Revisions ({@code serving.knative.dev/v1}) read and written as {@link
 * GenericKubernetesResource}s, with the fields Flagger uses: the {@code
 * flagger.app/primary-revision} annotation, {@code spec.traffic}, {@code
 * status.latestCreatedRevisionName}, {@code status.traffic} and a Revision's {@code Ready}
 * condition. The API's failures are {@link KubernetesClientException}s; callers add their message.
 */
public final class KnativeServices {
  /** The annotation naming the revision that serves as the primary. */
  public static final String PRIMARY_REVISION = "flagger.app/primary-revision";

  public static final ResourceDefinitionContext SERVICES = context("Service", "services");
  public static final ResourceDefinitionContext REVISIONS = context("Revision", "revisions");

  static final int CONFLICT_ATTEMPTS = 3;
  private static final Logger LOG = Logger.getLogger(KnativeServices.class.getName());

  private final KubernetesClient client;

  public KnativeServices(KubernetesClient client) {
    this.client = client;
  }

  /** The Knative Service, or null when it does not exist. */
  public GenericKubernetesResource service(String ns, String name) {
    return client.genericKubernetesResources(SERVICES).inNamespace(ns).withName(name).get();
  }

  /** The Revision, or null when it does not exist. */
  public GenericKubernetesResource revision(String ns, String name) {
    return client.genericKubernetesResources(REVISIONS).inNamespace(ns).withName(name).get();
  }

  /**
   * The Knative Service; an error made by {@code error} from Flagger's message ({@code Knative
   * Service <name>.<ns> get query error: ...}) when it cannot be read or does not exist.
   */
  public GenericKubernetesResource require(String ns, String name, Errors error) {
    GenericKubernetesResource svc;
    try {
      svc = service(ns, name);
    } catch (KubernetesClientException e) {
      throw error.make(key(ns, name) + " get query error: " + KubeErrors.message(e), e);
    }
    if (svc == null) {
      throw notFound(ns, name, error);
    }
    return svc;
  }

  /**
   * Reads the Service, lets {@code change} edit it in place and updates it when {@code change}
   * returns true; read again and retried on a 409 (up to three attempts). Returns whether it
   * updated. Failures are errors made by {@code error} ({@code ... update query error: ...}).
   */
  public boolean update(
      String ns, String name, Predicate<GenericKubernetesResource> change, Errors error) {
    for (int attempt = 1; ; attempt++) {
      GenericKubernetesResource current = require(ns, name, error);
      if (!change.test(current)) {
        return false;
      }
      try {
        client.genericKubernetesResources(SERVICES).inNamespace(ns).resource(current).update();
        LOG.info(() -> key(ns, name) + " updated");
        return true;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= CONFLICT_ATTEMPTS) {
          throw error.make(key(ns, name) + " update query error: " + KubeErrors.message(e), e);
        }
      }
    }
  }

  /** The target Knative Service of {@code canary}; see {@link #require(String, String, Errors)}. */
  public GenericKubernetesResource require(Canary canary, Errors error) {
    return require(canary.getMetadata().getNamespace(), name(canary), error);
  }

  /**
   * Updates the target of {@code canary}; see {@link #update(String, String, Predicate, Errors)}.
   */
  public boolean update(Canary canary, Predicate<GenericKubernetesResource> change, Errors error) {
    return update(canary.getMetadata().getNamespace(), name(canary), change, error);
  }

  /** {@code Knative Service <target>.<ns>}, naming the target of {@code canary}. */
  public static String key(Canary canary) {
    return key(canary.getMetadata().getNamespace(), name(canary));
  }

  private static String name(Canary canary) {
    return canary.getSpec().targetRef().name();
  }

  /** Makes the caller's exception (a router's or a target controller's) from a message. */
  @FunctionalInterface
  public interface Errors {
    RuntimeException make(String message, Throwable cause);
  }

  /** {@code Knative Service <name>.<ns>}, as Flagger's messages name it. */
  public static String key(String ns, String name) {
    return "Knative Service " + name + "." + ns;
  }

  private static RuntimeException notFound(String ns, String name, Errors error) {
    return error.make(
        key(ns, name) + " get query error: services.serving.knative.dev \"" + name + "\" not found",
        null);
  }

  /** The primary revision annotation, or null when the Service has none. */
  public static String primaryRevision(GenericKubernetesResource svc) {
    Map<String, String> a = svc.getMetadata().getAnnotations();
    return a == null ? null : a.get(PRIMARY_REVISION);
  }

  /** Sets the primary revision annotation. */
  public static void primaryRevision(GenericKubernetesResource svc, String revision) {
    Map<String, String> a = new LinkedHashMap<>();
    if (svc.getMetadata().getAnnotations() != null) {
      a.putAll(svc.getMetadata().getAnnotations());
    }
    a.put(PRIMARY_REVISION, revision);
    svc.getMetadata().setAnnotations(a);
  }

  /** {@code status.latestCreatedRevisionName}; empty when Knative has not set it yet. */
  public static String latestCreatedRevision(GenericKubernetesResource svc) {
    return status(svc).get("latestCreatedRevisionName") instanceof String s ? s : "";
  }

  /** The entries of {@code status.traffic}, in order (empty when there are none). */
  public static List<Map<String, Object>> statusTraffic(GenericKubernetesResource svc) {
    return maps(status(svc).get("traffic"));
  }

  /**
   * Replaces {@code spec.traffic} with {@code traffic}; other spec keys ({@code template}, ...)
   * stay.
   */
  public static void specTraffic(GenericKubernetesResource svc, List<Map<String, Object>> traffic) {
    Map<String, Object> spec = new LinkedHashMap<>(map(svc.getAdditionalProperties().get("spec")));
    spec.put("traffic", traffic);
    svc.getAdditionalProperties().put("spec", spec);
  }

  /** The entries of {@code spec.traffic}, in order. */
  public static List<Map<String, Object>> specTraffic(GenericKubernetesResource svc) {
    return maps(map(svc.getAdditionalProperties().get("spec")).get("traffic"));
  }

  /**
   * Whether a Revision is ready as Knative's {@code Revision.IsReady} says: its {@code Ready}
   * condition is {@code True} and its status observed the current generation.
   */
  public static boolean ready(GenericKubernetesResource revision) {
    Map<String, Object> status = status(revision);
    Object observed = status.get("observedGeneration");
    Long generation = revision.getMetadata().getGeneration();
    if (observed instanceof Number n && generation != null && n.longValue() != generation) {
      return false;
    }
    return maps(status.get("conditions")).stream()
        .anyMatch(c -> "Ready".equals(c.get("type")) && "True".equals(c.get("status")));
  }

  /**
   * The {@code spec.traffic} Flagger writes (its router's {@code SetRoutes} and its controller's
   * {@code Initialize}): {@code canaryWeight} percent to the latest revision, then {@code
   * primaryWeight} percent to {@code primaryRevision}.
   */
  public static List<Map<String, Object>> traffic(
      String primaryRevision, int primaryWeight, int canaryWeight) {
    Map<String, Object> latest = new LinkedHashMap<>();
    latest.put("latestRevision", true);
    latest.put("percent", canaryWeight);
    Map<String, Object> primary = new LinkedHashMap<>();
    primary.put("revisionName", primaryRevision);
    primary.put("percent", primaryWeight);
    return List.of(latest, primary);
  }

  private static Map<String, Object> status(GenericKubernetesResource r) {
    return map(r.getAdditionalProperties().get("status"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  private static List<Map<String, Object>> maps(Object o) {
    List<Map<String, Object>> out = new ArrayList<>();
    if (o instanceof List<?> l) {
      for (Object e : l) {
        out.add(map(e));
      }
    }
    return out;
  }

  private static ResourceDefinitionContext context(String kind, String plural) {
    return new ResourceDefinitionContext.Builder()
        .withGroup("serving.knative.dev")
        .withVersion("v1")
        .withKind(kind)
        .withPlural(plural)
        .withNamespaced(true)
        .build();
  }
}
