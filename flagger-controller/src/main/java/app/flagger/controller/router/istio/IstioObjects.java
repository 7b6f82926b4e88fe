package app.flagger.controller.router.istio;

import app.flagger.model.FlaggerGroup;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CustomMetadata;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Names, resource contexts and shared helpers of the Istio objects Flagger manages. */
final class IstioObjects {
  private IstioObjects() {}

  static final String GROUP = "networking.istio.io";
  static final String VERSION = "v1beta1";
  static final String API_VERSION = GROUP + "/" + VERSION;

  /** Where the original spec of a taken-over VirtualService is kept. */
  static final String ORIGINAL_CONFIGURATION = "flagger.kubernetes.io/original-configuration";

  static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  /** Annotations that stop Flux from reverting Flagger's changes. */
  static final Map<String, String> TOOLKIT_ANNOTATIONS =
      Map.of(
          "kustomize.toolkit.fluxcd.io/reconcile", "disabled",
          "helm.toolkit.fluxcd.io/driftDetection", "disabled");

  static final ResourceDefinitionContext VIRTUAL_SERVICES =
      context("VirtualService", "virtualservices");

  static final ResourceDefinitionContext DESTINATION_RULES =
      context("DestinationRule", "destinationrules");

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private static ResourceDefinitionContext context(String kind, String plural) {
    return new ResourceDefinitionContext.Builder()
        .withGroup(GROUP)
        .withVersion(VERSION)
        .withKind(kind)
        .withPlural(plural)
        .withNamespaced(true)
        .build();
  }

  /** A model record (TrafficPolicy, HttpMatchRequest, ...) as the plain map Istio's JSON has. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> toMap(Object value) {
    return SERIALIZATION.convertValue(value, LinkedHashMap.class);
  }

  @SuppressWarnings("unchecked")
  static List<Object> toList(List<?> values) {
    return SERIALIZATION.convertValue(values, List.class);
  }

  static String toJson(Object value) {
    return SERIALIZATION.asJson(value);
  }

  static Object fromJson(String json) {
    return SERIALIZATION.unmarshal(json, LinkedHashMap.class);
  }

  /** Metadata of a generated object: owner reference, custom labels/annotations, Flux opt-out. */
  static ObjectMeta metadata(Canary canary, String name, CustomMetadata custom) {
    Map<String, String> annotations = new LinkedHashMap<>();
    Map<String, String> labels = new LinkedHashMap<>();
    if (custom != null) {
      if (custom.annotations() != null) {
        annotations.putAll(custom.annotations());
      }
      if (custom.labels() != null) {
        labels.putAll(custom.labels());
      }
    }
    annotations.putAll(TOOLKIT_ANNOTATIONS);
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(canary.getMetadata().getNamespace())
        .withLabels(labels)
        .withAnnotations(annotations)
        .withOwnerReferences(
            new OwnerReferenceBuilder()
                .withApiVersion(FlaggerGroup.API_VERSION)
                .withKind("Canary")
                .withName(canary.getMetadata().getName())
                .withUid(canary.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build())
        .build();
  }

  static GenericKubernetesResource resource(
      String kind, ObjectMeta meta, Map<String, Object> spec) {
    GenericKubernetesResource r = new GenericKubernetesResource();
    r.setApiVersion(API_VERSION);
    r.setKind(kind);
    r.setMetadata(meta);
    r.setAdditionalProperty("spec", spec);
    return r;
  }

  /** Whether {@code meta} has an owner reference to this Canary. */
  static boolean ownedBy(ObjectMeta meta, Canary canary) {
    return meta.getOwnerReferences() != null
        && meta.getOwnerReferences().stream()
            .anyMatch(
                o ->
                    "Canary".equals(o.getKind())
                        && canary.getMetadata().getName().equals(o.getName()));
  }
}
