package app.flagger.sandbox.loadtester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.controller.webhook.WebhookAuth;
import app.flagger.sandbox.SandboxStack;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox's load tester requires a token as an installed one does, and the sandbox's controller
 * is configured to send it to every name the load tester has in the sandbox.
 */
class LoadTesterProcessTest {
  private static final String BODY = "{\"name\":\"podinfo\",\"namespace\":\"bluegreen\"}";

  @Test
  void requiresItsRandomTokenWhichTheControllerSends(@TempDir Path dir) throws Exception {
    try (LoadTesterProcess lt =
            LoadTesterProcess.start(
                InetAddress.getLoopbackAddress(), dir, Clock.systemUTC(), Duration.ofSeconds(90));
        HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build()) {
      assertThat(Files.readString(lt.tokenFile())).matches("[0-9a-f]{64}");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(lt.tokenFile())))
          .isEqualTo("rw-------");

      HttpRequest.Builder check =
          HttpRequest.newBuilder(URI.create(lt.url() + "/gate/check"))
              .POST(HttpRequest.BodyPublishers.ofString(BODY));
      assertThat(http.send(check.build(), HttpResponse.BodyHandlers.ofString()).statusCode())
          .isEqualTo(401);
      HttpResponse<String> authorized =
          http.send(
              check.header("Authorization", lt.authorization()).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(authorized.statusCode()).isEqualTo(403);
      assertThat(authorized.body()).isEqualTo("Forbidden");

      WebhookAuth auth =
          WebhookAuth.from(
              Config.just(ConfigSources.create(SandboxStack.webhookAuth(lt))).get("flagger"));
      for (String ns : SandboxStack.LOADTESTER_NAMESPACES) {
        String url = "http://flagger-loadtester." + ns + "/gate/check";
        assertThat(auth.tokenFor(url)).as(url).contains(lt.authorization().substring(7));
      }
      assertThat(auth.applies("http://podinfo-canary.test:9898/")).isFalse();
    }
  }

  @Test
  void namespacesOutsideTheTokensReachAreRefused() {
    assertThatThrownBy(() -> SandboxStack.webhookAuthNamespace("elsewhere"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("add it to SandboxStack.LOADTESTER_NAMESPACES");
  }
}
