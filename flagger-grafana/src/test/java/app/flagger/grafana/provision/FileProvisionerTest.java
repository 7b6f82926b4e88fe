package app.flagger.grafana.provision;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.grafana.GrafanaConfig;
import app.flagger.grafana.dashboard.Dashboard;
import app.flagger.grafana.dashboard.Dashboards;
import app.flagger.grafana.support.TestConfigs;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/** Files mode writes Grafana's provisioning format: datasources, dashboard provider, JSON. */
class FileProvisionerTest {
  @TempDir Path dir;

  private GrafanaConfig config() {
    return TestConfigs.grafana(
        "http://grafana:3000",
        "mode",
        "files",
        "output-dir",
        dir.toString(),
        "dashboards-path",
        "/var/lib/grafana/dashboards/flagger",
        "prometheus-url",
        "http://prometheus.monitoring:9090");
  }

  @Test
  @SuppressWarnings("unchecked")
  void writesTheDatasourceInGrafanaProvisioningFormat() throws Exception {
    GrafanaConfig c = config();
    new FileProvisioner(c.outputDir(), c.dashboardsPath())
        .apply(DesiredState.of(c, Dashboards.all()));

    Map<String, Object> yaml =
        new Yaml().load(Files.readString(dir.resolve("provisioning/datasources/flagger.yaml")));
    assertThat(yaml).containsEntry("apiVersion", 1);
    List<Map<String, Object>> datasources = (List<Map<String, Object>>) yaml.get("datasources");
    assertThat(datasources).hasSize(1);
    assertThat(datasources.get(0))
        .containsEntry("name", "Prometheus (Flagger)")
        .containsEntry("uid", "flagger-prometheus")
        .containsEntry("type", "prometheus")
        .containsEntry("access", "proxy")
        .containsEntry("url", "http://prometheus.monitoring:9090")
        .containsEntry("isDefault", false)
        .containsEntry("editable", false);
    assertThat((Map<String, Object>) datasources.get(0).get("jsonData"))
        .containsEntry("httpMethod", "POST");
  }

  @Test
  @SuppressWarnings("unchecked")
  void writesAFileDashboardProviderPointingAtTheDashboards() throws Exception {
    GrafanaConfig c = config();
    new FileProvisioner(c.outputDir(), c.dashboardsPath())
        .apply(DesiredState.of(c, Dashboards.all()));

    Map<String, Object> yaml =
        new Yaml().load(Files.readString(dir.resolve("provisioning/dashboards/flagger.yaml")));
    assertThat(yaml).containsEntry("apiVersion", 1);
    Map<String, Object> provider = ((List<Map<String, Object>>) yaml.get("providers")).get(0);
    assertThat(provider)
        .containsEntry("name", "flagger")
        .containsEntry("orgId", 1)
        .containsEntry("type", "file")
        .containsEntry("folder", "Flagger")
        .containsEntry("folderUid", "flagger")
        .containsEntry("disableDeletion", false);
    assertThat((Map<String, Object>) provider.get("options"))
        .containsEntry("path", "/var/lib/grafana/dashboards/flagger");
  }

  @Test
  void writesOneDashboardJsonPerUidAndIsIdempotent() throws Exception {
    GrafanaConfig c = config();
    FileProvisioner files = new FileProvisioner(c.outputDir(), c.dashboardsPath());
    ProvisioningReport first = files.apply(DesiredState.of(c, Dashboards.all()));

    for (Dashboard d : Dashboards.all()) {
      Path file = dir.resolve("dashboards/" + d.uid() + ".json");
      JsonObject json = Json.createReader(new StringReader(Files.readString(file))).readObject();
      assertThat(json).isEqualTo(d.toJson("flagger-prometheus"));
    }
    assertThat(first.dashboards().values()).containsOnly(Change.CREATED);

    ProvisioningReport second = files.apply(DesiredState.of(c, Dashboards.all()));
    assertThat(second.changed()).isFalse();
    try (var listing = Files.list(dir.resolve("dashboards"))) {
      assertThat(listing.map(p -> p.getFileName().toString()))
          .hasSize(Dashboards.all().size())
          .allMatch(n -> n.endsWith(".json"));
    }
  }
}
