package app.flagger.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The event-webhook receiver keeps payloads by path and lists them. */
class EventReceiverTest {

  @Test
  void keepsEventsAndAlertsApartAndListsThem() throws Exception {
    try (EventReceiver r = EventReceiver.start();
        HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build()) {
      assertThat(post(http, r.url(), "{\"name\":\"podinfo\",\"namespace\":\"test\"}"))
          .isEqualTo(202);
      assertThat(post(http, r.url() + "alerts/slack", "{\"text\":\"hi\"}")).isEqualTo(202);
      assertThat(post(http, r.url(), "not json")).isEqualTo(400);
      assertThat(r.payloads())
          .singleElement()
          .satisfies(p -> assertThat(p.getString("name")).isEqualTo("podinfo"));
      assertThat(r.received("/alerts/")).hasSize(1);
      HttpResponse<String> list =
          http.send(
              HttpRequest.newBuilder(URI.create(r.url())).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(list.body()).isEqualTo("[{\"name\":\"podinfo\",\"namespace\":\"test\"}]");
    }
  }

  private static int post(HttpClient http, String url, String body) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}
