package app.flagger.model.validation;

/**
 * One problem found in an object: the field's path ({@code spec.analysis.stepWeight}) and what was
 * expected.
 */
public record ValidationError(String path, String message) {
  @Override
  public String toString() {
    return path + ": " + message;
  }
}
