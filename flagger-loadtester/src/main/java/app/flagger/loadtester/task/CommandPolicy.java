package app.flagger.loadtester.task;

import app.flagger.loadtester.LoadTesterConfig;
import java.util.Set;

/**
 * Decides whether an external program may run. Everything is refused unless the operator turned it
 * on: programs need {@code loadtester.commands.enabled} and their exact name in {@code
 * loadtester.commands.allow}; shells need {@code loadtester.commands.bash.enabled}.
 */
public final class CommandPolicy {
  private final boolean commandsEnabled;
  private final Set<String> allowed;
  private final boolean shellEnabled;

  public CommandPolicy(boolean commandsEnabled, Set<String> allowed, boolean shellEnabled) {
    this.commandsEnabled = commandsEnabled;
    this.allowed = Set.copyOf(allowed);
    this.shellEnabled = shellEnabled;
  }

  public static CommandPolicy from(LoadTesterConfig c) {
    return new CommandPolicy(c.commandsEnabled(), c.allowedCommands(), c.bashEnabled());
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
