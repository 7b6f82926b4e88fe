package app.flagger.sandbox.loadtester;

import java.io.IOException;
import java.io.InputStream;

/**
 * Runs flagger-loadtester's own {@code Main} and exits when standard input closes, so the load
 * tester never outlives the sandbox that started it, even a sandbox killed outright.
 */
public final class LoadTesterChildMain {
  private LoadTesterChildMain() {}

  public static void main(String[] args) {
    Thread.ofPlatform()
        .daemon()
        .name("sandbox-stdin-watch")
        .start(
            () -> {
              waitForEndOfInput(System.in);
              System.exit(0);
            });
    app.flagger.loadtester.Main.main(args);
  }

  private static void waitForEndOfInput(InputStream in) {
    try {
      while (in.read() >= 0) {
        // the sandbox never writes here; end of input means it is gone
      }
    } catch (IOException e) {
      // the pipe broke: the sandbox is gone too
    }
  }
}
