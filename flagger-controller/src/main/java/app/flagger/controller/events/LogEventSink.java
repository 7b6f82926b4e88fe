package app.flagger.controller.events;

import app.flagger.model.logging.JsonLogFormatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Writes each event as a log line carrying the {@code canary} field ({@code <name>.<ns>}); with
 * {@link JsonLogFormatter} it reads {@code {"level","ts","caller","msg","canary"}} as in Flagger,
 * whose events are logged from one place too ({@code caller} {@code controller/events.go:<line>};
 * here {@code events/LogEventSink.java:<line>}).
 */
public final class LogEventSink implements EventSink {
  private static final Logger LOG = Logger.getLogger("app.flagger.controller.canary-events");

  @Override
  public void record(CanaryEvent event) {
    Level level = event.error() ? Level.SEVERE : Level.INFO;
    if (!LOG.isLoggable(level)) {
      return;
    }
    LogRecord r = new LogRecord(level, event.message());
    r.setLoggerName(LOG.getName());
    r.setParameters(new Object[] {new JsonLogFormatter.CanaryField(event.canary().key())});
    LOG.log(r);
  }
}
