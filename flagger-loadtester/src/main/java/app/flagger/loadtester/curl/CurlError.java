package app.flagger.loadtester.curl;

/**
 * A curl failure with its exit code and message, written as {@code curl: (code) message}.
 *
 * @param always written even with {@code -s} (the load tester's own refusals)
 */
final class CurlError extends Exception {
  private final int code;
  private final boolean always;

  CurlError(int code, String message) {
    this(code, message, false);
  }

  CurlError(int code, String message, boolean always) {
    super(message, null, false, false);
    this.code = code;
    this.always = always;
  }

  int code() {
    return code;
  }

  boolean always() {
    return always;
  }
}
