package app.flagger.controller.charts;

import static app.flagger.controller.support.Charts.differences;
import static app.flagger.controller.support.Charts.find;
import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.support.Charts;
import app.flagger.controller.support.PodSecurityRestricted;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * charts/flagger: lints, and renders with its default values to the same objects as {@code kubectl
 * kustomize k8s/controller} plus k8s/crds (the Namespace excepted: Helm installs into an existing
 * or --create-namespace namespace), and with each provider values file to the same Deployment as
 * the matching k8s/overlays/&lt;provider&gt;.
 */
class FlaggerChartTest {
  private static final String NS = "flagger-system";

  @Test
  void lintsWithoutWarnings() {
    Charts.assertLints("flagger");
  }

  @Test
  void defaultValuesRenderTheKustomizeControllerFieldByField() {
    List<HasMetadata> chart = Charts.template("flagger", "flagger", NS);
    List<HasMetadata> base =
        Charts.kustomize("controller").stream().filter(o -> !(o instanceof Namespace)).toList();

    Charts.assertSameObjects(chart, base, "k8s/controller");
    assertThat(chart).noneMatch(GenericKubernetesResource.class::isInstance);
  }

  /** Helm installs crds/ before the templates (helm template leaves them out). */
  @Test
  void crdsDirectoryHoldsTheKustomizeCrdsFieldByField() throws IOException {
    List<HasMetadata> chart = new ArrayList<>();
    try (Stream<Path> files = Files.list(Charts.repository().resolve("charts/flagger/crds"))) {
      for (Path file : files.sorted().toList()) {
        chart.addAll(Charts.parse(Files.readString(file, StandardCharsets.UTF_8)));
      }
    }

    Charts.assertSameObjects(chart, Charts.kustomize("crds"), "k8s/crds");
    assertThat(chart).hasSize(3).allMatch(CustomResourceDefinition.class::isInstance);
  }

  private static List<HasMetadata> withValues(Map<String, Object> set) {
    return Charts.template("flagger", "flagger", NS, Optional.empty(), set);
  }

