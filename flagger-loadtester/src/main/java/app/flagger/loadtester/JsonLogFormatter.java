package app.flagger.loadtester;

import app.flagger.loadtester.task.Redactor;
import app.flagger.loadtester.task.TaskLog;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * Writes each log record as one JSON line: {@code ts}, {@code level}, {@code logger}, {@code msg},
 * {@code canary} (when the record is about one) and {@code error}. Message and error pass through
 * {@link Redactor}, whichever logger wrote them.
 */
public final class JsonLogFormatter extends Formatter {
  @Override
  public String format(LogRecord r) {
    JsonObjectBuilder b =
        Json.createObjectBuilder()
            .add("ts", r.getInstant().toString())
            .add("level", r.getLevel().getName().toLowerCase(java.util.Locale.ROOT))
            .add("logger", r.getLoggerName() == null ? "" : r.getLoggerName());
    String canary = null;
    if (r.getParameters() != null) {
      for (Object p : r.getParameters()) {
        if (p instanceof TaskLog.Canary c) {
          canary = c.value();
        }
      }
    }
    // task messages carry commands with braces, so they are not run through MessageFormat
    b.add("msg", Redactor.redact(canary != null ? r.getMessage() : formatMessage(r)));
    if (canary != null) {
      b.add("canary", canary);
    }
    if (r.getThrown() != null) {
      StringWriter sw = new StringWriter();
      r.getThrown().printStackTrace(new PrintWriter(sw));
      b.add("error", Redactor.redact(sw.toString()));
    }
    return b.build().toString() + System.lineSeparator();
  }
}
