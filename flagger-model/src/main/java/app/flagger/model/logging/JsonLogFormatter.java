package app.flagger.model.logging;

import app.flagger.model.json.Jsons;
import jakarta.json.JsonObjectBuilder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * One JSON object per line with the keys of Flagger's zap logger, in its order: {@code level}
 * ({@code debug}, {@code info}, {@code warn}, {@code error}), {@code ts} (ISO-8601, UTC,
 * milliseconds), {@code caller} (zap's short caller, {@code <package>/<File>.java:<line>}), {@code
 * msg}, {@code canary} ({@code <name>.<namespace>}) when a {@link CanaryField} is among the
 * record's parameters, and {@code stacktrace} when the record carries a throwable. Never throws: a
 * record it cannot format still becomes one JSON line.
 */
public class JsonLogFormatter extends Formatter {
  private static final DateTimeFormatter TS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final StackWalker STACK = StackWalker.getInstance();

  /** A log parameter that becomes the {@code canary} field: {@code <name>.<namespace>}. */
  public record CanaryField(String key) {}

  @Override
  public String format(LogRecord r) {
    JsonObjectBuilder b = Jsons.createObjectBuilder();
    try {
      b.add("level", level(r.getLevel()))
          .add("ts", r.getInstant() == null ? "" : TS.format(r.getInstant()))
          .add("caller", caller(r))
          .add("msg", scrub(nonNull(formatMessage(r))));
      String canary = canary(r);
      if (canary != null) {
        b.add("canary", canary);
      }
      if (r.getThrown() != null) {
        b.add("stacktrace", scrub(stackTrace(r.getThrown())));
      }
    } catch (RuntimeException e) {
      b.add("msg", nonNull(r.getMessage())).add("formatError", e.toString());
    }
    return b.build() + System.lineSeparator();
  }

  /**
   * The message; a record carrying a {@link CanaryField} is not run through {@code MessageFormat}
   * (its text often holds braces, such as a command's JSON).
   */
  @Override
  public String formatMessage(LogRecord r) {
    return canary(r) != null ? r.getMessage() : super.formatMessage(r);
  }

  /**
   * What a message or stack trace becomes before it is written: itself here; a service whose log
   * lines may quote credentials (the load tester's command lines) masks them.
   */
  protected String scrub(String text) {
    return text;
  }

  /** zap's level names. */
  static String level(Level l) {
    int v = l == null ? Level.INFO.intValue() : l.intValue();
    if (v >= Level.SEVERE.intValue()) {
      return "error";
    }
    if (v >= Level.WARNING.intValue()) {
      return "warn";
    }
    if (v >= Level.INFO.intValue()) {
      return "info";
    }
    return "debug";
  }

  /**
   * {@code <last package segment>/<File>.java:<line>} of the frame that logged, found on the
   * current stack (handlers format on the logging thread); {@code <package>/<Class>.java} when the
   * frame is not on it (a record built elsewhere), the logger's name when there is no source.
   */
  static String caller(LogRecord r) {
    String cls = r.getSourceClassName();
    String method = r.getSourceMethodName();
    if (cls == null) {
      return nonNull(r.getLoggerName());
    }
    String pkg = cls.lastIndexOf('.') < 0 ? "" : cls.substring(0, cls.lastIndexOf('.'));
    String dir = pkg.isEmpty() ? "" : pkg.substring(pkg.lastIndexOf('.') + 1) + "/";
    StackWalker.StackFrame frame =
        method == null
            ? null
            : STACK
                .walk(
                    s ->
                        s.filter(
                                f ->
                                    f.getClassName().equals(cls)
                                        && f.getMethodName().equals(method))
                            .findFirst())
                .orElse(null);
    if (frame != null && frame.getFileName() != null && frame.getLineNumber() > 0) {
      return dir + frame.getFileName() + ":" + frame.getLineNumber();
    }
    String simple = cls.substring(cls.lastIndexOf('.') + 1);
    int nested = simple.indexOf('$');
    return dir + (nested > 0 ? simple.substring(0, nested) : simple) + ".java";
  }

  private static String canary(LogRecord r) {
    if (r.getParameters() != null) {
      for (Object p : r.getParameters()) {
        if (p instanceof CanaryField c && c.key() != null) {
          return c.key();
        }
      }
    }
    return null;
  }

  private static String stackTrace(Throwable t) {
    StringWriter sw = new StringWriter();
    t.printStackTrace(new PrintWriter(sw));
    return sw.toString().stripTrailing();
  }

  private static String nonNull(String s) {
    return s == null ? "" : s;
  }
}
