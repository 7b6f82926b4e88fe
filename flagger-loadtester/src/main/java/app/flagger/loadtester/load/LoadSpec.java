package app.flagger.loadtester.load;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What to send and how hard: one URL, a method, headers and a body, either for a duration or for a
 * number of requests, in the closed model ({@code rate == 0}: each of {@code concurrency}
 * connections sends its next request when the previous answer arrives) or the open model ({@code
 * rate > 0} requests per second in total, at most {@code concurrency} in flight).
 *
 * @param url target ({@code http://} or {@code https://})
 * @param method HTTP method
 * @param headers request headers in order ({@code Host} overrides the URL's authority)
 * @param body request body, empty for none
 * @param duration how long to run; {@link Duration#ZERO} to stop after {@code requests}
 * @param requests how many requests to send; 0 for no limit (then {@code duration} must be set)
 * @param concurrency connections (closed model) or maximum requests in flight (open model)
 * @param rate total requests per second, 0 for the closed model
 * @param timeout per-request timeout, {@link Duration#ZERO} for none
 * @param http2 use HTTP/2 (through the JDK client)
 * @param keepAlive reuse connections
 * @param insecureTls accept any server certificate on {@code https://} (hey always does)
 * @param address the address the URL's host was resolved to and checked against the destination
 *     rules: every connection of the run goes there; {@code null} to resolve when the run starts
 */
public record LoadSpec(
    URI url,
    String method,
    Map<String, String> headers,
    byte[] body,
    Duration duration,
    long requests,
    int concurrency,
    double rate,
    Duration timeout,
    boolean http2,
    boolean keepAlive,
    boolean insecureTls,
    InetAddress address) {

  private static final String TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";

  public LoadSpec {
    Objects.requireNonNull(url, "url");
    String scheme = url.getScheme();
    if (scheme == null || !(scheme.equals("http") || scheme.equals("https"))) {
      throw new IllegalArgumentException("url: must be an http:// or https:// URL, got " + url);
    }
    if (url.getHost() == null) {
      throw new IllegalArgumentException("url: has no host: " + url);
    }
    method = method == null || method.isBlank() ? "GET" : method.toUpperCase(java.util.Locale.ROOT);
    headers =
        Collections.unmodifiableMap(new LinkedHashMap<>(headers == null ? Map.of() : headers));
    body = body == null ? new byte[0] : body;
    if (!method.matches(TOKEN)) {
      throw new IllegalArgumentException("method: not a valid HTTP method: " + method);
    }
    headers.forEach(
        (k, v) -> {
          if (!k.matches(TOKEN)) {
            throw new IllegalArgumentException("headers: invalid header name \"" + k + "\"");
          }
          if (v.indexOf('\r') >= 0 || v.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("headers." + k + ": must not contain line breaks");
          }
        });
    duration = duration == null ? Duration.ZERO : duration;
    timeout = timeout == null ? Duration.ZERO : timeout;
    if (duration.isNegative() || timeout.isNegative()) {
      throw new IllegalArgumentException("duration and timeout must not be negative");
    }
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency: must be at least 1, got " + concurrency);
    }
    if (rate < 0 || Double.isNaN(rate) || Double.isInfinite(rate)) {
      throw new IllegalArgumentException("rate: must be a positive number, got " + rate);
    }
    if (requests < 0) {
      throw new IllegalArgumentException("requests: must not be negative, got " + requests);
    }
    if (duration.isZero() && requests == 0) {
      throw new IllegalArgumentException("either a duration or a number of requests is required");
    }
  }

  /** A spec that verifies TLS certificates, its host resolved when the run starts. */
  public LoadSpec(
      URI url,
      String method,
      Map<String, String> headers,
      byte[] body,
      Duration duration,
      long requests,
      int concurrency,
      double rate,
      Duration timeout,
      boolean http2,
      boolean keepAlive) {
    this(
        url,
        method,
        headers,
        body,
        duration,
        requests,
        concurrency,
        rate,
        timeout,
        http2,
        keepAlive,
        false,
        null);
  }

  /** This spec sent to {@code checked}, the address its host was resolved to and checked. */
  public LoadSpec withAddress(InetAddress checked) {
    return copy(headers, keepAlive, checked);
  }

  /** This spec with other headers and keep-alive setting. */
  public LoadSpec withHeaders(Map<String, String> newHeaders, boolean newKeepAlive) {
    return copy(newHeaders, newKeepAlive, address);
  }

  private LoadSpec copy(Map<String, String> h, boolean keep, InetAddress a) {
    return new LoadSpec(
        url,
        method,
        h,
        body,
        duration,
        requests,
        concurrency,
        rate,
        timeout,
        http2,
        keep,
        insecureTls,
        a);
  }

  /** True when requests are paced at {@link #rate()} (open model). */
  public boolean openModel() {
    return rate > 0;
  }

  /** Port of the URL, with the scheme's default. */
  public int port() {
    return url.getPort() > 0 ? url.getPort() : (url.getScheme().equals("https") ? 443 : 80);
  }
}
