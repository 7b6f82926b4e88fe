package app.flagger.controller.metrics.template;

/**
 * A query template could not be parsed ({@code template parsing failed: ...}) or executed ({@code
 * template excution failed: ...}, Flagger's spelling); the message names the offending function,
 * variable or key.
 */
public class TemplateException extends Exception {
  public TemplateException(String message) {
    super(message);
  }
}
