package app.flagger.controller.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.controller.ControllerConfig;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code flagger.webhook-auth} settings: where the load tester's token may go. */
class WebhookAuthTest {
  static Config config(Map<String, String> keys) {
    return Config.just(ConfigSources.create(keys));
  }

  static WebhookAuth auth(Map<String, String> keys) {
    return WebhookAuth.from(config(keys).get("flagger"));
  }

  @Test
  void noTokenMeansNoAuthorizationAnywhere() {
    WebhookAuth a = auth(Map.of());
    assertThat(a.enabled()).isFalse();
    assertThat(a.tokenFor("http://flagger-loadtester.test/")).isEmpty();
    assertThat(ControllerConfig.defaults().webhookAuth()).isEqualTo(WebhookAuth.NONE);
  }

  @Test
  void aUrlEntryMatchesItsSchemeHostPortAndPathsBelowIt() {
    WebhookAuth a =
        auth(
            Map.of(
                "flagger.webhook-auth.token", "s3cr3t",
                "flagger.webhook-auth.urls",
                    "http://flagger-loadtester.test/, https://gates.example.com:8443/gate/"));
    assertThat(a.tokenFor("http://flagger-loadtester.test/")).contains("s3cr3t");
    assertThat(a.tokenFor("http://flagger-loadtester.test:80/gate/approve")).contains("s3cr3t");
    assertThat(a.tokenFor("http://FLAGGER-LOADTESTER.test")).contains("s3cr3t");
    assertThat(a.tokenFor("https://gates.example.com:8443/gate")).contains("s3cr3t");
    assertThat(a.tokenFor("https://gates.example.com:8443/gate/check")).contains("s3cr3t");

    assertThat(a.tokenFor("https://flagger-loadtester.test/")).as("other scheme").isEmpty();
    assertThat(a.tokenFor("http://flagger-loadtester.test:8080/")).as("other port").isEmpty();
    assertThat(a.tokenFor("http://flagger-loadtester.test.evil.io/")).as("suffix").isEmpty();
    assertThat(a.tokenFor("http://evil.io/?x=http://flagger-loadtester.test/")).isEmpty();
    assertThat(a.tokenFor("http://user@evil.io/flagger-loadtester.test/")).isEmpty();
    assertThat(a.tokenFor("https://gates.example.com:8443/gateway")).as("path prefix").isEmpty();
    assertThat(a.tokenFor("https://gates.example.com/gate/")).as("default port").isEmpty();
    assertThat(a.tokenFor("not a url")).isEmpty();
  }

  @Test
  void aBareHostMatchesAnySchemePortAndPathOnThatHostOnly() {
    WebhookAuth a =
        auth(
            Map.of(
                "flagger.webhook-auth.token", "s3cr3t",
                "flagger.webhook-auth.urls", "flagger-loadtester.test"));
    assertThat(a.tokenFor("http://flagger-loadtester.test:8080/x")).contains("s3cr3t");
    assertThat(a.tokenFor("https://flagger-loadtester.test/")).contains("s3cr3t");
    assertThat(a.tokenFor("http://flagger-loadtester.test.svc.cluster.local/")).isEmpty();
  }

  @Test
  void theTokenFileWinsAndIsReadAtEachCallSoARotatedSecretIsUsed(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("token");
    Files.writeString(file, "first\n");
    WebhookAuth a =
        auth(
            Map.of(
                "flagger.webhook-auth.token", "ignored",
                "flagger.webhook-auth.token-file", file.toString(),
                "flagger.webhook-auth.urls", "http://lt.test/"));
    assertThat(a.tokenFor("http://lt.test/")).contains("first");
    Files.writeString(file, "second");
    assertThat(a.tokenFor("http://lt.test/")).contains("second");
    Files.delete(file);
    assertThatThrownBy(() -> a.tokenFor("http://lt.test/"))
        .hasMessageContaining("flagger.webhook-auth.token-file: cannot read " + file);
    assertThat(a.tokenFor("http://other.test/")).as("no read for other URLs").isEmpty();
    Files.writeString(file, "  \n");
    assertThatThrownBy(() -> a.tokenFor("http://lt.test/"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("expected a non-empty token");
  }

  @Test
  void aTokenWithoutUrlsIsRefusedRatherThanSentEverywhere() {
    assertThatThrownBy(() -> auth(Map.of("flagger.webhook-auth.token", "s3cr3t")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("flagger.webhook-auth.urls: expected");
    assertThatThrownBy(
            () ->
                ControllerConfig.from(config(Map.of("flagger.webhook-auth.token", "t")), Map.of()))
        .hasMessageStartingWith("flagger.webhook-auth.urls");
  }

  @Test
  void badEntriesAndTokensNameTheKeyWithoutEchoingTheToken() {
    assertThatThrownBy(
            () ->
                auth(
                    Map.of(
                        "flagger.webhook-auth.token", "t",
                        "flagger.webhook-auth.urls", "ftp://lt.test/")))
        .hasMessage(
            "flagger.webhook-auth.urls: expected a host or an http(s) URL prefix, got"
                + " 'ftp://lt.test/'");
    assertThatThrownBy(
            () ->
                auth(
                    Map.of(
                        "flagger.webhook-auth.token", "two words\r\nX-Evil: 1",
                        "flagger.webhook-auth.urls", "lt.test")))
        .hasMessage(
            "flagger.webhook-auth.token: expected a non-empty token of visible ASCII characters")
        .message()
        .doesNotContain("words");
  }

  @Test
  void theTokenNeverAppearsInToString() {
    ControllerConfig c =
        ControllerConfig.from(
            config(
                Map.of(
                    "flagger.webhook-auth.token", "s3cr3t-value",
                    "flagger.webhook-auth.urls", "http://flagger-loadtester.test/")),
            Map.of());
    assertThat(c.toString())
        .doesNotContain("s3cr3t-value")
        .contains("webhookAuth=WebhookAuth[token=****, urls=[http://flagger-loadtester.test:80/]]");
    assertThat(c.webhookAuth().toString()).doesNotContain("s3cr3t-value");
  }
}
