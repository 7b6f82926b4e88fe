package app.flagger.controller.router;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.canary.TargetMetadata;
import app.flagger.controller.support.CanaryFixture;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CustomMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Service;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApexServiceBuilderTest {
  @Test
  void buildsAClusterIpServiceWithDiscoveredPortsAndFluxOptOut() {
    Canary c = new Canary();
    c.setMetadata(new ObjectMetaBuilder().withName("podinfo").withNamespace("test").build());
    c.setSpec(
        CanaryFixture.spec("kubernetes", CanaryFixture.analysis(10, null, null, 1, List.of())));
    TargetMetadata meta = new TargetMetadata("app", "podinfo", Map.of("http-metrics", 9797));
    Service s =
        ApexServiceBuilder.build(
            c,
            "podinfo-primary",
            "podinfo-primary",
            meta,
            new CustomMetadata(Map.of("team", "a"), Map.of("note", "x")));

    assertThat(s.getSpec().getType()).isEqualTo("ClusterIP");
    assertThat(s.getSpec().getSelector()).isEqualTo(Map.of("app", "podinfo-primary"));
    assertThat(s.getSpec().getPorts())
        .extracting(p -> p.getName() + ":" + p.getPort() + "->" + p.getTargetPort().getIntVal())
        .containsExactly("http:9898->9898", "http-metrics:9797->9797");
    assertThat(s.getMetadata().getLabels())
        .containsEntry("team", "a")
        .containsEntry("app", "podinfo-primary");
    assertThat(s.getMetadata().getAnnotations())
        .containsEntry("note", "x")
        .containsEntry("kustomize.toolkit.fluxcd.io/reconcile", "disabled")
        .containsEntry("helm.toolkit.fluxcd.io/driftDetection", "disabled");
  }
}
