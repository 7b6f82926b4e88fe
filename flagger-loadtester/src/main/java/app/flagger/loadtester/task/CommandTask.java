package app.flagger.loadtester.task;

import java.util.List;

/**
 * An external program, started without a shell unless {@code argv} is a shell invocation that the
 * operator enabled.
 *
 * @param type the webhook task type ({@code cmd}, {@code bash}, {@code helm}, ...)
 * @param argv program and arguments
 * @param logOutput log the combined output ({@code logCmdOutput})
 */
public record CommandTask(
    String canary,
    String type,
    String command,
    List<String> argv,
    boolean blocking,
    boolean logOutput,
    boolean returnOutput)
    implements Task {
  public CommandTask {
    argv = List.copyOf(argv);
  }
}
