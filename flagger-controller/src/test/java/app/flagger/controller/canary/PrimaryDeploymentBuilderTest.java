package app.flagger.controller.canary;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.support.CanaryFixture;
import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PrimaryDeploymentBuilderTest {
  static Canary canary() {
    Canary c = new Canary();
    c.setMetadata(
        new ObjectMetaBuilder()
            .withName("podinfo")
            .withNamespace("default")
            .withUid("uid-1")
            .build());
    c.setSpec(
        CanaryFixture.spec("kubernetes", CanaryFixture.analysis(10, null, null, 1, List.of())));
    return c;
  }

  @Test
  void primaryGetsPrimarySelectorRenamedConfigsAndAFlaggerId() {
    Deployment target = CanaryFixture.deployment("podinfo:1");
    target
        .getMetadata()
        .setLabels(
            Map.of(
                "app",
                "podinfo",
                "app.kubernetes.io/part-of",
                "demo",
                "kustomize.toolkit.fluxcd.io/name",
                "x"));
    TargetMetadata meta = new TargetMetadata("app", "podinfo", Map.of());
    Deployment p =
        new PrimaryDeploymentBuilder(new Labels(List.of("app.kubernetes.io")))
            .build(
                canary(),
                target,
                meta,
                Map.of(
                    "configmap",
                    Set.of("podinfo-config-env", "podinfo-config-vol"),
                    "secret",
                    Set.of("podinfo-secret-env")),
                "id-1");

    assertThat(p.getMetadata().getName()).isEqualTo("podinfo-primary");
    assertThat(p.getMetadata().getLabels())
        .containsEntry("app", "podinfo-primary")
        .containsEntry("app.kubernetes.io/part-of", "demo")
        .doesNotContainKey("kustomize.toolkit.fluxcd.io/name");
    assertThat(p.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getKind()).isEqualTo("Canary");
              assertThat(o.getController()).isTrue();
            });
    assertThat(p.getSpec().getSelector().getMatchLabels())
        .isEqualTo(Map.of("app", "podinfo-primary"));
    assertThat(p.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry("app", "podinfo-primary");
    assertThat(p.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry("flagger-id", "id-1");
    var container = p.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getEnv().get(0).getValueFrom().getConfigMapKeyRef().getName())
        .isEqualTo("podinfo-config-env-primary");
    assertThat(container.getEnvFrom().get(0).getSecretRef().getName())
        .isEqualTo("podinfo-secret-env-primary");
    assertThat(p.getSpec().getTemplate().getSpec().getVolumes().get(0).getConfigMap().getName())
        .isEqualTo("podinfo-config-vol-primary");
    assertThat(p.getSpec().getReplicas()).isEqualTo(1);
    assertThat(
            target.getSpec().getTemplate().getSpec().getVolumes().get(0).getConfigMap().getName())
        .as("target untouched")
        .isEqualTo("podinfo-config-vol");
  }

  @Test
  void configRefsFindsEveryKindOfReference() {
    var refs =
        ConfigRefs.of(CanaryFixture.deployment("podinfo:1").getSpec().getTemplate().getSpec());
    assertThat(refs)
        .extracting(ConfigRefs.Ref::key)
        .containsExactly(
            "configmap/podinfo-config-vol",
            "configmap/podinfo-config-env",
            "secret/podinfo-secret-env");
  }

  @Test
  void baselineIsThePrimaryWithBaselineLabelsAndTheCanarysReplicas() {
    Deployment target = CanaryFixture.deployment("podinfo:1");
    target
        .getSpec()
        .getTemplate()
        .getSpec()
        .setTopologySpreadConstraints(
            List.of(
                new TopologySpreadConstraintBuilder()
                    .withMaxSkew(1)
                    .withTopologyKey("kubernetes.io/hostname")
                    .withWhenUnsatisfiable("DoNotSchedule")
                    .withNewLabelSelector()
                    .withMatchLabels(Map.of("app", "podinfo"))
                    .endLabelSelector()
                    .build()));
    TargetMetadata meta = new TargetMetadata("app", "podinfo", Map.of());
    PrimaryDeploymentBuilder builder =
        new PrimaryDeploymentBuilder(new Labels(List.of("app.kubernetes.io")));
    Deployment primary =
        builder.build(
            canary(), target, meta, Map.of("configmap", Set.of("podinfo-config-vol")), "id-1");

    Deployment b = builder.baseline(canary(), primary, "podinfo", meta, 3);

    assertThat(b.getMetadata().getName()).isEqualTo("podinfo-baseline");
    assertThat(b.getMetadata().getNamespace()).isEqualTo("default");
    assertThat(b.getMetadata().getLabels()).isEqualTo(Map.of("app", "podinfo-baseline"));
    assertThat(b.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getKind()).isEqualTo("Canary"));
    assertThat(b.getSpec().getReplicas()).isEqualTo(3);
    assertThat(b.getSpec().getSelector().getMatchLabels())
        .isEqualTo(Map.of("app", "podinfo-baseline"));
    var pod = b.getSpec().getTemplate();
    assertThat(pod.getMetadata().getLabels()).containsEntry("app", "podinfo-baseline");
    assertThat(
            pod.getSpec().getTopologySpreadConstraints().get(0).getLabelSelector().getMatchLabels())
        .isEqualTo(Map.of("app", "podinfo-baseline"));
    assertThat(pod.getSpec().getVolumes().get(0).getConfigMap().getName())
        .as("the primary's config copies")
        .isEqualTo("podinfo-config-vol-primary");
    assertThat(pod.getSpec().getContainers().get(0).getImage()).isEqualTo("podinfo:1");
    assertThat(
            primary
                .getSpec()
                .getTemplate()
                .getSpec()
                .getTopologySpreadConstraints()
                .get(0)
                .getLabelSelector()
                .getMatchLabels())
        .as("primary untouched")
        .isEqualTo(Map.of("app", "podinfo-primary"));
  }
}
