package app.flagger.grafana.support;

import app.flagger.grafana.GrafanaConfig;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds {@link GrafanaConfig} from key/value pairs under {@code grafana.}, never the real file.
 */
public final class TestConfigs {
  private TestConfigs() {}

  public static final String PASSWORD = "s3cret";

  /** Basic auth admin/s3cret against the given URL, plus overrides ({@code key, value, ...}). */
  public static GrafanaConfig grafana(String url, String... overrides) {
    return GrafanaConfig.from(config(url, overrides).get("grafana"));
  }

  public static Config config(String url, String... overrides) {
    Map<String, String> map = new HashMap<>();
    map.put("grafana.url", url);
    map.put("grafana.user", "admin");
    map.put("grafana.password", PASSWORD);
    for (int i = 0; i < overrides.length; i += 2) {
      map.put("grafana." + overrides[i], overrides[i + 1]);
    }
    return Config.just(ConfigSources.create(map));
  }

  /** The Authorization header for admin/s3cret. */
  public static String basicAuth() {
    return "Basic "
        + java.util.Base64.getEncoder()
            .encodeToString(
                ("admin:" + PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