  static Stream<String> providers() throws IOException {
    try (Stream<Path> files = Files.list(Charts.repository().resolve("charts/flagger/ci"))) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(f -> f.endsWith("-values.yaml"))
          .map(f -> f.substring(0, f.length() - "-values.yaml".length()))
          .sorted()
          .toList()
          .stream();
    }
  }

  @Test
  void everyKustomizeOverlayHasAProviderValuesFile() throws IOException {
    try (Stream<Path> overlays = Files.list(Charts.repository().resolve("k8s/overlays"))) {
      assertThat(providers())
          .containsExactlyInAnyOrderElementsOf(
              overlays.map(p -> p.getFileName().toString()).toList());
    }
  }

  @ParameterizedTest
  @MethodSource("providers")
  void providerValuesRenderTheOverlaysDeploymentAndRbac(String provider) {
    List<HasMetadata> chart =
        Charts.template(
            "flagger",
            "flagger",
            NS,
            Optional.of(
                Charts.repository().resolve("charts/flagger/ci/" + provider + "-values.yaml")),
            Map.of());
    List<HasMetadata> overlay = Charts.kustomize("overlays/" + provider);

    assertThat(
            differences(
                find(chart, ClusterRole.class, "flagger"),
                find(overlay, ClusterRole.class, "flagger")))
        .as("chart with ci/%s-values.yaml vs k8s/overlays/%s", provider, provider)
        .isEmpty();
    // one Deployment "flagger", or one per shard (flagger-shard-<i>)
    List<String> names = deploymentNames(overlay);
    assertThat(deploymentNames(chart)).isEqualTo(names);
    for (String name : names) {
      Deployment deployment = find(chart, Deployment.class, name);
      assertThat(differences(deployment, find(overlay, Deployment.class, name)))
          .as("chart with ci/%s-values.yaml vs k8s/overlays/%s", provider, provider)
          .isEmpty();
      assertThat(
              PodSecurityRestricted.violations(
                  deployment.getSpec().getTemplate().getSpec(), Map.of()))
          .isEmpty();
    }
  }

  /** The controller's Deployments (the overlays also hold the load tester's and Grafana's). */
  private static List<String> deploymentNames(List<HasMetadata> objects) {
    return objects.stream()
        .filter(Deployment.class::isInstance)
        .map(o -> o.getMetadata().getName())
        .filter(n -> n.equals("flagger") || n.startsWith("flagger-shard-"))
        .sorted()
        .toList();
  }

  @Test
  void shardsRenderOneDeploymentPerShardWithItsIndexAndOwnPods() {
    List<HasMetadata> chart = withValues(Map.of("shards", "3"));

    assertThat(deploymentNames(chart))
        .containsExactly("flagger-shard-0", "flagger-shard-1", "flagger-shard-2");
    for (int i = 0; i < 3; i++) {
      Deployment d = find(chart, Deployment.class, "flagger-shard-" + i);
      assertThat(d.getSpec().getSelector().getMatchLabels())
          .containsEntry("shard", String.valueOf(i));
      assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
          .containsEntry("shard", String.valueOf(i));
      assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
          .extracting(EnvVar::getName, EnvVar::getValue)
          .contains(
              org.assertj.core.groups.Tuple.tuple("FLAGGER_SHARD_INDEX", String.valueOf(i)),
              org.assertj.core.groups.Tuple.tuple("FLAGGER_SHARD_COUNT", "3"));
    }
    assertThat(chart).filteredOn(ClusterRole.class::isInstance).hasSize(1);
  }

  @Test
  void valuesNamedAsFlaggersChartBecomeControllerSettings() {
    List<HasMetadata> chart =
        withValues(
            Map.ofEntries(
                Map.entry("meshProvider", "linkerd"),
                Map.entry("metricsServer", "http://prom.monitoring:9090"),
                Map.entry("selectorLabels", "app,name"),
                Map.entry("namespace", "apps"),
                Map.entry("eventWebhook", "http://events.example/hook"),
                Map.entry("clusterName", "prod"),
                Map.entry("slack.user", "flagger-bot"),
                Map.entry("slack.channel", "deploys"),
                Map.entry("slack.url", "https://hooks.slack.com/services/T/B/X"),
                Map.entry("msteams.url", "https://outlook.office.com/webhook/x"),
                Map.entry("configTracking.enabled", "false"),
                Map.entry("noCrossNamespaceRefs", "true"),
                Map.entry("maxConcurrentCanaries", "3"),
                Map.entry("maxConcurrentCanariesPerNamespace", "1")));

    Deployment deployment = find(chart, Deployment.class, "flagger");
    Map<String, EnvVar> env =
        deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
            .collect(java.util.stream.Collectors.toMap(EnvVar::getName, e -> e));
    assertThat(env.get("FLAGGER_MESH_PROVIDER").getValue()).isEqualTo("linkerd");
    assertThat(env.get("FLAGGER_METRICS_SERVER").getValue())
        .isEqualTo("http://prom.monitoring:9090");
    assertThat(env.get("FLAGGER_SELECTOR_LABELS").getValue()).isEqualTo("app,name");
    assertThat(env.get("FLAGGER_NAMESPACE").getValue()).isEqualTo("apps");
    assertThat(env.get("FLAGGER_EVENT_WEBHOOK").getValue()).isEqualTo("http://events.example/hook");
    assertThat(env.get("FLAGGER_CLUSTER_NAME").getValue()).isEqualTo("prod");
    assertThat(env.get("FLAGGER_SLACK_USER").getValue()).isEqualTo("flagger-bot");
    assertThat(env.get("FLAGGER_SLACK_CHANNEL").getValue()).isEqualTo("deploys");
    assertThat(env.get("FLAGGER_ENABLE_CONFIG_TRACKING").getValue()).isEqualTo("false");
    assertThat(env.get("FLAGGER_NO_CROSS_NAMESPACE_REFS").getValue()).isEqualTo("true");
    assertThat(env.get("FLAGGER_MAX_CONCURRENT_CANARIES").getValue()).isEqualTo("3");
    assertThat(env.get("FLAGGER_MAX_CONCURRENT_CANARIES_PER_NAMESPACE").getValue()).isEqualTo("1");
    // URLs carry tokens: they go into a Secret the controller mounts and reads as files, never
    // into the pod spec or its environment.
    assertThat(env.values())
        .filteredOn(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
        .isEmpty();
    assertThat(env.get("FLAGGER_SLACK_URL_FILE").getValue())
        .isEqualTo("/etc/flagger/notifiers/slack-url");
    assertThat(env.get("FLAGGER_MSTEAMS_URL_FILE").getValue())
        .isEqualTo("/etc/flagger/notifiers/msteams-url");
    assertThat(notifiersVolume(deployment).getSecret().getSecretName())
        .isEqualTo("flagger-notifiers");
    assertThat(deployment.toString()).doesNotContain("hooks.slack.com", "outlook.office.com");
    Secret notifiers = find(chart, Secret.class, "flagger-notifiers");
    assertThat(notifiers.getMetadata().getNamespace()).isEqualTo(NS);
    assertThat(notifiers.getStringData())
        .containsEntry("slack-url", "https://hooks.slack.com/services/T/B/X")
        .containsEntry("msteams-url", "https://outlook.office.com/webhook/x");
  }

  @Test
  void anExistingNotifiersSecretIsMountedInsteadOfTheCharts() {
    List<HasMetadata> chart =
        withValues(
            Map.of(
                "notifiersSecret", "team-notifiers",
                "slack.url", "https://hooks.slack.com/services/T/B/X"));

    assertThat(chart).noneMatch(Secret.class::isInstance);
    assertThat(notifiersVolume(find(chart, Deployment.class, "flagger")).getSecret())
        .satisfies(secret -> assertThat(secret.getSecretName()).isEqualTo("team-notifiers"))
        .satisfies(secret -> assertThat(secret.getOptional()).isTrue());
  }

  /** Ingress to /metrics and /health from opted-in namespaces only, on by default. */
  @Test
  void networkPolicyFollowsItsValues() {
    List<HasMetadata> chart =
        Charts.template(
            "flagger",
            "canaries",
            "delivery",
            Optional.empty(),
            Map.of("networkPolicy.scrapeNamespaceLabels.monitoring", "enabled"));
    NetworkPolicy policy = find(chart, NetworkPolicy.class, "canaries-flagger");

    assertThat(policy.getMetadata().getNamespace()).isEqualTo("delivery");
    assertThat(policy.getSpec().getPodSelector().getMatchLabels())
        .containsExactly(Map.entry("app", "canaries-flagger"));
    assertThat(policy.getSpec().getIngress().get(0).getFrom().get(0).getNamespaceSelector())
        .satisfies(
            sel ->
                assertThat(sel.getMatchLabels())
                    .containsOnly(
                        Map.entry("flagger.app/scrape", "true"),
                        Map.entry("monitoring", "enabled")));
    assertThat(withValues(Map.of("networkPolicy.enabled", "false")))
        .noneMatch(NetworkPolicy.class::isInstance);
  }

  @Test
  void defaultValuesShipNoSecretAndNoOptionalObjects() {
    List<HasMetadata> chart = Charts.template("flagger", "flagger", NS);

    assertThat(chart).noneMatch(Secret.class::isInstance);
    assertThat(chart).noneMatch(PodDisruptionBudget.class::isInstance);
  }

  @Test
  void leaderElectionPodMonitorAndDisruptionBudgetFollowTheirValues() {
    List<HasMetadata> chart =
        withValues(
            Map.of(
                "leaderElection.replicaCount", "2",
                "podMonitor.enabled", "true",
                "podDisruptionBudget.enabled", "true"));

    assertThat(find(chart, Deployment.class, "flagger").getSpec().getReplicas()).isEqualTo(2);
    assertThat(
            find(chart, PodDisruptionBudget.class, "flagger")
                .getSpec()
                .getMinAvailable()
                .getIntVal())
        .isEqualTo(1);
    assertThat(chart).extracting(Charts::id).contains("PodMonitor/flagger");
    // more replicas alone add no budget: standbys are never ready (values.yaml says why)
    assertThat(withValues(Map.of("leaderElection.replicaCount", "2")))
        .noneMatch(PodDisruptionBudget.class::isInstance);

    List<HasMetadata> single = withValues(Map.of("leaderElection.enabled", "false"));
    assertThat(single).noneMatch(Role.class::isInstance);
    assertThat(find(single, Deployment.class, "flagger").getSpec().getReplicas()).isEqualTo(1);
    assertThat(
            find(single, Deployment.class, "flagger")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getEnv())
        .extracting(EnvVar::getName)
        .doesNotContain("FLAGGER_ENABLE_LEADER_ELECTION");
  }

  private static Volume notifiersVolume(Deployment deployment) {
    var pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getContainers().get(0).getVolumeMounts())
        .anySatisfy(
            m -> {
              assertThat(m.getName()).isEqualTo("notifiers");
              assertThat(m.getMountPath()).isEqualTo("/etc/flagger/notifiers");
              assertThat(m.getReadOnly()).isTrue();
            });
    return pod.getVolumes().stream()
        .filter(v -> v.getName().equals("notifiers"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no notifiers volume"));
  }

  @Test
  void anotherReleaseNameAndNamespaceRenameEveryObjectAndBinding() {
    List<HasMetadata> chart = Charts.template("flagger", "canaries", "delivery");

    assertThat(find(chart, Deployment.class, "canaries-flagger").getMetadata().getNamespace())
        .isEqualTo("delivery");
    ClusterRoleBinding binding = find(chart, ClusterRoleBinding.class, "canaries-flagger");
    assertThat(binding.getRoleRef().getName()).isEqualTo("canaries-flagger");
    assertThat(binding.getSubjects().get(0).getName()).isEqualTo("canaries-flagger");
    assertThat(binding.getSubjects().get(0).getNamespace()).isEqualTo("delivery");
  }
}
