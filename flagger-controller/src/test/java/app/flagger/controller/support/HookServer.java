package app.flagger.controller.support;

import app.flagger.model.webhook.CanaryWebhookPayload;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A webhook receiver on mockwebserver: records {@code <path> <phase>} per call and answers each
 * path with a configurable status (200 by default).
 */
public final class HookServer implements AutoCloseable {
  private final MockWebServer server = new MockWebServer();
  private final List<String> calls = new ArrayList<>();
  private final List<String> bodies = new ArrayList<>();
  private final Map<String, Integer> codes = new ConcurrentHashMap<>();

  public HookServer() throws IOException {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest r) {
            String body = r.getBody().utf8();
            String path = r.getUrl().encodedPath().substring(1);
            synchronized (calls) {
              calls.add(path + " " + CanaryWebhookPayload.parse(body).phase());
              bodies.add(body);
            }
            int code = codes.getOrDefault(path, 200);
            return new MockResponse.Builder()
                .code(code)
                .body(code == 200 ? "" : "Forbidden")
                .build();
          }
        });
    server.start();
  }

  public String url(String path) {
    return server.url("/" + path).toString();
  }

  /** Answers {@code path} with {@code code} from now on. */
  public void respond(String path, int code) {
    codes.put(path, code);
  }

  public List<String> calls() {
    synchronized (calls) {
      return List.copyOf(calls);
    }
  }

  public List<String> bodies() {
    synchronized (calls) {
      return List.copyOf(bodies);
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
