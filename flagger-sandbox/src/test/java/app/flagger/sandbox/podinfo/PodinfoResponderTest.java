package app.flagger.sandbox.podinfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The demo app's behaviour comes from the pod's environment. */
class PodinfoResponderTest {

  private static PodinfoResponder responder(Map<String, String> env) {
    return new PodinfoResponder(PodinfoConfig.fromEnv(env), new SplittableRandom(42));
  }

  @Test
  void versionIsTheImageTagUnlessSetExplicitly() {
    assertThat(PodinfoConfig.versionOf("ghcr.io/stefanprodan/podinfo:6.0.1")).isEqualTo("6.0.1");
    assertThat(PodinfoConfig.versionOf("localhost:5000/podinfo")).isEqualTo("latest");
    assertThat(PodinfoConfig.versionOf("podinfo:6.1.0@sha256:abc")).isEqualTo("6.1.0");
    assertThat(
            PodinfoConfig.fromEnv(Map.of("POD_IMAGE", "podinfo:6.0.0", "PODINFO_VERSION", "7.0.0"))
                .version())
        .isEqualTo("7.0.0");
  }

  @Test
  void requestDurationsAreAHistogramByMethodRouteAndStatus() {
    PodinfoResponder r = responder(Map.of("POD_IMAGE", "podinfo:6.0.1"));
    r.served("GET", "/", 200, 0.003);
    r.served("GET", "/", 200, 0.2);
    r.served("GET", "/status/503", 503, 0.001);
    String text = r.metrics();
    assertThat(text)
        .contains("# TYPE http_request_duration_seconds histogram")
        .contains(
            "http_request_duration_seconds_bucket{method=\"GET\",path=\"/\",status=\"200\",le=\"0.005\"} 1")
        .contains(
            "http_request_duration_seconds_bucket{method=\"GET\",path=\"/\",status=\"200\",le=\"0.25\"} 2")
        .contains("http_request_duration_seconds_count{method=\"GET\",path=\"/\",status=\"200\"} 2")
        .contains(
            "http_request_duration_seconds_count{method=\"GET\",path=\"/status/{code}\",status=\"503\"} 1");
  }

  @Test
  void rootReportsVersionAndPodName() {
    PodinfoReply reply =
        responder(Map.of("POD_IMAGE", "ghcr.io/stefanprodan/podinfo:6.0.1", "POD_NAME", "p-1"))
            .reply("GET", "/");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body()).contains("\"hostname\":\"p-1\"").contains("\"version\":\"6.0.1\"");
  }

  @Test
  void errorRateFailsThatShareOfApplicationRequestsButNeverProbes() {
    PodinfoResponder r = responder(Map.of("ERROR_RATE", "0.25"));
    int failed = 0;
    for (int i = 0; i < 4000; i++) {
      if (r.reply("GET", "/").status() == 500) {
        failed++;
      }
      assertThat(r.reply("GET", "/readyz").status()).isEqualTo(200);
      assertThat(r.reply("GET", "/healthz").status()).isEqualTo(200);
    }
    assertThat(failed / 4000.0).isBetween(0.22, 0.28);
  }

  @Test
  void latencyAndDelayAddUp() {
    PodinfoResponder r = responder(Map.of("LATENCY_MS", "20"));
    assertThat(r.reply("GET", "/").delayMs()).isEqualTo(20);
    assertThat(r.reply("GET", "/delay/2").delayMs()).isEqualTo(2020);
    assertThat(r.reply("GET", "/readyz").delayMs()).isZero();
  }

  @Test
  void statusEndpointAnswersTheRequestedCode() {
    PodinfoResponder r = responder(Map.of());
    assertThat(r.reply("GET", "/status/503").status()).isEqualTo(503);
    assertThat(r.reply("GET", "/status/abc").status()).isEqualTo(400);
    assertThat(r.reply("GET", "/status/abc").body()).contains("status code must be 100..599");
    assertThat(r.reply("GET", "/nope").status()).isEqualTo(404);
    assertThat(r.reply("POST", "/token").body()).containsPattern("\"token\":\"[0-9a-f]{32}\"");
  }

  @Test
  void badSettingsNameTheVariable() {
    assertThatThrownBy(() -> PodinfoConfig.fromEnv(Map.of("ERROR_RATE", "lots")))
        .hasMessageContaining("ERROR_RATE must be a number");
    assertThatThrownBy(() -> PodinfoConfig.fromEnv(Map.of("ERROR_RATE", "1.5")))
        .hasMessageContaining("ERROR_RATE must be a number from 0 to 1");
  }
}
