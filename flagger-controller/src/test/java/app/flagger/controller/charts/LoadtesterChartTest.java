package app.flagger.controller.charts;

import static app.flagger.controller.support.Charts.find;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.controller.support.Charts;
import app.flagger.controller.support.PodSecurityRestricted;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * charts/loadtester: lints, and renders with its default values to the same objects as {@code
 * kubectl kustomize k8s/loadtester} (the Namespace excepted), field by field.
 */
class LoadtesterChartTest {
  private static final String NS = "test";

  @Test
  void lintsWithoutWarnings() {
    Charts.assertLints("loadtester");
  }

  @Test
  void defaultValuesRenderTheKustomizeLoadtesterFieldByField() {
    List<HasMetadata> chart = Charts.template("loadtester", "flagger-loadtester", NS);
    List<HasMetadata> base =
        Charts.kustomize("loadtester").stream().filter(o -> !(o instanceof Namespace)).toList();

    Charts.assertSameObjects(chart, base, "k8s/loadtester");
    assertThat(chart).noneMatch(GenericKubernetesResource.class::isInstance);
    Deployment deployment = find(chart, Deployment.class, "flagger-loadtester");
    assertThat(
            PodSecurityRestricted.violations(
                deployment.getSpec().getTemplate().getSpec(), Map.of()))
        .isEmpty();
  }

  @Test
  void commandsValuesFileEnablesTheAllowedProgramsOnly() {
    List<HasMetadata> chart =
        Charts.template(
            "loadtester",
            "flagger-loadtester",
            NS,
            Optional.of(Charts.repository().resolve("charts/loadtester/ci/commands-values.yaml")),
            Map.of());

    Map<String, String> env =
        find(chart, Deployment.class, "flagger-loadtester")
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0)
            .getEnv()
            .stream()
            .filter(e -> e.getValue() != null)
            .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    assertThat(env)
        .containsEntry("LOADTESTER_COMMANDS_ENABLED", "true")
        .containsEntry("LOADTESTER_COMMANDS_BASH_ENABLED", "false")
        .containsEntry("LOADTESTER_COMMANDS_ALLOW", "hey,wrk")
        .containsEntry("LOADTESTER_GATES_STORE", "memory");
  }

  @Test
  void anotherReleaseAndFlaggerNamespaceFollowIntoBindingAndNetworkPolicy() {
    List<HasMetadata> chart =
        Charts.template(
            "loadtester",
            "lt",
            "apps",
            Optional.empty(),
            Map.of("networkPolicy.flaggerNamespace", "delivery"));

    RoleBinding binding = find(chart, RoleBinding.class, "lt-loadtester-gates");
    assertThat(binding.getSubjects().get(0).getName()).isEqualTo("lt-loadtester");
    assertThat(binding.getSubjects().get(0).getNamespace()).isEqualTo("apps");
    NetworkPolicy policy = find(chart, NetworkPolicy.class, "lt-loadtester");
    assertThat(
            policy
                .getSpec()
                .getIngress()
                .get(0)
                .getFrom()
                .get(0)
                .getNamespaceSelector()
                .getMatchLabels())
        .containsEntry("kubernetes.io/metadata.name", "delivery");
    assertThat(policy.getSpec().getPodSelector().getMatchLabels())
        .containsEntry("app", "lt-loadtester");
  }

  /** More than one replica brings a PodDisruptionBudget unless it is turned off. */
  @Test
  void moreThanOneReplicaBringsADisruptionBudget() {
    List<HasMetadata> two = withValues(Map.of("replicaCount", "2"));

    PodDisruptionBudget budget = find(two, PodDisruptionBudget.class, "flagger-loadtester");
    assertThat(budget.getMetadata().getNamespace()).isEqualTo(NS);
    assertThat(budget.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
    assertThat(
            find(two, Deployment.class, "flagger-loadtester")
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getLabels())
        .containsAllEntriesOf(budget.getSpec().getSelector().getMatchLabels());
    assertThat(Charts.template("loadtester", "flagger-loadtester", NS))
        .noneMatch(PodDisruptionBudget.class::isInstance);
    assertThat(withValues(Map.of("replicaCount", "2", "podDisruptionBudget.enabled", "false")))
        .noneMatch(PodDisruptionBudget.class::isInstance);
    assertThat(withValues(Map.of("podDisruptionBudget.enabled", "true")))
        .anyMatch(PodDisruptionBudget.class::isInstance);
    assertThatThrownBy(() -> withValues(Map.of("podDisruptionBudget.enabled", "yes")))
        .hasMessageContaining("podDisruptionBudget.enabled: expected true, false or auto");
  }

  private static List<HasMetadata> withValues(Map<String, Object> set) {
    return Charts.template("loadtester", "flagger-loadtester", NS, Optional.empty(), set);
  }
}
