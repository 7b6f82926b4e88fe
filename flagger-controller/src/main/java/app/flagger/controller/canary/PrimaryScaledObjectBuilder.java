package app.flagger.controller.canary;

import app.flagger.controller.kube.Owners;
import app.flagger.model.FlaggerGroup;
import app.flagger.model.canary.AutoscalerReference;
import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the target's KEDA ScaledObject ({@code keda.sh/v1alpha1}) into the desired {@code
 * <name>-primary} (pure; no client), as Flagger's {@code ScaledObjectReconciler}: aimed at {@code
 * <target>-primary}, the spec fields Flagger's KEDA model knows copied, the trigger queries pointed
 * at the primary, {@code primaryScalerReplicas} applied.
 */
public final class PrimaryScaledObjectBuilder {
  public static final String API_VERSION = "keda.sh/v1alpha1";
  public static final String KIND = "ScaledObject";

  /** KEDA keeps a ScaledObject's workload at this many replicas while the annotation is set. */
  public static final String PAUSED_REPLICAS = "autoscaling.keda.sh/paused-replicas";

  public static final ResourceDefinitionContext SCALED_OBJECTS =
      new ResourceDefinitionContext.Builder()
          .withGroup("keda.sh")
          .withVersion("v1alpha1")
          .withKind(KIND)
          .withPlural("scaledobjects")
          .withNamespaced(true)
          .build();

  /** The spec fields Flagger copies besides scaleTargetRef, advanced and triggers. */
  private static final List<String> COPIED =
      List.of(
          "pollingInterval",
          "cooldownPeriod",
          "idleReplicaCount",
          "minReplicaCount",
          "maxReplicaCount");

  private static final List<String> TARGET_REF_FIELDS =
      List.of("apiVersion", "kind", "envSourceContainerName");

  /** Stands for {@code <target>-canary} while {@code <target>} is rewritten. */
  private static final String PLACEHOLDER = "\u0000canary\u0000";

  private PrimaryScaledObjectBuilder() {}

  /**
   * The primary ScaledObject as Flagger creates it: labels and annotations of the target without
   * the Flux toolkit ones (and without {@link #PAUSED_REPLICAS}, so a primary created while the
   * target is paused is not paused too), the Canary as controller owner.
   */
  public static GenericKubernetesResource build(Canary canary, GenericKubernetesResource target) {
    Map<String, String> annotations = Labels.withoutToolkit(target.getMetadata().getAnnotations());
    annotations.remove(PAUSED_REPLICAS);
    GenericKubernetesResource so = new GenericKubernetesResource();
    so.setApiVersion(API_VERSION);
    so.setKind(KIND);
    so.setMetadata(
        new ObjectMetaBuilder()
            .withName(canary.getSpec().autoscalerRef().name() + FlaggerGroup.PRIMARY_SUFFIX)
            .withNamespace(canary.getMetadata().getNamespace())
            .withLabels(Labels.withoutToolkit(target.getMetadata().getLabels()))
            .withAnnotations(annotations)
            .withOwnerReferences(Owners.of(canary))
            .build());
    so.setAdditionalProperty("spec", spec(canary, spec(target)));
    return so;
  }

  /** The primary's spec for the target's spec {@code target}. */
  static Map<String, Object> spec(Canary canary, Map<String, Object> target) {
    String primary = canary.getSpec().targetRef().name() + FlaggerGroup.PRIMARY_SUFFIX;
    Map<String, Object> spec = new LinkedHashMap<>();
    Map<String, Object> ref = new LinkedHashMap<>();
    ref.put("name", primary);
    Map<String, Object> targetRef = map(target.get("scaleTargetRef"));
    for (String field : TARGET_REF_FIELDS) {
      Object v = targetRef.get(field);
      if (v != null && !"".equals(v)) {
        ref.put(field, v);
      }
    }
    spec.put("scaleTargetRef", ref);
    for (String field : COPIED) {
      if (target.get(field) != null) {
        spec.put(field, target.get(field));
      }
    }
    spec.put("advanced", advanced(map(target.get("advanced"))));
    if (target.get("triggers") != null) {
      spec.put("triggers", triggers(canary, target.get("triggers")));
    }
    if (target.get("fallback") != null) {
      spec.put("fallback", copy(target.get("fallback")));
    }
    AutoscalerReference.ScalerReplicas replicas =
        canary.getSpec().autoscalerRef().primaryScalerReplicas();
    if (replicas != null && replicas.minReplicas() != null) {
      spec.put("minReplicaCount", replicas.minReplicas());
    }
    if (replicas != null && replicas.maxReplicas() != null) {
      spec.put("maxReplicaCount", replicas.maxReplicas());
    }
    return spec;
  }

  /**
   * {@code advanced}, always present with a {@code horizontalPodAutoscalerConfig}: a name set there
   * gets {@code -primary}, so KEDA's HPA of the primary does not fight the target's.
   */
  private static Map<String, Object> advanced(Map<String, Object> target) {
    Map<String, Object> advanced = map(copy(target));
    Map<String, Object> hpa = map(advanced.get("horizontalPodAutoscalerConfig"));
    Object name = hpa.get("name");
    if (name instanceof String s && !s.isEmpty()) {
      hpa.put("name", s + FlaggerGroup.PRIMARY_SUFFIX);
    }
    advanced.put("horizontalPodAutoscalerConfig", hpa);
    return advanced;
  }

  /**
   * The triggers with {@code metadata.query} for the primary: with {@code primaryScalerQueries},
   * the query of each trigger named there is replaced (names matching no trigger, and triggers not
   * named, are left alone); without, every query is rewritten by {@link #rewriteQuery}.
   */
  private static List<Object> triggers(Canary canary, Object target) {
    Map<String, String> queries = canary.getSpec().autoscalerRef().primaryScalerQueries();
    String targetName = canary.getSpec().targetRef().name();
    List<Object> triggers = new ArrayList<>();
    for (Object t : (List<?>) target) {
      Map<String, Object> trigger = map(copy(t));
      Map<String, Object> metadata = map(trigger.get("metadata"));
      if (queries != null) {
        Object name = trigger.get("name");
        if (name != null && queries.containsKey(name)) {
          metadata.put("query", queries.get(name));
          trigger.put("metadata", metadata);
        }
      } else if (metadata.get("query") instanceof String query) {
        metadata.put("query", rewriteQuery(query, targetName));
        trigger.put("metadata", metadata);
      }
      triggers.add(trigger);
    }
    return triggers;
  }

  /**
   * Flagger's best-effort rewrite: {@code <target>-canary} and {@code <target>} both become {@code
   * <target>-primary}.
   */
  public static String rewriteQuery(String query, String targetName) {
    String primary = targetName + FlaggerGroup.PRIMARY_SUFFIX;
    return query
        .replace(targetName + "-canary", PLACEHOLDER)
        .replace(targetName, primary)
        .replace(PLACEHOLDER, primary);
  }

  /** The {@code spec} of a ScaledObject read through the API; empty when it has none. */
  static Map<String, Object> spec(GenericKubernetesResource so) {
    return map(so.getAdditionalProperties().get("spec"));
  }

  /** {@code o} as a mutable map; an empty one when it is not a map. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : new LinkedHashMap<>();
  }

  /** A deep copy of a JSON tree of maps, lists and scalars. */
  private static Object copy(Object o) {
    if (o instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(String.valueOf(k), copy(v)));
      return out;
    }
    if (o instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(v -> out.add(copy(v)));
      return out;
    }
    return o;
  }
}
