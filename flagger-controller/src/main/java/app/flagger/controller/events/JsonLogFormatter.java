package app.flagger.controller.events;

import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * Formats log records as one JSON object per line with Flagger's zap keys: {@code level}
 * (lowercase), {@code ts} (ISO-8601), {@code caller}, {@code msg}, and {@code canary} on
 * canary-scoped lines, plus {@code stacktrace} when there is a throwable.
 */
public final class JsonLogFormatter extends Formatter {
  /** A log parameter that becomes the {@code canary} field. */
  public record CanaryField(String key) {}

  @Override
  public String format(LogRecord r) {
    JsonObjectBuilder b =
        Json.createObjectBuilder()
            .add("level", level(r.getLevel()))
            .add("ts", r.getInstant().toString())
            .add("caller", caller(r))
            .add("msg", formatMessage(r));
    if (r.getParameters() != null) {
      for (Object p : r.getParameters()) {
        if (p instanceof CanaryField c) {
          b.add("canary", c.key());
        }
      }
    }
    if (r.getThrown() != null) {
      StringWriter sw = new StringWriter();
      r.getThrown().printStackTrace(new PrintWriter(sw));
      b.add("stacktrace", sw.toString());
    }
    return b.build().toString() + System.lineSeparator();
  }

  @Override
  public String formatMessage(LogRecord r) {
    if (r.getParameters() != null
        && r.getParameters().length > 0
        && r.getParameters()[0] instanceof CanaryField) {
      return r.getMessage();
    }
    return super.formatMessage(r);
  }

  static String level(Level l) {
    if (l.intValue() >= Level.SEVERE.intValue()) {
      return "error";
    }
    if (l.intValue() >= Level.WARNING.intValue()) {
      return "warn";
    }
    if (l.intValue() >= Level.INFO.intValue()) {
      return "info";
    }
    return "debug";
  }

  private static String caller(LogRecord r) {
    String cls = r.getSourceClassName() == null ? r.getLoggerName() : r.getSourceClassName();
    if (cls == null) {
      return "";
    }
    String simple = cls.substring(cls.lastIndexOf('.') + 1);
    return r.getSourceMethodName() == null ? simple : simple + "." + r.getSourceMethodName();
  }
}
