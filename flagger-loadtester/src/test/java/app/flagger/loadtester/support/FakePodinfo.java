package app.flagger.loadtester.support;

import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * The podinfo endpoints Flagger's acceptance tests call, answered as podinfo answers them (JSON
 * indented by two spaces): {@code POST /token}, {@code /healthz}, {@code /}, {@code /status/N},
 * {@code /delay/N} (seconds), {@code /redirect/N} (N redirects, then {@code /healthz}), {@code
 * /echo}.
 */
public final class FakePodinfo extends Dispatcher {
  public static final String TOKEN = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.test";

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String path = request.getUrl().encodedPath();
    String method = request.getMethod();
    if (path.equals("/token")) {
      return method.equals("POST")
          ? json(
              200,
              "{\n  \"token\": \"" + TOKEN + "\",\n  \"expires_at\": \"2026-12-06T00:00:00Z\"\n}")
          : json(405, "{\n  \"code\": 405,\n  \"message\": \"Method Not Allowed\"\n}");
    }
    if (path.equals("/healthz")) {
      return json(200, "{\n  \"status\": \"OK\"\n}");
    }
    if (path.equals("/")) {
      return json(200, "{\n  \"hostname\": \"podinfo-canary-7f8d\",\n  \"version\": \"6.7.1\"\n}");
    }
    if (path.startsWith("/status/")) {
      int code = Integer.parseInt(path.substring("/status/".length()));
      return json(code, "{\n  \"status\": " + code + "\n}");
    }
    if (path.startsWith("/delay/")) {
      long s = Long.parseLong(path.substring("/delay/".length()));
      return new MockResponse.Builder()
          .headersDelay(s, TimeUnit.SECONDS)
          .body("{\n  \"delay\": " + s + "\n}")
          .build();
    }
    if (path.startsWith("/redirect/")) {
      int n = Integer.parseInt(path.substring("/redirect/".length()));
      String next = n <= 1 ? "/healthz" : "/redirect/" + (n - 1);
      return new MockResponse.Builder().code(302).addHeader("Location", next).body("moved").build();
    }
    if (path.equals("/echo")) {
      return new MockResponse.Builder()
          .body(request.getBody() == null ? "" : request.getBody().utf8())
          .build();
    }
    return json(404, "{\n  \"code\": 404,\n  \"message\": \"not found\"\n}");
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse.Builder()
        .code(code)
        .addHeader("Content-Type", "application/json; charset=utf-8")
        .body(body)
        .build();
  }
}
