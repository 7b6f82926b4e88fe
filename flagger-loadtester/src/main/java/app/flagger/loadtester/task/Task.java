package app.flagger.loadtester.task;

/**
 * One unit of work asked for by a webhook: an external command or a built-in load run. Tasks are
 * data; {@link TaskExecutor} runs them.
 */
public sealed interface Task
    permits CommandTask,
        NativeCommandTask,
        LoadTask,
        NGrinderTask,
        ConcordTask,
        GhzTask,
        HealthProbeTask {
  /** The canary that asked, as {@code name.namespace}. */
  String canary();

  /** The command text or a description, for logs and deduplication. */
  String command();

  /** True when the webhook waits for the result (Flagger's blocking types). */
  boolean blocking();

  /** True when a blocking task's output becomes the response body ({@code returnCmdOutput}). */
  boolean returnOutput();

  /** Connections the task opens, charged to the runner's connection budget while it runs. */
  default int connections() {
    return 0;
  }

  /** Deduplication key of asynchronous tasks: the canary plus the command, as Flagger does. */
  default String key() {
    return canary() + "\n" + command();
  }
}
