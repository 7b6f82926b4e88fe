package app.flagger.loadtester.task;

import app.flagger.loadtester.load.LoadCriteria;
import app.flagger.loadtester.load.LoadSpec;

/**
 * A run of the built-in generator, from a {@code hey}/{@code wrk} command or a {@code load} task.
 */
public record LoadTask(
    String canary,
    String command,
    LoadSpec spec,
    LoadCriteria criteria,
    boolean blocking,
    boolean returnOutput)
    implements Task {
  @Override
  public int connections() {
    return spec.concurrency();
  }
}
