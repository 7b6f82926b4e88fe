package app.flagger.grafana;

import app.flagger.grafana.client.CredentialsException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Resolves the {@code Authorization} header from the configuration on every call: a service-account
 * token (inline or file) wins over basic auth (user plus inline or file password). Files are
 * re-read each time, so a rotated Secret is picked up. Values are never logged.
 */
final class GrafanaAuth implements Supplier<String> {
  private final GrafanaConfig config;

  GrafanaAuth(GrafanaConfig config) {
    this.config = config;
  }

  @Override
  public String get() {
    Optional<String> token =
        config.token().or(() -> config.tokenFile().map(p -> read(p, "grafana.token-file")));
    if (token.isPresent()) {
      return "Bearer " + token.get();
    }
    String password =
        config
            .password()
            .or(() -> config.passwordFile().map(p -> read(p, "grafana.password-file")))
            .orElseThrow(
                () ->
                    new CredentialsException(
                        "no Grafana credentials: set grafana.password or grafana.password-file"
                            + " (basic auth as grafana.user), or grafana.token or"
                            + " grafana.token-file (service-account token)",
                        null));
    String pair = config.user() + ":" + password;
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  private static String read(Path file, String key) {
    try {
      String value = Files.readString(file, StandardCharsets.UTF_8).trim();
      if (value.isEmpty()) {
        throw new CredentialsException(key + ": file " + file + " is empty", null);
      }
      return value;
    } catch (IOException e) {
      throw new CredentialsException(
          key + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")", e);
    }
  }
}
