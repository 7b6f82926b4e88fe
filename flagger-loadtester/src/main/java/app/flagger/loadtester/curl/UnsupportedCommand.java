package app.flagger.loadtester.curl;

/** A command line the built-in tools cannot run, with the part that is not supported. */
public final class UnsupportedCommand extends RuntimeException {
  public UnsupportedCommand(String message) {
    super(message, null, false, false);
  }
}
