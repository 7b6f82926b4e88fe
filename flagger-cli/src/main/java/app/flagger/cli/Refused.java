package app.flagger.cli;

/** A request the plugin does not carry out, with the reason; exit code 1. */
final class Refused extends RuntimeException {
  Refused(String reason) {
    super(reason);
  }
}
