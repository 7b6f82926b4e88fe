package app.flagger.controller.canary;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.support.CanaryFixture;
import app.flagger.controller.support.ScaledObjectFixture;
import app.flagger.model.canary.AutoscalerReference;
import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The primary ScaledObject field by field, against Flagger's {@code
 * scaled_object_reconciler_test.go} ({@code Test_reconcilePrimaryScaledObject}, {@code
 * Test_setPrimaryScaledObjectQueries}) for the same input.
 */
class PrimaryScaledObjectBuilderTest {
  private static Canary canary(AutoscalerReference ref) {
    Canary c = new Canary();
    c.setMetadata(
        new ObjectMetaBuilder()
            .withName(CanaryFixture.NAME)
            .withNamespace(CanaryFixture.NS)
            .withUid("uid-1")
            .build());
    c.setSpec(ScaledObjectFixture.withScaledObject(CanaryFixture.spec("kubernetes", null), ref));
    return c;
  }

  private static Canary canary() {
    return canary(ScaledObjectFixture.ref(null, null));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> at(Map<String, Object> m, String key) {
    return (Map<String, Object>) m.get(key);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> triggers(Map<String, Object> spec) {
    return (List<Map<String, Object>>) spec.get("triggers");
  }

  private static String query(Map<String, Object> trigger) {
    return (String) at(trigger, "metadata").get("query");
  }

  @Test
  void primaryCopiesTheTargetAimedAtThePrimaryWithTheQueryRewritten() {
    GenericKubernetesResource target = ScaledObjectFixture.scaledObject(CanaryFixture.NS);

    GenericKubernetesResource primary = PrimaryScaledObjectBuilder.build(canary(), target);

    assertThat(primary.getApiVersion()).isEqualTo("keda.sh/v1alpha1");
    assertThat(primary.getKind()).isEqualTo("ScaledObject");
    assertThat(primary.getMetadata().getName()).isEqualTo("podinfo-primary");
    assertThat(primary.getMetadata().getNamespace()).isEqualTo("default");
    assertThat(primary.getMetadata().getAnnotations())
        .containsExactlyEntriesOf(Map.of("scaledobject.keda.sh/transfer-hpa-ownership", "true"));
    assertThat(primary.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getKind()).isEqualTo("Canary"))
        .satisfies(o -> assertThat(o.getName()).isEqualTo("podinfo"))
        .satisfies(o -> assertThat(o.getController()).isTrue());
    Map<String, Object> spec = PrimaryScaledObjectBuilder.spec(primary);
    assertThat(spec)
        .containsOnlyKeys(
            "scaleTargetRef",
            "pollingInterval",
            "minReplicaCount",
            "maxReplicaCount",
            "advanced",
            "triggers");
    assertThat(at(spec, "scaleTargetRef"))
        .containsExactlyEntriesOf(Map.of("name", "podinfo-primary"));
    assertThat(at(at(spec, "advanced"), "horizontalPodAutoscalerConfig"))
        .containsExactlyEntriesOf(Map.of("name", "podinfo-primary"));
    assertThat(spec.get("pollingInterval")).isEqualTo(10);
    assertThat(spec.get("minReplicaCount")).isEqualTo(1);
    assertThat(spec.get("maxReplicaCount")).isEqualTo(4);
    assertThat(triggers(spec))
        .singleElement()
        .satisfies(t -> assertThat(t.get("type")).isEqualTo("prometheus"))
        .satisfies(t -> assertThat(t.get("metricType")).isEqualTo("AverageValue"))
        .satisfies(t -> assertThat(query(t)).isEqualTo(ScaledObjectFixture.QUERY_PRIMARY))
        .satisfies(
            t ->
                assertThat(at(t, "metadata"))
                    .containsEntry("serverAddress", "http://flagger-prometheus.projectcontour:9090")
                    .containsEntry("metricName", "http_requests_total")
                    .containsEntry("threshold", "100"));
    assertThat(query(triggers(PrimaryScaledObjectBuilder.spec(target)).get(0)))
        .as("the target is left as it was")
        .isEqualTo(ScaledObjectFixture.QUERY_CANARY);
  }

  @Test
  void primaryScalerReplicasOverrideTheBounds() {
    Map<String, Object> spec =
        PrimaryScaledObjectBuilder.spec(
            PrimaryScaledObjectBuilder.build(
                canary(
                    ScaledObjectFixture.ref(null, new AutoscalerReference.ScalerReplicas(2, 15))),
                ScaledObjectFixture.scaledObject(CanaryFixture.NS)));

    assertThat(spec.get("minReplicaCount")).isEqualTo(2);
    assertThat(spec.get("maxReplicaCount")).isEqualTo(15);
    assertThat(spec.get("pollingInterval")).isEqualTo(10);
  }

  @Test
  void onlyFlaggersFieldsAreCopiedAndAnUnnamedHpaStaysUnnamed() {
    GenericKubernetesResource target = ScaledObjectFixture.scaledObject(CanaryFixture.NS);
    Map<String, Object> targetSpec = PrimaryScaledObjectBuilder.spec(target);
    targetSpec.remove("advanced");
    targetSpec.put(
        "scaleTargetRef",
        Map.of("name", "podinfo", "kind", "Deployment", "apiVersion", "apps/v1", "extra", "x"));
    targetSpec.put("cooldownPeriod", 30);
    targetSpec.put("idleReplicaCount", 0);
    targetSpec.put("fallback", Map.of("failureThreshold", 3, "replicas", 2));
    targetSpec.put("initialCooldownPeriod", 60);
    target
        .getMetadata()
        .setLabels(Map.of("app", "podinfo", "kustomize.toolkit.fluxcd.io/name", "x"));
    target
        .getMetadata()
        .setAnnotations(Map.of(PrimaryScaledObjectBuilder.PAUSED_REPLICAS, "0", "team", "a"));

    GenericKubernetesResource primary = PrimaryScaledObjectBuilder.build(canary(), target);
    Map<String, Object> spec = PrimaryScaledObjectBuilder.spec(primary);

    assertThat(at(spec, "scaleTargetRef"))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("name", "podinfo-primary", "kind", "Deployment", "apiVersion", "apps/v1"));
    assertThat(spec)
        .containsEntry("cooldownPeriod", 30)
        .containsEntry("idleReplicaCount", 0)
        .containsEntry("fallback", Map.of("failureThreshold", 3, "replicas", 2))
        .doesNotContainKey("initialCooldownPeriod");
    assertThat(at(spec, "advanced"))
        .containsExactlyEntriesOf(Map.of("horizontalPodAutoscalerConfig", Map.of()));
    assertThat(primary.getMetadata().getLabels())
        .containsExactlyEntriesOf(Map.of("app", "podinfo"));
    assertThat(primary.getMetadata().getAnnotations())
        .as("a primary created while the target is paused is not paused")
        .containsExactlyEntriesOf(Map.of("team", "a"));
  }

