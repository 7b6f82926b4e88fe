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
 * re-read each time, so a rotated Secret is picked up. Values are never logged. The placeholder
 * password that earlier releases shipped in their manifests is refused, wherever it comes from.
 */
final class GrafanaAuth implements Supplier<String> {
  /** The admin password the first kustomize manifests shipped; never accepted. */
  static final String PLACEHOLDER_PASSWORD = "change-me-before-use";

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
            .map(p -> refusePlaceholder(p, "grafana.password"))
            .or(
                () ->
                    config
                        .passwordFile()
                        .map(p -> refusePlaceholder(read(p, "grafana.password-file"), p)))
            .orElseThrow(
                () ->
                    new CredentialsException(
                        "no Grafana credentials: set grafana.password or grafana.password-file"
                            + " (basic auth as grafana.user), or grafana.token or"
                            + " grafana.token-file (service-account token)",
                        null));
    String user = config.userFile().map(p -> read(p, "grafana.user-file")).orElseGet(config::user);
    String pair = user + ":" + password;
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Fails when the configured password is the placeholder; called at start-up so the provisioner
   * refuses to run with it. A password file that cannot be read yet is left to the provisioning
   * runs, which retry.
   *
   * @throws CredentialsException naming the key (or file) and what is expected
   */
  void refusePlaceholderPassword() {
    config.password().ifPresent(p -> refusePlaceholder(p, "grafana.password"));
    config
        .passwordFile()
        .ifPresent(
            file -> {
              try {
                refusePlaceholder(Files.readString(file, StandardCharsets.UTF_8).trim(), file);
              } catch (IOException e) {
                // not mounted yet or unreadable: the provisioning runs report it
              }
            });
  }

  private static String refusePlaceholder(String password, Object source) {
    if (PLACEHOLDER_PASSWORD.equals(password)) {
      String where =
          source instanceof Path file
              ? "grafana.password-file (" + file + ")"
              : String.valueOf(source);
      throw new CredentialsException(
          where
              + " holds the placeholder admin password '"
              + PLACEHOLDER_PASSWORD
              + "' that earlier manifests shipped: expected a random password, e.g. in Secret"
              + " flagger-grafana-admin (key admin-password; `make deploy` creates one when the"
              + " Secret is absent), then restart Grafana so it takes the new password",
          null);
    }
    return password;
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
