package app.flagger.grafana.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.grafana.dashboard.Dashboards;
import app.flagger.model.http.BoundedBody;
import java.net.URI;
import java.time.Duration;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Grafana's answers are read up to the response limit. */
class HttpGrafanaClientTest {
  static final int LIMIT = 1024;

  MockWebServer server = new MockWebServer();
  HttpGrafanaClient client;

  @BeforeEach
  void start() throws Exception {
    server.start();
    client =
        new HttpGrafanaClient(
            URI.create(server.url("/").toString()), () -> "Bearer t", Duration.ofSeconds(5), LIMIT);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** A JSON object of exactly {@code size} bytes. */
  static String json(int size) {
    String head = "{\"uid\":\"podinfo\",\"pad\":\"";
    return head + "x".repeat(size - head.length() - 2) + "\"}";
  }

  @Test
  void anAnswerAtTheLimitIsRead() {
    server.enqueue(new MockResponse.Builder().code(200).body(json(LIMIT)).build());
    assertThat(client.dashboard("podinfo"))
        .get()
        .extracting(d -> d.getString("uid"))
        .isEqualTo("podinfo");
  }

  @Test
  void anAnswerOneByteOverTheLimitIsRejected() {
    server.enqueue(new MockResponse.Builder().code(200).body(json(LIMIT + 1)).build());
    assertThatThrownBy(() -> client.dashboard("podinfo"))
        .isInstanceOfSatisfying(
            GrafanaException.class,
            e -> assertThat(e.kind()).isEqualTo(GrafanaException.Kind.REJECTED))
        .hasMessage(
            "reading dashboard podinfo: response body from "
                + server.url("/api/dashboards/uid/podinfo")
                + " exceeds 1024 bytes");
  }

  @Test
  void aChunkedAnswerOverTheLimitIsRejected() {
    server.enqueue(new MockResponse.Builder().code(200).chunkedBody(json(4096), 100).build());
    assertThatThrownBy(() -> client.folder("flagger"))
        .isInstanceOf(GrafanaException.class)
        .hasMessageEndingWith("exceeds 1024 bytes");
  }

  @Test
  void anOversizeServerErrorStaysATransientFailure() {
    server.enqueue(new MockResponse.Builder().code(503).body("x".repeat(LIMIT + 1)).build());
    assertThatThrownBy(() -> client.health())
        .isInstanceOfSatisfying(
            GrafanaException.class, e -> assertThat(e.transientFailure()).isTrue())
        .hasMessageContaining("failed with 503")
        .hasMessageContaining("exceeds 1024 bytes");
  }

  @Test
  void everyDashboardFitsWellUnderTheDefaultLimit() {
    Dashboards.all()
        .forEach(
            d ->
                assertThat(d.toJson("flagger-prometheus").toString().length())
                    .as(d.uid())
                    .isLessThan((int) BoundedBody.DEFAULT_LIMIT / 4));
  }
}
