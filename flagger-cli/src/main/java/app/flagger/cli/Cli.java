package app.flagger.cli;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintWriter;
import java.time.Clock;
import picocli.CommandLine;

/** Parses the arguments, runs the command and turns its outcome into an exit code. */
final class Cli {
  static final int DONE = 0;
  static final int REFUSED = 1;
  static final int USAGE = 2;

  private Cli() {}

  /** Runs {@code args} writing to {@code out} and {@code err}; returns the exit code. */
  static int run(String[] args, PrintWriter out, PrintWriter err, Clock clock) {
    CommandLine cl = new CommandLine(new FlaggerCommand(clock));
    cl.setOut(out);
    cl.setErr(err);
    cl.setUsageHelpWidth(100);
    for (CommandLine sub : cl.getSubcommands().values()) {
      sub.getCommandSpec().versionProvider(new FlaggerCommand.Version());
    }
    cl.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          cmd.getErr().println("error: " + message(e));
          cmd.getErr().flush();
          return REFUSED;
        });
    try {
      return cl.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  /** What went wrong, as kubectl says it: {@code Error from server (Forbidden): ...}. */
  static String message(Exception e) {
    if (e instanceof KubernetesClientException k) {
      var status = k.getStatus();
      if (status != null && status.getMessage() != null) {
        String reason = status.getReason() == null ? "code " + k.getCode() : status.getReason();
        return "Error from server (" + reason + "): " + status.getMessage();
      }
      Throwable cause = k.getCause();
      if (cause != null && cause.getMessage() != null) {
        return k.getMessage() + ": " + cause.getMessage();
      }
    }
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }
}
