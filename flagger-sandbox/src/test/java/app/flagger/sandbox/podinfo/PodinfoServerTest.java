package app.flagger.sandbox.podinfo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The demo app serves its API over HTTP on loopback. */
class PodinfoServerTest {

  @Test
  void servesTheApiOnLoopback() throws Exception {
    PodinfoConfig config =
        PodinfoConfig.fromEnv(Map.of("POD_IMAGE", "podinfo:6.0.1", "POD_NAME", "podinfo-abc"));
    try (PodinfoServer server =
            PodinfoServer.start(new PodinfoResponder(config, new SplittableRandom(1)), 0);
        HttpClient client = HttpClient.newHttpClient()) {
      String base = "http://127.0.0.1:" + server.port();
      HttpResponse<String> root =
          client.send(
              HttpRequest.newBuilder(URI.create(base + "/")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(root.statusCode()).isEqualTo(200);
      assertThat(root.body()).contains("\"version\":\"6.0.1\"").contains("podinfo-abc");
      HttpResponse<String> teapot =
          client.send(
              HttpRequest.newBuilder(URI.create(base + "/status/418")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(teapot.statusCode()).isEqualTo(418);
      HttpResponse<String> metrics =
          client.send(
              HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(metrics.body())
          .contains("http_requests_total{status=\"200\"} 1")
          .contains("http_requests_total{status=\"418\"} 1")
          .contains("podinfo_info{version=\"6.0.1\"} 1");
    }
  }
}
