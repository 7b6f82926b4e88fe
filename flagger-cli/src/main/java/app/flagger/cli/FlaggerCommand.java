package app.flagger.cli;

import java.time.Clock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The root command, {@code kubectl flagger}. */
@Command(
    name = "kubectl flagger",
    mixinStandardHelpOptions = true,
    versionProvider = FlaggerCommand.Version.class,
    description = {
      "Show and steer Flagger canary releases through the Kubernetes API.",
      "Steering commands write the Canary annotation control.flagger.app/command; the controller"
          + " acknowledges them in status.control."
    },
    footer = {"", "Exit codes: 0 done, 1 refused (wrong phase, not found, forbidden), 2 usage."},
    subcommands = {
      GetCommand.class,
      StatusCommand.class,
      SteerCommands.Promote.class,
      SteerCommands.Abort.class,
      SteerCommands.Retry.class,
      SteerCommands.Pause.class,
      SteerCommands.Resume.class,
      SteerCommands.Approve.class
    })
final class FlaggerCommand implements Runnable {
  final Clock clock;

  @Spec CommandSpec spec;

  FlaggerCommand(Clock clock) {
    this.clock = clock;
  }

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(),
        "missing command: one of " + String.join(", ", spec.subcommands().keySet()));
  }

  /** The version in the jar's manifest. */
  static final class Version implements picocli.CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = FlaggerCommand.class.getPackage().getImplementationVersion();
      return new String[] {"kubectl-flagger " + (v == null ? "(development build)" : v)};
    }
  }
}
