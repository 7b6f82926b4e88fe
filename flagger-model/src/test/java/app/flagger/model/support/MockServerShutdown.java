package app.flagger.model.support;

/**
 * Stops fabric8's mock API server the same way in every module's tests. Its shutdown gives up after
 * 10 s when a connection or its event loop is still busy ("Unable to close MockWebServer"), which
 * on a loaded machine can happen after every assertion of the test passed. That is reported on
 * stderr with its cause instead of failing a test whose behaviour was checked; any other failure is
 * thrown.
 */
public final class MockServerShutdown {
  private static final String SLOW_CLOSE = "Unable to close MockWebServer";

  private MockServerShutdown() {}

  /** Runs {@code destroy} (e.g. {@code server::destroy}), tolerating only a slow close. */
  public static void destroy(Runnable destroy) {
    try {
      destroy.run();
    } catch (IllegalStateException e) {
      if (!String.valueOf(e.getMessage()).startsWith(SLOW_CLOSE)) {
        throw e;
      }
      System.err.println("mock API server: " + e.getMessage() + ": " + e.getCause());
    }
  }
}
