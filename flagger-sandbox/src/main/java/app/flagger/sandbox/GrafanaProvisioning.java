package app.flagger.sandbox;

import app.flagger.grafana.GrafanaConfig;
import app.flagger.grafana.Main;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Provisions a Grafana the user points the demo at ({@code --grafana-url=URL} or {@code
 * GRAFANA_URL}): the datasource on the sandbox's Prometheus and Flagger's dashboards, once, through
 * Grafana's HTTP API, exactly as flagger-grafana's {@code --once} does in a cluster. Credentials
 * come from {@code GRAFANA_USER}/{@code GRAFANA_PASSWORD} or {@code GRAFANA_TOKEN}.
 */
final class GrafanaProvisioning {
  private GrafanaProvisioning() {}

  /** The Grafana URL of the arguments or the environment, if any. */
  static Optional<String> url(String[] args, Map<String, String> env) {
    for (String a : args) {
      if (a.startsWith("--grafana-url=")) {
        return Optional.of(a.substring("--grafana-url=".length()));
      }
    }
    return Optional.ofNullable(env.get("GRAFANA_URL")).filter(u -> !u.isBlank());
  }

  /** The flagger-grafana configuration for that Grafana and the sandbox's Prometheus. */
  static GrafanaConfig config(String grafanaUrl, String prometheusUrl, Map<String, String> env) {
    Map<String, String> keys = new LinkedHashMap<>();
    keys.put("url", grafanaUrl);
    keys.put("prometheus-url", prometheusUrl);
    keys.put("mode", "api");
    keys.put("user", env.getOrDefault("GRAFANA_USER", "admin"));
    Optional.ofNullable(env.get("GRAFANA_PASSWORD")).ifPresent(p -> keys.put("password", p));
    Optional.ofNullable(env.get("GRAFANA_TOKEN")).ifPresent(t -> keys.put("token", t));
    Config config =
        Config.builder()
            .disableEnvironmentVariablesSource()
            .sources(ConfigSources.create(keys))
            .build();
    return GrafanaConfig.from(config);
  }

  /**
   * Provisions once.
   *
   * @return whether Grafana accepted the datasource and dashboards
   */
  static boolean provision(GrafanaConfig config) {
    return Main.runOnce(config) == 0;
  }
}
