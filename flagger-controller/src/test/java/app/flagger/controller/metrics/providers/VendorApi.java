package app.flagger.controller.metrics.providers;

import app.flagger.controller.support.TestFactories;
import app.flagger.model.common.SecretReference;
import app.flagger.model.http.BoundedBody;
import app.flagger.model.metric.MetricTemplateProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A metrics vendor's API stub for the provider tests: answers queued bodies (literal or from {@code
 * src/test/resources/metrics/<type>/}) and builds providers of one type against itself on a fixed
 * clock.
 */
final class VendorApi implements AutoCloseable {
  /**
   * The fixed clock's instant: 2026-12-06T00:00:00.500Z (the half second is dropped by Flagger).
   */
  static final Instant NOW = Instant.parse("2026-12-06T00:00:00.500Z");

  /** A range query's window: the minute up to the fixed clock's whole second, 2 s steps. */
  static final RangeWindow LAST_MINUTE =
      new RangeWindow(
          Instant.parse("2026-12-05T23:59:00Z"),
          Instant.parse("2026-12-06T00:00:00Z"),
          Duration.ofSeconds(2));

  final MockWebServer server = new MockWebServer();
  private final String type;
  private final ProviderFactory factory;

  VendorApi(String type) throws IOException {
    this(type, ProviderFactory.DEFAULT_TIMEOUT);
  }

  VendorApi(String type, Duration timeout) throws IOException {
    this.type = type;
    this.factory =
        new ProviderFactory(
            timeout,
            TestFactories.metrics(),
            BoundedBody.DEFAULT_LIMIT,
            Clock.fixed(NOW, ZoneOffset.UTC));
    server.start();
  }

  /** The server's URL with {@code path} (e.g. {@code "/"}). */
  String address(String path) {
    return server.url(path).toString();
  }

  /**
   * A {@code spec.provider} of this type at {@code address}, with Secret {@code secret} or none.
   */
  MetricTemplateProvider spec(String address, String secret, Map<String, List<String>> headers) {
    return new MetricTemplateProvider(
        type, address, headers, secret == null ? null : new SecretReference(secret), null, null);
  }

  /** The provider of {@code spec} with {@code credentials} for a metric of {@code interval}. */
  MetricsProvider provider(
      MetricTemplateProvider spec, Map<String, String> credentials, String interval)
      throws MetricsProviderException {
    return factory.provider(spec, credentials, interval, null);
  }

  void reply(int code, String body) {
    server.enqueue(new MockResponse.Builder().code(code).body(body).build());
  }

  /** Answers with {@code metrics/<type>/<file>}. */
  void replyFile(int code, String file) {
    reply(code, resource(type + "/" + file));
  }

  /** Answers with {@code body} after {@code seconds}. */
  void replySlowly(String body, int seconds) {
    server.enqueue(
        new MockResponse.Builder().body(body).headersDelay(seconds, TimeUnit.SECONDS).build());
  }

  RecordedRequest take() throws InterruptedException {
    return server.takeRequest(5, TimeUnit.SECONDS);
  }

  static String resource(String name) {
    try (InputStream in = VendorApi.class.getResourceAsStream("/metrics/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource metrics/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
