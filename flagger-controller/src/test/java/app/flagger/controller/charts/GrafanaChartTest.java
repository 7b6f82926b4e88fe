package app.flagger.controller.charts;

import static app.flagger.controller.support.Charts.find;
import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.support.Charts;
import app.flagger.controller.support.PodSecurityRestricted;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * charts/grafana: lints; renders with its default values to the same objects as {@code kubectl
 * kustomize k8s/grafana} except the admin password, which the chart generates; Flagger's documented
 * {@code --set url=...} sets the Prometheus address the dashboards query.
 */
class GrafanaChartTest {
  private static final String NS = "flagger-system";
  private static final String PLACEHOLDER = "change-me-before-use";

  @Test
  void lintsWithoutWarnings() {
    Charts.assertLints("grafana");
  }

  /**
   * With no password given, the admin Secret is a pre-install hook with a random password (see
   * templates/secret.yaml), which {@code helm template} through helm-java leaves out of the release
   * manifest; every other object equals its kustomize counterpart.
   */
  @Test
  void defaultValuesRenderTheKustomizeGrafanaFieldByFieldButTheAdminSecret() {
    List<HasMetadata> chart = Charts.template("grafana", "flagger-grafana", NS);
    List<HasMetadata> base =
        Charts.kustomize("grafana").stream().filter(o -> !(o instanceof Secret)).toList();

    Charts.assertSameObjects(chart, base, "k8s/grafana");
    assertThat(chart).noneMatch(GenericKubernetesResource.class::isInstance);
    Deployment deployment = find(chart, Deployment.class, "flagger-grafana");
    assertThat(
            PodSecurityRestricted.violations(
                deployment.getSpec().getTemplate().getSpec(), Map.of()))
        .isEmpty();
  }

  /** A given password makes the Secret an ordinary object, the kustomize one but for the value. */
  @Test
  void givenPasswordRendersTheKustomizeAdminSecretWithThatPassword() {
    List<HasMetadata> chart =
        Charts.template(
            "grafana", "flagger-grafana", NS, Optional.empty(), Map.of("password", "s3cret-value"));
    List<HasMetadata> base = Charts.kustomize("grafana");
    Secret shipped = find(base, Secret.class, "flagger-grafana-admin");
    assertThat(shipped.getStringData()).containsEntry("admin-password", PLACEHOLDER);
    List<HasMetadata> expected =
        base.stream()
            .map(
                o ->
                    o == shipped
                        ? new SecretBuilder(shipped)
                            .addToStringData("admin-password", "s3cret-value")
                            .build()
                        : o)
            .toList();

    Charts.assertSameObjects(chart, expected, "k8s/grafana");
  }

  @Test
  void flaggersDocumentedUrlValueSetsThePrometheusTheDashboardsQuery() {
    List<HasMetadata> chart =
        Charts.template(
            "grafana",
            "flagger-grafana",
            NS,
            Optional.empty(),
            Map.of("url", "http://prometheus.istio-system:9090"));

    assertThat(find(chart, ConfigMap.class, "flagger-grafana").getData().get("config.yaml"))
        .contains("prometheus-url: http://prometheus.istio-system:9090\n")
        .contains("folder: Flagger\n");
  }

  @Test
  void anExistingSecretReplacesTheChartsOne() {
    List<HasMetadata> existing =
        Charts.template(
            "grafana",
            "flagger-grafana",
            NS,
            Optional.empty(),
            Map.of("existingSecret", "my-admin"));

    assertThat(existing).noneMatch(Secret.class::isInstance);
    assertThat(
            find(existing, Deployment.class, "flagger-grafana")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getVolumes())
        .anySatisfy(v -> assertThat(v.getSecret()).isNotNull())
        .filteredOn(v -> v.getSecret() != null)
        .allSatisfy(v -> assertThat(v.getSecret().getSecretName()).isEqualTo("my-admin"));
  }
}
