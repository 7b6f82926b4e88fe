package app.flagger.controller.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts the fabric8 client's retries by cause (its debug log lines), so the benchmark can tell
 * what the {@code kubernetes} errors were: a response code, or the I/O failure (timeouts included).
 */
final class RetryCounter extends Handler {
  private static final String LOGGER = "io.fabric8.kubernetes.client.http.StandardHttpClient";
  private static final Pattern CODE = Pattern.compile("response code was (\\d+)");

  private final Map<String, LongAdder> causes = new ConcurrentHashMap<>();

  static RetryCounter install() {
    RetryCounter counter = new RetryCounter();
    Logger logger = Logger.getLogger(LOGGER);
    logger.setLevel(Level.FINE);
    logger.setUseParentHandlers(false);
    logger.addHandler(counter);
    return counter;
  }

  @Override
  public void publish(LogRecord r) {
    String msg = r.getMessage() == null ? "" : r.getMessage();
    if (!msg.contains("should be retried")) {
      return;
    }
    Matcher m = CODE.matcher(msg);
    String cause;
    if (m.find()) {
      cause = "status " + m.group(1);
    } else {
      Throwable t = r.getThrown();
      while (t != null && t.getCause() != null && t.getCause() != t) {
        t = t.getCause();
      }
      cause = t == null ? "IOException" : t.getClass().getSimpleName();
    }
    causes.computeIfAbsent(cause, k -> new LongAdder()).increment();
  }

  /** Retries by cause so far, and resets them. */
  Map<String, Long> drain() {
    Map<String, Long> out = new TreeMap<>();
    causes.forEach((k, v) -> out.put(k, v.sumThenReset()));
    out.values().removeIf(v -> v == 0);
    return out;
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}
}
