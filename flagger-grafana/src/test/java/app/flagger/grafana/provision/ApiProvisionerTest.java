package app.flagger.grafana.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.grafana.GrafanaConfig;
import app.flagger.grafana.client.GrafanaException;
import app.flagger.grafana.client.HttpGrafanaClient;
import app.flagger.grafana.dashboard.Dashboard;
import app.flagger.grafana.dashboard.Dashboards;
import app.flagger.grafana.support.FakeGrafana;
import app.flagger.grafana.support.TestConfigs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link ApiProvisioner} with {@link HttpGrafanaClient} against a Grafana API stub. */
class ApiProvisionerTest {
  private final FakeGrafana grafana = new FakeGrafana(TestConfigs.basicAuth());
  private final MockWebServer server = new MockWebServer();
  private GrafanaConfig config;

  @BeforeEach
  void start() throws Exception {
    server.setDispatcher(grafana);
    server.start();
    config = TestConfigs.grafana(server.url("/").toString());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** First install: the datasource, the Flagger folder and every dashboard are created. */
  @Test
  void firstInstallCreatesDatasourceFolderAndDashboards() throws Exception {
    ProvisioningReport report = provisioner(config).apply(desired(config));

    assertThat(report.grafanaVersion()).isEqualTo("11.6.0");
    assertThat(report.datasource()).isEqualTo(Change.CREATED);
    assertThat(report.folder()).isEqualTo(Change.CREATED);
    assertThat(report.dashboards()).hasSize(Dashboards.all().size()).containsValue(Change.CREATED);
    assertThat(grafana.datasources().get("flagger-prometheus").getString("url"))
        .isEqualTo("http://prometheus:9090");
    assertThat(grafana.folders().get("flagger").getString("title")).isEqualTo("Flagger");
    assertThat(grafana.dashboards()).containsKeys("flagger-controller", "flagger-istio");
    assertThat(grafana.folderOf("flagger-istio")).isEqualTo("flagger");

    RecordedRequest health = server.takeRequest();
    assertThat(health.getTarget()).isEqualTo("/api/health");
    RecordedRequest read = server.takeRequest();
    assertThat(read.getHeaders().get("Authorization")).isEqualTo(TestConfigs.basicAuth());
  }

  /** A second run finds everything in place and writes nothing: no duplicates. */
  @Test
  void secondRunCreatesNoDuplicates() {
    provisioner(config).apply(desired(config));
    List<String> writesAfterFirst = grafana.writes();

    ProvisioningReport second = provisioner(config).apply(desired(config));

    assertThat(second.changed()).isFalse();
    assertThat(grafana.writes()).isEqualTo(writesAfterFirst);
    assertThat(grafana.datasources()).hasSize(1);
    assertThat(grafana.dashboards()).hasSize(Dashboards.all().size());
  }

  /** A changed dashboard is saved again with Grafana's current version; the rest stay put. */
  @Test
  void updatesOnlyTheDashboardThatChanged() {
    provisioner(config).apply(desired(config));
    List<Dashboard> changed = new ArrayList<>(Dashboards.all());
    Dashboard istio = changed.get(1);
    changed.set(
        1,
        new Dashboard(
            istio.uid(),
            "Istio Canary v2",
            istio.description(),
            istio.tags(),
            istio.variables(),
            istio.panels()));

    ProvisioningReport report = provisioner(config).apply(DesiredState.of(config, changed));

    assertThat(report.dashboards().get("flagger-istio")).isEqualTo(Change.UPDATED);
    assertThat(report.dashboards().get("flagger-controller")).isEqualTo(Change.UNCHANGED);
    assertThat(grafana.dashboards().get("flagger-istio").getString("title"))
        .isEqualTo("Istio Canary v2");
    assertThat(grafana.dashboards().get("flagger-istio").getInt("version")).isEqualTo(2);
    assertThat(grafana.dashboards()).hasSize(Dashboards.all().size());
  }

  /** A new Prometheus URL updates the datasource in place (same uid, no second datasource). */
  @Test
  void updatesTheDatasourceWhenThePrometheusUrlChanges() {
    provisioner(config).apply(desired(config));
    GrafanaConfig moved =
        TestConfigs.grafana(
            server.url("/").toString(), "prometheus-url", "http://prom.monitoring:9090");

    ProvisioningReport report = provisioner(moved).apply(desired(moved));

    assertThat(report.datasource()).isEqualTo(Change.UPDATED);
    assertThat(grafana.datasources()).hasSize(1);
    assertThat(grafana.datasources().get("flagger-prometheus").getString("url"))
        .isEqualTo("http://prom.monitoring:9090");
  }

  /** 412 because someone saved the dashboard meanwhile: re-read, retry with the new version. */
  @Test
  void reReadsAndRetriesOnVersionConflict() {
    provisioner(config).apply(desired(config));
    List<Dashboard> changed = new ArrayList<>(Dashboards.all());
    Dashboard c = changed.get(0);
    changed.set(
        0, new Dashboard(c.uid(), "Flagger", c.description(), c.tags(), c.variables(), c.panels()));
    grafana.editConcurrently("flagger-controller");

    ProvisioningReport report = provisioner(config).apply(DesiredState.of(config, changed));

    assertThat(report.dashboards().get("flagger-controller")).isEqualTo(Change.UPDATED);
    assertThat(grafana.dashboards().get("flagger-controller").getString("title"))
        .isEqualTo("Flagger");
    assertThat(grafana.dashboards().get("flagger-controller").getInt("version")).isEqualTo(3);
  }

  /** A hand-made "Flagger" folder with another uid: a clear error naming the way out. */
  @Test
  void explainsAFolderTitleClash() {
    grafana.addFolder("abc123", "Flagger");

    assertThatThrownBy(() -> provisioner(config).apply(desired(config)))
        .isInstanceOfSatisfying(
            GrafanaException.class,
            e -> assertThat(e.kind()).isEqualTo(GrafanaException.Kind.REJECTED))
        .hasMessageContaining("already has a folder with that title")
        .hasMessageContaining("grafana.folder-uid");
  }

  /** Wrong password: a 401 that says to check the admin user and password. */
  @Test
  void wrongCredentialsGiveAClearError() {
    GrafanaConfig wrong = TestConfigs.grafana(server.url("/").toString(), "password", "nope");

    assertThatThrownBy(() -> provisioner(wrong).apply(desired(wrong)))
        .isInstanceOfSatisfying(
            GrafanaException.class,
            e -> assertThat(e.kind()).isEqualTo(GrafanaException.Kind.UNAUTHORIZED))
        .hasMessageContaining("401")
        .hasMessageContaining("check the admin user and password")
        .hasMessageNotContaining("nope");
    assertThat(grafana.writes()).isEmpty();
  }

  /** Grafana still starting (503 on /api/health): a transient "not ready yet". */
  @Test
  void grafanaNotReadyIsTransient() {
    grafana.unavailableFor(1);

    assertThatThrownBy(() -> provisioner(config).apply(desired(config)))
        .isInstanceOfSatisfying(
            GrafanaException.class, e -> assertThat(e.transientFailure()).isTrue())
        .hasMessageContaining("503")
        .hasMessageContaining("not ready yet");
  }

  /** Nothing listening: connection refused, explained as Grafana not being up yet. */
  @Test
  void connectionRefusedMeansGrafanaIsNotUpYet() throws Exception {
    String url = server.url("/").toString();
    server.close();
    GrafanaConfig down = TestConfigs.grafana(url);

    assertThatThrownBy(() -> provisioner(down).apply(desired(down)))
        .isInstanceOfSatisfying(
            GrafanaException.class,
            e -> assertThat(e.kind()).isEqualTo(GrafanaException.Kind.UNAVAILABLE))
        .hasMessageContaining("connection refused")
        .hasMessageContaining("Grafana is not up yet");
  }

  static ApiProvisioner provisioner(GrafanaConfig config) {
    HttpGrafanaClient client =
        new HttpGrafanaClient(
            config.url(),
            () ->
                "Basic "
                    + java.util.Base64.getEncoder()
                        .encodeToString(("admin:" + config.password().orElseThrow()).getBytes()),
            Duration.ofSeconds(5));
    return new ApiProvisioner(client, config.url().toString());
  }

  static DesiredState desired(GrafanaConfig config) {
    return DesiredState.of(config, Dashboards.all());
  }
}
