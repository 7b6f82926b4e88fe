package app.flagger.loadtester.task;

import app.flagger.model.logging.JsonLogFormatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Log lines about tasks and gates, each carrying the canary ({@code name.namespace}) as a field
 * that {@link JsonLogFormatter} writes next to the message, as Flagger's load tester does. Messages
 * pass through {@link Redactor} first: they quote command lines and their output.
 */
public final class TaskLog {
  private static final Logger LOG = Logger.getLogger("app.flagger.loadtester");
  private static final StackWalker STACK =
      StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

  private TaskLog() {}

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
    r.setParameters(new Object[] {new JsonLogFormatter.CanaryField(canary)});
    // the caller is the code that called info or warn, not this class
    STACK
        .walk(s -> s.filter(f -> f.getDeclaringClass() != TaskLog.class).findFirst())
        .ifPresent(
            f -> {
              r.setSourceClassName(f.getClassName());
              r.setSourceMethodName(f.getMethodName());
            });
    LOG.log(r);
  }
}
