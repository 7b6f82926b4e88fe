package app.flagger.grafana;

/** How dashboards reach Grafana: through its HTTP API, or as provisioning files. */
public enum ProvisioningMode {
  /** Create or update the datasource, folder and dashboards through Grafana's HTTP API. */
  API,
  /** Write Grafana's file provisioning (datasources, dashboard provider, dashboard JSON). */
  FILES;

  static ProvisioningMode parse(String value) {
    return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "api" -> API;
      case "files" -> FILES;
      default ->
          throw new IllegalArgumentException(
              "grafana.mode: expected 'api' or 'files', got '" + value + "'");
    };
  }
}
