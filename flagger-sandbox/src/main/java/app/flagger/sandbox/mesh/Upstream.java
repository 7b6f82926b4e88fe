package app.flagger.sandbox.mesh;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Sends a request on to a loopback port and brings back the answer, counting the bytes moved
 * (request line, headers as forwarded and body; status line, headers and body back). Failures
 * become Envoy's answers: 503 when the connection fails, 504 when the route's timeout passes.
 */
final class Upstream implements AutoCloseable {
  /** Headers a proxy does not forward, or that the JDK client sets itself. */
  static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "content-length",
          "date",
          "expect",
          "from",
          "host",
          "keep-alive",
          "proxy-authorization",
          "proxy-connection",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "via",
          "warning");

  /** The default timeout when the route sets none. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .proxy(HttpClient.Builder.NO_PROXY)
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  /**
   * An answer from upstream (or the mesh's own failure answer).
   *
   * @param status the HTTP status
   * @param headers response headers to pass back
   * @param body the body
   * @param sentBytes bytes sent upstream
   * @param receivedBytes bytes received from upstream
   */
  record Answer(
      int status,
      Map<String, List<String>> headers,
      byte[] body,
      long sentBytes,
      long receivedBytes) {}

  CompletableFuture<Answer> send(
      int port,
      String method,
      String pathAndQuery,
      Map<String, List<String>> headers,
      byte[] body,
      Duration timeout) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
            .timeout(timeout == null ? DEFAULT_TIMEOUT : timeout)
            .method(
                method,
                body.length == 0
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    long sent = method.length() + pathAndQuery.length() + 12 + "host: 127.0.0.1:".length() + 7 + 2;
    for (var h : headers.entrySet()) {
      if (HOP_BY_HOP.contains(h.getKey().toLowerCase(Locale.ROOT))) {
        continue;
      }
      for (String v : h.getValue()) {
        b.header(h.getKey(), v);
        sent += h.getKey().length() + v.getBytes(StandardCharsets.UTF_8).length + 4;
      }
    }
    long requestBytes = sent + body.length;
    return client
        .sendAsync(b.build(), HttpResponse.BodyHandlers.ofByteArray())
        .handle(
            (r, e) -> {
              if (e != null) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                return cause instanceof HttpTimeoutException
                    ? failure(504, "upstream request timeout", requestBytes)
                    : failure(
                        503,
                        "upstream connect error or disconnect/reset before headers. reset reason:"
                            + " connection failure",
                        0);
              }
              long received = 17;
              for (var h : r.headers().map().entrySet()) {
                for (String v : h.getValue()) {
                  received += h.getKey().length() + v.length() + 4;
                }
              }
              return new Answer(
                  r.statusCode(),
                  r.headers().map(),
                  r.body(),
                  requestBytes,
                  received + 2 + r.body().length);
            });
  }

  private static Answer failure(int status, String message, long sent) {
    return new Answer(
        status,
        Map.of("content-type", List.of("text/plain")),
        message.getBytes(StandardCharsets.UTF_8),
        sent,
        0);
  }

  @Override
  public void close() {
    client.close();
  }
}
