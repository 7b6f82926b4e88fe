package app.flagger.loadtester;

import app.flagger.loadtester.task.Redactor;
import app.flagger.model.logging.JsonLogFormatter;

/**
 * The services' JSON log format, with credentials masked in every message and stack trace,
 * whichever logger wrote them: the load tester's lines quote command lines, headers and URLs.
 */
public final class RedactingJsonLogFormatter extends JsonLogFormatter {
  @Override
  protected String scrub(String text) {
    return Redactor.redact(text);
  }
}
