package app.flagger.grafana.provision;

import app.flagger.grafana.GrafanaConfig;
import app.flagger.grafana.dashboard.Dashboard;
import app.flagger.model.json.Jsons;
import jakarta.json.JsonObject;
import java.util.List;

/**
 * What Grafana should contain: the Prometheus datasource, the folder and the dashboards' JSON.
 *
 * @param datasource the datasource body for Grafana's API ({@code uid}, {@code name}, {@code url}
 *     ...)
 * @param dashboards the dashboard models, each with its {@code uid}
 */
public record DesiredState(
    JsonObject datasource, String folderUid, String folderTitle, List<JsonObject> dashboards) {
  public DesiredState {
    dashboards = List.copyOf(dashboards);
  }

  /** The desired state for a configuration and a set of generated dashboards. */
  public static DesiredState of(GrafanaConfig config, List<Dashboard> dashboards) {
    JsonObject datasource =
        Jsons.createObjectBuilder()
            .add("uid", config.datasourceUid())
            .add("name", config.datasourceName())
            .add("type", "prometheus")
            .add("access", "proxy")
            .add("url", config.prometheusUrl().toString())
            .add("isDefault", config.datasourceDefault())
            .add(
                "jsonData",
                Jsons.createObjectBuilder().add("httpMethod", "POST").add("timeInterval", "15s"))
            .build();
    return new DesiredState(
        datasource,
        config.folderUid(),
        config.folder(),
        dashboards.stream().map(d -> d.toJson(config.datasourceUid())).toList());
  }

  public String datasourceUid() {
    return datasource.getString("uid");
  }
}
