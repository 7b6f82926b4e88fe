package app.flagger.controller.notifier;

import app.flagger.model.http.BoundedBody;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webclient.api.HttpClientRequest;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.Proxy;
import io.helidon.webclient.api.WebClient;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;

/**
 * POSTs a JSON payload to a hook URL: bounded by a timeout (5 s by default), optional HTTP proxy,
 * optional bearer token. Non-2xx answers are errors {@code postMessage failed: sending notification
 * bad response <code>: <body>}, with the body read up to the response limit; a 2xx body is never
 * read.
 */
final class NotifierHttp {
  private final URI url;
  private final WebClient client;
  private final String token;
  private final long responseLimit;

  NotifierHttp(URI url, String proxy, String token, Duration timeout, long responseLimit)
      throws NotifierException {
    this.url = url;
    this.responseLimit = responseLimit;
    this.token = token == null || token.isEmpty() ? null : token;
    var builder =
        WebClient.builder().connectTimeout(timeout).readTimeout(timeout).followRedirects(false);
    if (proxy != null && !proxy.isEmpty()) {
      builder.proxy(proxy(proxy));
    }
    this.client = builder.build();
  }

  /** Parses a hook URL; {@code what} names it in the error ({@code Slack hook}). */
  static URI parseUrl(String address, String what) throws NotifierException {
    try {
      URI uri = new URI(address);
      if (uri.getScheme() == null || uri.getHost() == null) {
        throw new NotifierException("invalid " + what + " URL " + address);
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new NotifierException("invalid " + what + " URL " + address);
    }
  }

  private static Proxy proxy(String proxy) throws NotifierException {
    URI uri = parseUrl(proxy, "proxy");
    int port = uri.getPort() > 0 ? uri.getPort() : ("https".equals(uri.getScheme()) ? 443 : 80);
    return Proxy.builder().type(Proxy.ProxyType.HTTP).host(uri.getHost()).port(port).build();
  }

  /** The answer's body, or why it was not read; the hook's path may hold its secret. */
  private String errorBody(HttpClientResponse response) {
    try {
      return BoundedBody.read(
          response.inputStream(),
          response.headers().contentLength(),
          responseLimit,
          BoundedBody.origin(url));
    } catch (BoundedBody.TooLargeException e) {
      return e.getMessage();
    }
  }

  void post(JsonObject payload) throws NotifierException {
    HttpClientRequest request = client.post().uri(url).header(HeaderValues.CONTENT_TYPE_JSON);
    if (token != null) {
      request.header(HeaderNames.AUTHORIZATION, "Bearer " + token);
    }
    try (HttpClientResponse response = request.submit(payload.toString())) {
      int code = response.status().code();
      if (code < 200 || code >= 300) {
        throw new NotifierException(
            "postMessage failed: sending notification bad response "
                + code
                + ": "
                + errorBody(response));
      }
    } catch (NotifierException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new NotifierException(
          "postMessage failed: sending notification failed: " + e.getMessage(), e);
    }
  }
}
