package app.flagger.grafana;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.grafana.client.CredentialsException;
import app.flagger.grafana.support.TestConfigs;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GrafanaAuthTest {
  @TempDir Path dir;

  @Test
  void basicAuthFromUserAndPassword() {
    assertThat(new GrafanaAuth(TestConfigs.grafana("http://g:3000")).get())
        .isEqualTo(TestConfigs.basicAuth());
  }

  /** The password file is re-read on every call, so a rotated Secret is used at once. */
  @Test
  void passwordFileIsReReadOnEveryCall() throws Exception {
    Path file = dir.resolve("admin-password");
    Files.writeString(file, "first\n");
    GrafanaAuth auth = new GrafanaAuth(config(Map.of("password-file", file.toString())));
    String first = auth.get();

    Files.writeString(file, "second\n");

    assertThat(auth.get()).isNotEqualTo(first).isEqualTo(basic("admin:second"));
    assertThat(first).isEqualTo(basic("admin:first"));
  }

  /** The user can come from the same mounted Secret as the password, and wins over user. */
  @Test
  void userFileWinsOverUserAndIsReRead() throws Exception {
    Path user = dir.resolve("admin-user");
    Files.writeString(user, "ops\n");
    GrafanaAuth auth =
        new GrafanaAuth(
            config(Map.of("user", "admin", "password", "pw", "user-file", user.toString())));

    assertThat(auth.get()).isEqualTo(basic("ops:pw"));
    Files.writeString(user, "root");
    assertThat(auth.get()).isEqualTo(basic("root:pw"));
    Files.delete(user);
    assertThatThrownBy(auth::get)
        .isInstanceOf(CredentialsException.class)
        .hasMessageContaining("grafana.user-file: cannot read");
  }

  @Test
  void tokenWinsOverBasicAuth() throws Exception {
    Path file = dir.resolve("token");
    Files.writeString(file, "glsa_abc\n");
    GrafanaAuth auth =
        new GrafanaAuth(config(Map.of("password", "x", "token-file", file.toString())));

    assertThat(auth.get()).isEqualTo("Bearer glsa_abc");
  }

  @Test
  void missingCredentialsAreExplained() {
    assertThatThrownBy(() -> new GrafanaAuth(config(Map.of())).get())
        .isInstanceOf(CredentialsException.class)
        .hasMessageContaining("grafana.password or grafana.password-file");
    assertThatThrownBy(
            () ->
                new GrafanaAuth(config(Map.of("password-file", dir.resolve("nope").toString())))
                    .get())
        .isInstanceOf(CredentialsException.class)
        .hasMessageContaining("grafana.password-file: cannot read");
  }

  /** The password earlier manifests shipped is refused, inline or from the Secret's file. */
  @Test
  void thePlaceholderPasswordIsRefused() throws Exception {
    assertThatThrownBy(
            () -> new GrafanaAuth(config(Map.of("password", "change-me-before-use"))).get())
        .isInstanceOf(CredentialsException.class)
        .hasMessageStartingWith("grafana.password holds the placeholder admin password")
        .hasMessageContaining("expected a random password");
    Path file = dir.resolve("admin-password");
    Files.writeString(file, "change-me-before-use\n");
    GrafanaAuth auth = new GrafanaAuth(config(Map.of("password-file", file.toString())));
    assertThatThrownBy(auth::get)
        .isInstanceOf(CredentialsException.class)
        .hasMessageContaining("grafana.password-file (" + file + ")")
        .hasMessageContaining("Secret flagger-grafana-admin (key admin-password");

    Files.writeString(file, "a-real-random-password");
    assertThat(auth.get()).isEqualTo(basic("admin:a-real-random-password"));
  }

  /** At start-up: the placeholder stops the provisioner; a file not mounted yet does not. */
  @Test
  void theProvisionerRefusesToStartWithThePlaceholder() throws Exception {
    Path file = dir.resolve("admin-password");
    Files.writeString(file, "change-me-before-use");
    Config withPlaceholder =
        Config.just(ConfigSources.create(Map.of("grafana.password-file", file.toString())));

    assertThatThrownBy(() -> Main.startupConfig(withPlaceholder))
        .isInstanceOf(CredentialsException.class)
        .hasMessageContaining("grafana.password-file")
        .hasMessageContaining("placeholder");
    assertThatThrownBy(
            () ->
                Main.startupConfig(
                    Config.just(
                        ConfigSources.create(Map.of("grafana.password", "change-me-before-use")))))
        .isInstanceOf(CredentialsException.class)
        .hasMessageContaining("grafana.password holds the placeholder");

    Files.writeString(file, "a-real-random-password");
    assertThat(Main.startupConfig(withPlaceholder).passwordFile()).hasValue(file);
    Config notMounted =
        Config.just(
            ConfigSources.create(
                Map.of("grafana.password-file", dir.resolve("absent").toString())));
    assertThat(Main.startupConfig(notMounted).passwordFile()).isPresent();
  }

  private static GrafanaConfig config(Map<String, String> grafana) {
    Map<String, String> map = new java.util.HashMap<>();
    grafana.forEach((k, v) -> map.put("grafana." + k, v));
    return GrafanaConfig.from(Config.just(ConfigSources.create(map)).get("grafana"));
  }

  private static String basic(String pair) {
    return "Basic " + java.util.Base64.getEncoder().encodeToString(pair.getBytes());
  }
}
