package app.flagger.controller.observe;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.service.registry.Services;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * {@code GET /metrics}: the per-Canary families of {@link CanarySeries}, then Micrometer's scrape
 * of every other meter (the controller's own, {@code flagger_info}, {@code flagger_canary_total},
 * the JVM's), in Prometheus' text format 0.0.4, with its length known before the first byte is
 * sent. Served as a filter in front of Helidon's metrics observer, which still answers every other
 * path under it.
 */
public final class MetricsEndpoint implements Filter {
  /** What Prometheus' client libraries send for the text format; Prometheus asks for it too. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final String path;
  private final CanarySeries series;
  private final Supplier<MeterRegistry> registry;
  private final AtomicReference<Buffer> spare = new AtomicReference<>();

  /**
   * Serves {@code path} from {@code series} and the registry {@code registry} supplies, looked up
   * on the first request (meters are registered after the server is built).
   */
  public MetricsEndpoint(String path, CanarySeries series, Supplier<MeterRegistry> registry) {
    this.path = path;
    this.series = series;
    this.registry = registry;
  }

  /** Serves {@code path} from the JVM's series and Helidon's global registry. */
  public static MetricsEndpoint at(String path) {
    return new MetricsEndpoint(
        path, CanarySeries.shared(), () -> Services.get(MeterRegistry.class));
  }

  @Override
  public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    if (!req.prologue().method().equals(Method.GET) || !req.path().path().equals(path)) {
      chain.proceed();
      return;
    }
    Buffer out = spare.getAndSet(null);
    if (out == null) {
      out = new Buffer();
    }
    try {
      render(out);
      res.header(HeaderNames.CONTENT_TYPE, CONTENT_TYPE);
      res.header(HeaderNames.CACHE_CONTROL, "no-cache, no-store, must-revalidate, no-transform");
      // no X-Content-Type-Options: with it MetricsRenderIT's GET p50 doubled (monitoring docs)
      out.sendTo(res);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      out.reset();
      spare.set(out);
    }
  }

  /** Writes the whole text of {@code /metrics} to {@code out}. */
  public void render(ByteArrayOutputStream out) throws IOException {
    series.writeTo(out);
    io.micrometer.core.instrument.MeterRegistry m =
        registry.get().unwrap(io.micrometer.core.instrument.MeterRegistry.class);
    List<io.micrometer.core.instrument.MeterRegistry> registries =
        m instanceof CompositeMeterRegistry composite
            ? List.copyOf(composite.getRegistries())
            : List.of(m);
    for (io.micrometer.core.instrument.MeterRegistry r : registries) {
      if (scrape(r, out)) {
        return;
      }
    }
  }

  /**
   * Micrometer's scrape of {@code r} if it is a Prometheus registry: Helidon 4.5 uses the one on
   * Prometheus' simpleclient, later versions the one on Prometheus' client 1.x.
   */
  @SuppressWarnings("deprecation")
  private static boolean scrape(io.micrometer.core.instrument.MeterRegistry r, OutputStream out)
      throws IOException {
    if (r instanceof io.micrometer.prometheus.PrometheusMeterRegistry simpleclient) {
      Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
      simpleclient.scrape(w, CONTENT_TYPE, null);
      w.flush();
      return true;
    }
    if (r instanceof PrometheusMeterRegistry client) {
      client.scrape(out, CONTENT_TYPE, null);
      return true;
    }
    return false;
  }

  /** A buffer kept between scrapes: a scrape of a thousand Canaries is a few megabytes. */
  private static final class Buffer extends ByteArrayOutputStream {
    Buffer() {
      super(64 * 1024);
    }

    /**
     * Sends the buffer as the response's entity with its length, through the response's stream:
     * {@code send(byte[])} would copy it into one more array of a few megabytes per scrape.
     */
    synchronized void sendTo(RoutingResponse res) throws IOException {
      res.header(HeaderNames.CONTENT_LENGTH, String.valueOf(count));
      try (OutputStream body = res.outputStream()) {
        body.write(buf, 0, count);
      }
    }
  }
}
