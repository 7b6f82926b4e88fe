package app.flagger.loadtester.task;

import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Log lines about tasks and gates, each carrying the canary ({@code name.namespace}) as a field
 * that {@code JsonLogFormatter} writes next to the message. Messages pass through {@link Redactor}
 * first: they quote command lines and their output.
 */
public final class TaskLog {
  private static final Logger LOG = Logger.getLogger("app.flagger.loadtester");

  private TaskLog() {}

  /** Carrier of the canary field; the formatter recognises it among a record's parameters. */
  public record Canary(String value) {}

  public static void info(String canary, String message) {
    log(Level.INFO, canary, message);
  }

  public static void warn(String canary, String message) {
    log(Level.WARNING, canary, message);
  }

  private static void log(Level level, String canary, String message) {
    if (!LOG.isLoggable(level)) {
      return;
    }
    LogRecord r = new LogRecord(level, Redactor.redact(message));
    r.setLoggerName(LOG.getName());
    r.setParameters(new Object[] {new Canary(canary)});
    LOG.log(r);
  }
}
