package app.flagger.cli;

import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.time.Clock;

/** {@code kubectl-flagger}: exits 0 when done, 1 when refused, 2 on a usage error. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    Charset cs = System.out.charset();
    int code =
        Cli.run(
            args,
            new PrintWriter(new java.io.OutputStreamWriter(System.out, cs), true),
            new PrintWriter(new java.io.OutputStreamWriter(System.err, cs), true),
            Clock.systemUTC());
    System.exit(code);
  }
}
