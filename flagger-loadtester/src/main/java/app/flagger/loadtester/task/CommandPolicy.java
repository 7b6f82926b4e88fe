package app.flagger.loadtester.task;

import app.flagger.loadtester.LoadTesterConfig;
import app.flagger.loadtester.load.DestinationPolicy;
import java.util.List;
import java.util.Set;

/**
 * Decides whether an external program may run. Everything is refused unless the operator turned it
 * on: programs need {@code loadtester.commands.enabled} and their exact name in {@code
 * loadtester.commands.allow}, and their arguments must pass the program's {@link ArgumentRules};
 * shells need {@code loadtester.commands.bash.enabled}.
 */
public final class CommandPolicy {
  private final boolean commandsEnabled;
  private final Set<String> allowed;
  private final boolean shellEnabled;
  private final ArgumentRules rules;

  /** A policy with the default argument rules and curl's destinations unchecked. */
  public CommandPolicy(boolean commandsEnabled, Set<String> allowed, boolean shellEnabled) {
    this(commandsEnabled, allowed, shellEnabled, new ArgumentRules(Set.of(), null));
  }

  public CommandPolicy(
      boolean commandsEnabled, Set<String> allowed, boolean shellEnabled, ArgumentRules rules) {
    this.commandsEnabled = commandsEnabled;
    this.allowed = Set.copyOf(allowed);
    this.shellEnabled = shellEnabled;
    this.rules = rules;
  }

  /**
   * @param destinations where curl may send requests
   */
  public static CommandPolicy from(LoadTesterConfig c, DestinationPolicy destinations) {
    return new CommandPolicy(
        c.commandsEnabled(),
        c.allowedCommands(),
        c.bashEnabled(),
        new ArgumentRules(c.kubectlVerbs(), destinations));
  }

  /**
   * Checks that {@code argv} may run: its program is allowed and its arguments pass the program's
   * rules.
   *
   * @return the argument vector to start
   * @throws TaskRejected 403 when the program is not allowed, 400 naming a refused argument
   */
  public List<String> check(List<String> argv) {
    requireAllowed(argv.getFirst());
    return rules.check(argv);
  }

  /**
   * @throws TaskRejected 403 saying which setting enables {@code executable}
   */
  public void requireAllowed(String executable) {
    if (!commandsEnabled) {
      throw TaskRejected.forbidden(
          "external commands are disabled: set loadtester.commands.enabled=true and add \""
              + executable
              + "\" to loadtester.commands.allow (env LOADTESTER_COMMANDS_ENABLED,"
              + " LOADTESTER_COMMANDS_ALLOW) to run it");
    }
    if (!allowed.contains(executable)) {
      throw TaskRejected.forbidden(
          "command \""
              + executable
              + "\" is not allowed: add it to loadtester.commands.allow (env"
              + " LOADTESTER_COMMANDS_ALLOW)");
    }
  }

  /**
   * @throws TaskRejected 403 saying that {@code loadtester.commands.bash.enabled} runs shells
   */
  public void requireShell(String why) {
    if (!shellEnabled) {
      throw TaskRejected.forbidden(
          why
              + " needs a shell, and shells are disabled: set loadtester.commands.bash.enabled=true"
              + " (env LOADTESTER_COMMANDS_BASH_ENABLED) to allow it");
    }
  }
}
