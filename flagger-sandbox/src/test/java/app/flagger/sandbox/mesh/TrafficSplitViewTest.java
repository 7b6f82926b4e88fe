package app.flagger.sandbox.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

/** The mesh reads TrafficSplits as Flagger's SMI router writes them for every version. */
class TrafficSplitViewTest {
  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  /** An object podinfo in namespace test with {@code spec} (YAML). */
  static GenericKubernetesResource object(String apiVersion, String kind, String spec) {
    String yaml =
        """
        apiVersion: %s
        kind: %s
        metadata: {name: podinfo, namespace: test}
        spec:
        """
                .formatted(apiVersion, kind)
            + spec.indent(2);
    return YAML.unmarshal(yaml, GenericKubernetesResource.class);
  }

  static TrafficSplitView parse(String version, String spec) {
    return TrafficSplitView.of(object("split.smi-spec.io/" + version, "TrafficSplit", spec));
  }

  @Test
  void readsQuantityWeightsOfV1alpha1() {
    TrafficSplitView t =
        parse(
            "v1alpha1",
            """
            service: podinfo
            backends:
              - {service: podinfo-canary, weight: "10"}
              - {service: podinfo-primary, weight: "900m"}
            """);
    assertThat(t.kind()).isEqualTo("TrafficSplit");
    assertThat(t.gateway()).isFalse();
    assertThat(t.splits(new HostName("podinfo.test", "podinfo", "test"))).isTrue();
    assertThat(t.splits(new HostName("podinfo.other", "podinfo", "other"))).isFalse();
    assertThat(t.splits(new HostName("podinfo-canary.test", "podinfo-canary", "test"))).isFalse();
    assertThat(t.http().getFirst().destinations())
        .containsExactly(
            new WeightedDestination("podinfo-canary", 10_000),
            new WeightedDestination("podinfo-primary", 900));
    assertThat(t.http().getFirst().matches(new MeshRequest("GET", "/", java.util.Map.of())))
        .isTrue();
  }

  @Test
  void readsIntegerWeightsAndQualifiedServiceNames() {
    TrafficSplitView t =
        parse(
            "v1alpha3",
            """
            service: podinfo.test.svc.cluster.local
            backends:
              - {service: podinfo-canary, weight: 30}
              - {service: podinfo-primary, weight: 70}
            """);
    assertThat(t.splits(new HostName("podinfo", "podinfo", "test"))).isTrue();
    assertThat(t.http().getFirst().destinations())
        .extracting(WeightedDestination::weight)
        .containsExactly(30_000, 70_000);
  }

  @Test
  void badWeightsAreNamed() {
    assertThatThrownBy(
            () ->
                parse(
                    "v1alpha2",
                    """
                    service: podinfo
                    backends: [{service: podinfo-canary, weight: lots}]
                    """))
        .hasMessage(
            "TrafficSplit test/podinfo spec.backends[0].weight must be a number or a quantity like"
                + " 90 or 500m, got lots");
    assertThatThrownBy(() -> parse("v1alpha2", "backends: []"))
        .hasMessage("TrafficSplit test/podinfo spec.service is required");
  }
}
