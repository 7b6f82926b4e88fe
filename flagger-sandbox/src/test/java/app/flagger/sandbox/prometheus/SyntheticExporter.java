package app.flagger.sandbox.prometheus;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code /metrics} endpoint in Prometheus' text format whose series grow by fixed amounts at
 * every scrape: after scrape {@code n} each series reads {@code n * increment}. Series growing in
 * proportion keep their ratios exact under {@code rate()}, so a success rate or a quantile read
 * through Prometheus is known in advance.
 */
final class SyntheticExporter implements AutoCloseable {
  /** Bucket bounds in milliseconds; duration histograms in seconds use them divided by 1000. */
  static final double[] BOUNDS_MS = {50, 100, 250, 500, 1000, 2500};

  /** One series: name with its labels, and what it grows by at every scrape. */
  record Line(String series, double increment) {}

  private final List<Line> lines;
  private final HttpServer server;
  private long scrapes;

  private SyntheticExporter(List<Line> lines) throws IOException {
    this.lines = List.copyOf(lines);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/metrics", exchange -> respond(exchange.getResponseBody(), exchange));
    server.start();
  }

  static SyntheticExporter start(List<Line> lines) throws IOException {
    return new SyntheticExporter(lines);
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/metrics";
  }

  private void respond(OutputStream body, com.sun.net.httpserver.HttpExchange exchange)
      throws IOException {
    byte[] text = render().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
    exchange.sendResponseHeaders(200, text.length);
    try (body) {
      body.write(text);
    }
  }

  private synchronized String render() {
    scrapes++;
    StringBuilder out = new StringBuilder();
    for (Line l : lines) {
      out.append(l.series()).append(' ').append(scrapes * l.increment()).append('\n');
    }
    return out.toString();
  }

  /** A counter growing by {@code perScrape}. */
  static Line counter(String name, String labels, long perScrape) {
    return new Line(name + "{" + labels + "}", perScrape);
  }

  /**
   * A classic histogram ({@code _bucket}, {@code _sum}, {@code _count}) over {@link #BOUNDS_MS}
   * (scaled by {@code unit}: 1 for milliseconds, 0.001 for seconds) where every one of the {@code
   * perScrape} new observations is {@code observedMs}.
   */
  static List<Line> histogram(
      String name, String labels, double unit, double observedMs, long perScrape) {
    List<Line> out = new ArrayList<>();
    for (double bound : BOUNDS_MS) {
      out.add(
          new Line(
              name + "_bucket{" + labels + ",le=\"" + bound * unit + "\"}",
              observedMs <= bound ? perScrape : 0));
    }
    out.add(new Line(name + "_bucket{" + labels + ",le=\"+Inf\"}", perScrape));
    out.add(new Line(name + "_sum{" + labels + "}", perScrape * observedMs * unit));
    out.add(new Line(name + "_count{" + labels + "}", perScrape));
    return out;
  }

  /**
   * What {@code histogram_quantile(0.99, ...)} gives, in milliseconds, when every observation is
   * {@code observedMs}: linear interpolation inside the bucket holding them.
   */
  static double p99Ms(double observedMs) {
    double lower = 0;
    for (double bound : BOUNDS_MS) {
      if (observedMs <= bound) {
        return lower + (bound - lower) * 0.99;
      }
      lower = bound;
    }
    throw new IllegalArgumentException("beyond the last finite bucket: " + observedMs);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
