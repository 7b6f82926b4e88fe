package app.flagger.sandbox.podinfo;

import java.io.IOException;
import java.io.InputStream;
import java.util.SplittableRandom;

/**
 * The main class of one sandbox pod. It reads its behaviour from the environment ({@link
 * PodinfoConfig#fromEnv}), prints {@code listening <port>} as its first line of output, and exits
 * when its standard input closes, so a pod never outlives the sandbox that started it, even when
 * the sandbox is killed.
 */
public final class PodinfoMain {
  /** The first line a pod prints, followed by its port. */
  public static final String READY_LINE = "listening ";

  private PodinfoMain() {}

  public static void main(String[] args) throws IOException {
    PodinfoConfig config = PodinfoConfig.fromEnv(System.getenv());
    PodinfoServer server =
        PodinfoServer.start(
            new PodinfoResponder(config, new SplittableRandom(config.seed())), config.port());
    System.out.println(READY_LINE + server.port());
    System.out.flush();
    waitForEndOfInput(System.in);
    server.close();
    System.exit(0);
  }

  private static void waitForEndOfInput(InputStream in) {
    try {
      while (in.read() >= 0) {
        // the sandbox never writes to a pod; end of input means it is gone
      }
    } catch (IOException e) {
      // the pipe broke: the sandbox is gone too
    }
  }
}