  /** Flagger's three rewrite cases of {@code Test_setPrimaryScaledObjectQueries}. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "sum(rate(http_requests_total{app=\"podinfo\"}[2m]))"
            + "|sum(rate(http_requests_total{app=\"podinfo-primary\"}[2m]))",
        "sum(rate(http_requests_total{app=\"podinfo-canary\"}[2m]))"
            + "|sum(rate(http_requests_total{app=\"podinfo-primary\"}[2m]))",
        "sum(rate(http_requests_total{app=\"podinfo-canary\", svc=\"podinfo\"}[2m]))"
            + "|sum(rate(http_requests_total{app=\"podinfo-primary\", svc=\"podinfo-primary\"}[2m]))"
      })
  void withoutPrimaryScalerQueriesTargetAndCanaryNamesBecomeThePrimary(String query, String want) {
    assertThat(PrimaryScaledObjectBuilder.rewriteQuery(query, "podinfo")).isEqualTo(want);
  }

  @Test
  void primaryScalerQueriesReplaceTheQueryOfTheTriggerWithThatNameOnly() {
    String pq1 =
        "sum(rate(envoy_cluster_upstream_rq{ envoy_cluster_name=\"test_podinfo-primary_80\" }[30s]))";
    String pq2 = "sum(rate(envoy_cluster_upstream_rq{ envoy_cluster_name=\"test_podinfo\" }[30s]))";
    GenericKubernetesResource target = ScaledObjectFixture.scaledObject(CanaryFixture.NS);
    PrimaryScaledObjectBuilder.spec(target)
        .put(
            "triggers",
            List.of(
                trigger("trigger1", "old1"),
                trigger("trigger2", "old2"),
                trigger("trigger3", ScaledObjectFixture.QUERY_CANARY),
                trigger(null, ScaledObjectFixture.QUERY_CANARY)));
    Map<String, String> queries = new LinkedHashMap<>();
    queries.put("trigger1", pq1);
    queries.put("trigger2", pq2);
    queries.put("no-such-trigger", "ignored");

    List<Map<String, Object>> triggers =
        triggers(
            PrimaryScaledObjectBuilder.spec(
                PrimaryScaledObjectBuilder.build(
                    canary(ScaledObjectFixture.ref(queries, null)), target)));

    assertThat(triggers)
        .extracting(t -> query(t))
        .containsExactly(
            pq1, pq2, ScaledObjectFixture.QUERY_CANARY, ScaledObjectFixture.QUERY_CANARY);
    assertThat(triggers)
        .extracting(t -> t.get("name"))
        .containsExactly("trigger1", "trigger2", "trigger3", null);
  }

  private static Map<String, Object> trigger(String name, String query) {
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("type", "prometheus");
    if (name != null) {
      t.put("name", name);
    }
    t.put("metadata", new LinkedHashMap<>(Map.of("query", query)));
    return t;
  }
}
