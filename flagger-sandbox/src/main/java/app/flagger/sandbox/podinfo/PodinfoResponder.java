package app.flagger.sandbox.podinfo;

import jakarta.json.JsonObject;
import jakarta.json.spi.JsonProvider;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.random.RandomGenerator;

/**
 * The demo app's behaviour as a pure function of method and path, podinfo's API in miniature:
 * {@code /}, {@code /version}, {@code /healthz}, {@code /readyz}, {@code /status/{code}}, {@code
 * /delay/{seconds}} and {@code /token}. Probes are never delayed or failed; every other request
 * gets {@code LATENCY_MS} and fails with probability {@code ERROR_RATE}.
 */
public final class PodinfoResponder {
  private static final long MAX_DELAY_SECONDS = 300;

  /** Looked up once: {@code Json.create…} runs the service lookup on every call. */
  private static final JsonProvider JSON = JsonProvider.provider();

  private final PodinfoConfig config;
  private final RandomGenerator random;
  private final Map<Integer, LongAdder> served = new ConcurrentSkipListMap<>();
  private final RequestDurations durations = new RequestDurations();

  public PodinfoResponder(PodinfoConfig config, RandomGenerator random) {
    this.config = config;
    this.random = random;
  }

  public PodinfoReply reply(String method, String path) {
    PodinfoReply reply = answer(method, path);
    served.computeIfAbsent(reply.status(), s -> new LongAdder()).increment();
    return reply;
  }

  /** Records how long a request took, as podinfo's instrumentation does (probes included). */
  public void served(String method, String path, int status, double seconds) {
    durations.observe(method, path, status, seconds);
  }

  /**
   * The app's own metrics in Prometheus text format, as podinfo names them: requests answered, by
   * status code, probes included.
   */
  public String metrics() {
    StringBuilder out =
        new StringBuilder(
            "# HELP http_requests_total Requests answered by the demo app.\n"
                + "# TYPE http_requests_total counter\n");
    served.forEach(
        (status, n) ->
            out.append("http_requests_total{status=\"")
                .append(status)
                .append("\"} ")
                .append(n.sum())
                .append('\n'));
    durations.render(out);
    out.append("# TYPE podinfo_info gauge\npodinfo_info{version=\"")
        .append(config.version().replace("\"", ""))
        .append("\"} 1\n");
    return out.toString();
  }

  private PodinfoReply answer(String method, String path) {
    if (path.equals("/healthz") || path.equals("/readyz")) {
      return new PodinfoReply(200, json(JSON.createObjectBuilder().add("status", "OK").build()), 0);
    }
    if (injectError()) {
      return new PodinfoReply(
          500,
          error(500, "injected failure (ERROR_RATE=" + config.errorRate() + ")"),
          config.latencyMs());
    }
    PodinfoReply plain = route(method, path);
    return new PodinfoReply(plain.status(), plain.body(), plain.delayMs() + config.latencyMs());
  }

  private boolean injectError() {
    synchronized (random) {
      return config.errorRate() > 0 && random.nextDouble() < config.errorRate();
    }
  }

  private PodinfoReply route(String method, String path) {
    if (path.equals("/") || path.isEmpty()) {
      return ok(info());
    }
    if (path.equals("/version")) {
      return ok(
          json(
              JSON.createObjectBuilder()
                  .add("version", config.version())
                  .add("commit", "")
                  .build()));
    }
    if (path.equals("/token")) {
      return ok(json(JSON.createObjectBuilder().add("token", token()).build()));
    }
    if (path.startsWith("/status/")) {
      Integer code = integer(path.substring("/status/".length()));
      if (code == null || code < 100 || code > 599) {
        return new PodinfoReply(400, error(400, "status code must be 100..599 in " + path), 0);
      }
      return new PodinfoReply(
          code, json(JSON.createObjectBuilder().add("status", code).build()), 0);
    }
    if (path.startsWith("/delay/")) {
      Integer seconds = integer(path.substring("/delay/".length()));
      if (seconds == null || seconds < 0 || seconds > MAX_DELAY_SECONDS) {
        return new PodinfoReply(
            400, error(400, "delay must be 0.." + MAX_DELAY_SECONDS + " seconds in " + path), 0);
      }
      return new PodinfoReply(
          200, json(JSON.createObjectBuilder().add("delay", seconds).build()), seconds * 1000L);
    }
    return new PodinfoReply(404, error(404, method + " " + path + " not found"), 0);
  }

  private String info() {
    return json(
        JSON.createObjectBuilder()
            .add("hostname", config.podName())
            .add("version", config.version())
            .add("revision", "")
            .add("color", "#34577c")
            .add("message", "greetings from podinfo v" + config.version())
            .add("goos", "linux")
            .add("runtime", "java " + Runtime.version().feature())
            .build());
  }

  private String token() {
    byte[] bytes = new byte[16];
    synchronized (random) {
      random.nextBytes(bytes);
    }
    return HexFormat.of().formatHex(bytes);
  }

  private static PodinfoReply ok(String body) {
    return new PodinfoReply(200, body, 0);
  }

  private static String error(int code, String message) {
    return json(JSON.createObjectBuilder().add("code", code).add("message", message).build());
  }

  private static Integer integer(String raw) {
    try {
      return Integer.parseInt(raw);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String json(JsonObject o) {
    return o.toString();
  }
}
