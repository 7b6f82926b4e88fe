package app.flagger.grafana;

import app.flagger.model.http.BoundedBody;
import io.helidon.config.Config;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The {@code grafana:} section of the configuration. Secrets (password, token) are kept out of
 * {@link #toString()}.
 *
 * @param url Grafana's base URL
 * @param user admin user for basic auth (or {@code userFile})
 * @param userFile file holding the admin user, re-read on every provisioning run; wins over {@code
 *     user}, so the user can come from the same mounted Secret as the password
 * @param password admin password (or {@code passwordFile})
 * @param passwordFile file holding the admin password, re-read on every provisioning run
 * @param token service-account token (preferred over basic auth when set), or {@code tokenFile}
 * @param prometheusUrl URL Grafana uses to reach Prometheus
 * @param datasourceDefault whether the datasource becomes Grafana's default; false unless asked, so
 *     a shared Grafana keeps its own default datasource
 * @param outputDir root directory for {@link ProvisioningMode#FILES}
 * @param dashboardsPath where Grafana reads the dashboard JSON files from in files mode
 * @param resyncInterval re-provision this often to repair drift; zero disables
 * @param requestTimeout connect and read timeout per call
 * @param responseLimit the most bytes of a Grafana answer read; a longer one fails the call
 */
public record GrafanaConfig(
    URI url,
    String user,
    Optional<Path> userFile,
    Optional<String> password,
    Optional<Path> passwordFile,
    Optional<String> token,
    Optional<Path> tokenFile,
    URI prometheusUrl,
    String datasourceName,
    String datasourceUid,
    boolean datasourceDefault,
    String folder,
    String folderUid,
    ProvisioningMode mode,
    Path outputDir,
    String dashboardsPath,
    Duration initialBackoff,
    Duration maxBackoff,
    Duration resyncInterval,
    Duration requestTimeout,
    long responseLimit) {

  public static final String DEFAULT_PROMETHEUS_URL = "http://prometheus:9090";

  /** Reads the {@code grafana} node, e.g. {@code GrafanaConfig.from(config.get("grafana"))}. */
  public static GrafanaConfig from(Config c) {
    Path outputDir = Path.of(c.get("output-dir").asString().orElse("/var/lib/flagger-grafana"));
    GrafanaConfig config =
        new GrafanaConfig(
            httpUrl("grafana.url", c.get("url").asString().orElse("http://localhost:3000")),
            c.get("user").asString().orElse("admin"),
            nonBlank(c.get("user-file").asString().asOptional()).map(Path::of),
            nonBlank(c.get("password").asString().asOptional()),
            nonBlank(c.get("password-file").asString().asOptional()).map(Path::of),
            nonBlank(c.get("token").asString().asOptional()),
            nonBlank(c.get("token-file").asString().asOptional()).map(Path::of),
            httpUrl(
                "grafana.prometheus-url",
                c.get("prometheus-url").asString().orElse(DEFAULT_PROMETHEUS_URL)),
            c.get("datasource.name").asString().orElse("Prometheus (Flagger)"),
            c.get("datasource.uid").asString().orElse("flagger-prometheus"),
            c.get("datasource.default").asBoolean().orElse(false),
            c.get("folder").asString().orElse("Flagger"),
            c.get("folder-uid").asString().orElse("flagger"),
            ProvisioningMode.parse(c.get("mode").asString().orElse("api")),
            outputDir,
            c.get("dashboards-path").asString().orElse(outputDir.resolve("dashboards").toString()),
            duration(c, "retry.initial-backoff", "PT1S"),
            duration(c, "retry.max-backoff", "PT30S"),
            duration(c, "resync-interval", "PT5M"),
            duration(c, "request-timeout", "PT10S"),
            BoundedBody.parseLimit(
                "grafana.http-response-limit",
                c.get("http-response-limit").asString().orElse("1Mi")));
    config.validate();
    return config;
  }

  private void validate() {
    if (initialBackoff.isZero() || initialBackoff.isNegative()) {
      throw new IllegalArgumentException(
          "grafana.retry.initial-backoff: expected a positive duration, got " + initialBackoff);
    }
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "grafana.retry.max-backoff: expected at least initial-backoff ("
              + initialBackoff
              + "), got "
              + maxBackoff);
    }
    if (resyncInterval.isNegative()) {
      throw new IllegalArgumentException(
          "grafana.resync-interval: expected zero (off) or a positive duration");
    }
    if (datasourceUid.isBlank() || folderUid.isBlank()) {
      throw new IllegalArgumentException(
          "grafana.datasource.uid and grafana.folder-uid: expected non-blank uids");
    }
  }

  /** Secrets redacted. */
  @Override
  public String toString() {
    return "GrafanaConfig[url="
        + url
        + ", user="
        + user
        + ", auth="
        + (token.isPresent() || tokenFile.isPresent() ? "token" : "basic")
        + ", prometheusUrl="
        + prometheusUrl
        + ", folder="
        + folder
        + ", mode="
        + mode
        + "]";
  }

  private static URI httpUrl(String key, String value) {
    try {
      URI uri = URI.create(value.trim());
      if (uri.getHost() == null
          || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
        throw new IllegalArgumentException("not http(s)");
      }
      String s = uri.toString();
      return s.endsWith("/") ? URI.create(s.substring(0, s.length() - 1)) : uri;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          key
              + ": expected an absolute http(s) URL such as http://grafana:3000, got '"
              + value
              + "'",
          e);
    }
  }

  private static Duration duration(Config c, String key, String fallback) {
    String value = c.get(key).asString().orElse(fallback);
    try {
      return Duration.parse(value);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "grafana." + key + ": expected an ISO-8601 duration such as PT30S, got '" + value + "'",
          e);
    }
  }

  private static Optional<String> nonBlank(Optional<String> value) {
    return value.map(String::trim).filter(s -> !s.isEmpty());
  }
}
