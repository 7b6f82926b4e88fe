package app.flagger.controller.charts;

import static app.flagger.controller.support.Charts.find;
import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.support.Charts;
import app.flagger.controller.support.PodSecurityRestricted;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * charts/grafana: lints; renders with its default values to the same objects as {@code kubectl
 * kustomize k8s/grafana}, which ships no Secret at all, while the chart generates the admin
 * password and the provisioner's API token; Flagger's documented {@code --set url=...} sets the
 * Prometheus address the dashboards query.
 */
class GrafanaChartTest {
  private static final String NS = "flagger-system";

  @Test
  void lintsWithoutWarnings() {
    Charts.assertLints("grafana");
  }

  /**
   * With no password given, the admin Secret and the API token Secret are pre-install hooks with
   * random values (see templates/secret.yaml and api-secret.yaml), which {@code helm template}
   * through helm-java leaves out of the release manifest; every other object equals its kustomize
   * counterpart, and k8s/grafana ships no Secret (make deploy creates both).
   */
  @Test
  void defaultValuesRenderTheKustomizeGrafanaFieldByField() {
    List<HasMetadata> chart = Charts.template("grafana", "flagger-grafana", NS);
    List<HasMetadata> base = Charts.kustomize("grafana");

    assertThat(base)
        .as("k8s/grafana ships no password or token")
        .noneMatch(Secret.class::isInstance);
    Charts.assertSameObjects(chart, base, "k8s/grafana");
    assertThat(chart).noneMatch(GenericKubernetesResource.class::isInstance);
    Deployment deployment = find(chart, Deployment.class, "flagger-grafana");
    assertThat(
            PodSecurityRestricted.violations(
                deployment.getSpec().getTemplate().getSpec(), Map.of()))
        .isEmpty();
    assertThat(secretVolumes(deployment))
        .containsEntry("admin", "flagger-grafana-admin")
        .containsEntry("api", "flagger-grafana-api");
    assertThat(find(chart, ConfigMap.class, "flagger-grafana").getData().get("config.yaml"))
        .contains("  datasource:\n    default: false\n")
        .contains("  api:\n    token-file: /etc/flagger-grafana-api/token\n");
  }

  /** Both generated Secrets are created once, at install, random, and kept afterwards. */
  @Test
  void theGeneratedPasswordAndTokenAreRandomInstallHooksThatUpgradesKeep() throws IOException {
    Path templates = Charts.repository().resolve("charts/grafana/templates");
    String admin = Files.readString(templates.resolve("secret.yaml"), StandardCharsets.UTF_8);
    String api = Files.readString(templates.resolve("api-secret.yaml"), StandardCharsets.UTF_8);

    assertThat(admin)
        .contains("helm.sh/hook: pre-install\n", "helm.sh/resource-policy: keep\n")
        .contains("admin-password: {{ default (randAlphaNum 32) .Values.password | quote }}");
    assertThat(api)
        .contains("{{- if not .Values.provisioner.api.existingSecret }}")
        .contains("helm.sh/hook: pre-install\n", "helm.sh/resource-policy: keep\n")
        .contains("token: {{ randAlphaNum 64 | quote }}");
  }

  /** A given password makes the admin Secret an ordinary object next to the kustomize ones. */
  @Test
  void givenPasswordRendersTheAdminSecretWithThatPassword() {
    List<HasMetadata> chart = render(Map.of("password", "s3cret-value"));
    Secret admin = find(chart, Secret.class, "flagger-grafana-admin");

    assertThat(admin.getStringData())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("admin-user", "admin", "admin-password", "s3cret-value"));
    assertThat(admin.getMetadata().getAnnotations()).isNullOrEmpty();
    Charts.assertSameObjects(
        chart.stream().filter(o -> o != admin).toList(),
        Charts.kustomize("grafana"),
        "k8s/grafana");
  }

  /** Flagger's chart sets its datasource as default; ours leaves it to the user to ask. */
  @Test
  void theDatasourceBecomesDefaultOnlyWhenAsked() {
    List<HasMetadata> chart = render(Map.of("datasource.default", "true"));

    assertThat(find(chart, ConfigMap.class, "flagger-grafana").getData().get("config.yaml"))
        .contains("  datasource:\n    default: true\n");
  }

  @Test
  void anExistingApiSecretReplacesTheGeneratedToken() {
    List<HasMetadata> chart = render(Map.of("provisioner.api.existingSecret", "my-api-token"));

    assertThat(secretVolumes(find(chart, Deployment.class, "flagger-grafana")))
        .containsEntry("api", "my-api-token")
        .containsEntry("admin", "flagger-grafana-admin");
  }

  private static List<HasMetadata> render(Map<String, Object> set) {
    return Charts.template("grafana", "flagger-grafana", NS, Optional.empty(), set);
  }

  private static Map<String, String> secretVolumes(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
        .filter(v -> v.getSecret() != null)
        .collect(Collectors.toMap(Volume::getName, v -> v.getSecret().getSecretName()));
  }

  @Test
  void flaggersDocumentedUrlValueSetsThePrometheusTheDashboardsQuery() {
    List<HasMetadata> chart = render(Map.of("url", "http://prometheus.istio-system:9090"));

    assertThat(find(chart, ConfigMap.class, "flagger-grafana").getData().get("config.yaml"))
        .contains("prometheus-url: http://prometheus.istio-system:9090\n")
        .contains("folder: Flagger\n");
  }

  @Test
  void anExistingSecretReplacesTheChartsOne() {
    List<HasMetadata> existing = render(Map.of("existingSecret", "my-admin"));

    assertThat(existing).noneMatch(Secret.class::isInstance);
    assertThat(
            find(existing, Deployment.class, "flagger-grafana")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getVolumes())
        .filteredOn(v -> v.getName().equals("admin"))
        .singleElement()
        .satisfies(v -> assertThat(v.getSecret().getSecretName()).isEqualTo("my-admin"));
  }
}
