package app.flagger.controller.router.knative;

import app.flagger.controller.kube.KnativeServices;
import app.flagger.controller.support.Crds;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryAnalysis;
import app.flagger.model.canary.CanarySpec;
import app.flagger.model.common.LocalObjectReference;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Knative Serving side of the tests: the Service and Revision CRDs, a podinfo Knative Service,
 * and what Knative's controller does with it, written through {@code /status}: a new revision per
 * template change ({@code <name>-0000n}), {@code latestCreatedRevisionName}, {@code
 * latestReadyRevisionName}, the {@code Ready} condition and {@code status.traffic} resolved from
 * {@code spec.traffic} (Flagger's {@code newTestKnativeCanary} and knative fixtures).
 */
public final class KnativeFixtures {
  public static final String KNATIVE_API_VERSION = "serving.knative.dev/v1";

  private final KubernetesClient client;
  private final String ns;
  private final String name;

  public KnativeFixtures(KubernetesClient client, String ns, String name) {
    this.client = client;
    this.ns = ns;
    this.name = name;
  }

  public static void registerCrds(KubernetesClient client) {
    Crds.registerResource(client, "/crds/knative-services.yaml");
    Crds.registerResource(client, "/crds/knative-revisions.yaml");
  }

  /** A Canary on the Knative Service {@code name} with provider knative and no spec.service. */
  public static Canary canary(String ns, String name) {
    Canary c = new Canary();
    c.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    c.setSpec(canarySpec(name, null, null));
    return c;
  }

  /** A knative spec on the Knative Service {@code name}. */
  public static CanarySpec canarySpec(String name, String metricsServer, CanaryAnalysis analysis) {
    return new CanarySpec(
        "knative",
        metricsServer,
        new LocalObjectReference(KNATIVE_API_VERSION, "Service", name),
        null,
        null,
        null,
        null,
        null,
        analysis,
        null,
        null,
        null,
        null,
        null);
  }

  /** Creates the Knative Service with {@code image}, then plays Knative: revision 1, ready. */
  public KnativeFixtures create(String image) {
    createUnreconciled(image);
    reconcile();
    return this;
  }

  /** Creates the Knative Service with {@code image}; Knative has not seen it yet. */
  public void createUnreconciled(String image) {
    GenericKubernetesResource svc = new GenericKubernetesResource();
    svc.setApiVersion(KNATIVE_API_VERSION);
    svc.setKind("Service");
    svc.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    svc.setAdditionalProperty("spec", Map.of("template", template(image)));
    client
        .genericKubernetesResources(KnativeServices.SERVICES)
        .inNamespace(ns)
        .resource(svc)
        .create();
  }

  /** Sets {@code status.latestCreatedRevisionName} only (Knative created a revision). */
  public void setLatestCreatedRevision(String revision) {
    GenericKubernetesResource svc = service();
    Map<String, Object> status = new LinkedHashMap<>();
    Object current = svc.getAdditionalProperties().get("status");
    if (current instanceof Map<?, ?> m) {
      m.forEach((k, v) -> status.put((String) k, v));
    }
    status.put("latestCreatedRevisionName", revision);
    writeStatus(svc, status);
  }

  /** Changes the image of the template (what a user does to release). */
  public void release(String image) {
    GenericKubernetesResource svc = service();
    Map<String, Object> spec = new LinkedHashMap<>(spec(svc));
    spec.put("template", template(image));
    svc.setAdditionalProperty("spec", spec);
    client
        .genericKubernetesResources(KnativeServices.SERVICES)
        .inNamespace(ns)
        .resource(svc)
        .update();
  }

  /**
   * What Knative's controller does: a new ready revision when the template changed since the latest
   * one, then the status (latest revisions, Ready, traffic resolved from spec.traffic).
   */
  public void reconcile() {
    GenericKubernetesResource svc = service();
    Map<String, Object> spec = spec(svc);
    String latest = KnativeServices.latestCreatedRevision(svc);
    GenericKubernetesResource latestRevision =
        latest.isEmpty() ? null : new KnativeServices(client).revision(ns, latest);
    if (latestRevision == null
        || !spec.get("template").equals(latestRevision.getAdditionalProperties().get("spec"))) {
      latest = name + String.format("-%05d", revisionCount() + 1);
      createRevision(latest, spec.get("template"), true);
    }
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("observedGeneration", svc.getMetadata().getGeneration());
    status.put("latestCreatedRevisionName", latest);
    status.put("latestReadyRevisionName", latest);
    status.put("conditions", List.of(Map.of("type", "Ready", "status", "True")));
    status.put("traffic", resolve(KnativeServices.specTraffic(svc), latest));
    writeStatus(service(), status);
  }

  private void writeStatus(GenericKubernetesResource svc, Map<String, Object> status) {
    svc.setAdditionalProperty("status", status);
    client
        .genericKubernetesResources(KnativeServices.SERVICES)
        .inNamespace(ns)
        .resource(svc)
        .updateStatus();
  }

  /** Creates revision {@code revision} with Ready {@code ready}. */
  public void createRevision(String revision, Object template, boolean ready) {
    GenericKubernetesResource r = new GenericKubernetesResource();
    r.setApiVersion(KNATIVE_API_VERSION);
    r.setKind("Revision");
    r.setMetadata(new ObjectMetaBuilder().withName(revision).withNamespace(ns).build());
    r.setAdditionalProperty("spec", template);
    GenericKubernetesResource created =
        client
            .genericKubernetesResources(KnativeServices.REVISIONS)
            .inNamespace(ns)
            .resource(r)
            .create();
    created.setAdditionalProperty(
        "status",
        Map.of("conditions", List.of(Map.of("type", "Ready", "status", ready ? "True" : "False"))));
    client
        .genericKubernetesResources(KnativeServices.REVISIONS)
        .inNamespace(ns)
        .resource(created)
        .updateStatus();
  }

  public GenericKubernetesResource service() {
    return new KnativeServices(client).service(ns, name);
  }

  /** The (primary, canary) percents of spec.traffic as Flagger writes it. */
  public List<Integer> specWeights() {
    List<Map<String, Object>> traffic = KnativeServices.specTraffic(service());
    int canary = -1;
    int primary = -1;
    for (Map<String, Object> t : traffic) {
      int p = ((Number) t.get("percent")).intValue();
      if (Boolean.TRUE.equals(t.get("latestRevision"))) {
        canary = p;
      } else {
        primary = p;
      }
    }
    return List.of(primary, canary);
  }

  private int revisionCount() {
    return client
        .genericKubernetesResources(KnativeServices.REVISIONS)
        .inNamespace(ns)
        .list()
        .getItems()
        .size();
  }

  /**
   * status.traffic as Knative reports it: every spec entry with its revision name filled in and
   * {@code latestRevision} set either way; all to the latest revision when spec.traffic is empty.
   */
  private static List<Map<String, Object>> resolve(
      List<Map<String, Object>> spec, String latestReady) {
    List<Map<String, Object>> out = new ArrayList<>();
    if (spec.isEmpty()) {
      out.add(Map.of("latestRevision", true, "revisionName", latestReady, "percent", 100));
      return out;
    }
    for (Map<String, Object> t : spec) {
      boolean latest = Boolean.TRUE.equals(t.get("latestRevision"));
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("latestRevision", latest);
      r.put("revisionName", latest ? latestReady : t.get("revisionName"));
      r.put("percent", t.get("percent"));
      out.add(r);
    }
    return out;
  }

  private static Map<String, Object> template(String image) {
    return Map.of(
        "spec",
        Map.of(
            "containers",
            List.of(
                Map.of(
                    "image",
                    image,
                    "ports",
                    List.of(Map.of("containerPort", 9898, "protocol", "TCP"))))));
  }

  /** The spec of a Knative Service as a map. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> spec(GenericKubernetesResource svc) {
    Object s = svc.getAdditionalProperties().get("spec");
    return s instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }
}
