package app.flagger.model.validation;

import app.flagger.model.common.GoDuration;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

/** Collects validation errors with small helpers for the checks every validator repeats. */
final class Problems {
  private final List<ValidationError> errors = new ArrayList<>();

  void add(String path, String message) {
    errors.add(new ValidationError(path, message));
  }

  List<ValidationError> list() {
    return List.copyOf(errors);
  }

  boolean required(String path, Object value) {
    if (value == null || (value instanceof String s && s.isBlank())) {
      add(path, "required");
      return false;
    }
    return true;
  }

  void range(String path, Integer value, int min, int max) {
    if (value != null && (value < min || value > max)) {
      add(path, "must be between " + min + " and " + max + ", got " + value);
    }
  }

  void atLeast(String path, Integer value, int min) {
    if (value != null && value < min) {
      add(path, "must be at least " + min + ", got " + value);
    }
  }

  /**
   * A duration in the CRD's form ({@code 30s}, {@code 1m}) that Go can also parse; false when it is
   * set and is not one.
   */
  boolean duration(String path, String value) {
    if (value == null || value.isEmpty()) {
      return true;
    }
    if (!GoDuration.matchesCrdPattern(value) || GoDuration.parse(value).isEmpty()) {
      add(path, "'" + value + "' is not a duration like 30s or 1m");
      return false;
    }
    return true;
  }

  /** A value that goes into metric queries: see {@link PlainValue}. */
  void plain(String path, String value) {
    PlainValue.problem(value).ifPresent(problem -> add(path, problem));
  }

  /** An absolute http or https URL. */
  void httpUrl(String path, String value) {
    if (value == null || value.isEmpty()) {
      return;
    }
    try {
      URI uri = new URI(value);
      String scheme = uri.getScheme();
      if (scheme == null
          || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
          || uri.getHost() == null) {
        add(path, "'" + value + "' is not an absolute http or https URL");
      }
    } catch (URISyntaxException e) {
      add(path, "'" + value + "' is not a valid URL: " + e.getReason());
    }
  }

  void oneOf(String path, String value, List<String> allowed, String what) {
    if (value != null && !allowed.contains(value)) {
      add(
          path,
          "unknown " + what + " '" + value + "', expected one of " + String.join(", ", allowed));
    }
  }
}
