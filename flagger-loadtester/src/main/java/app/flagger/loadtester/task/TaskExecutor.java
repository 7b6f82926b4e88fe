package app.flagger.loadtester.task;

import app.flagger.loadtester.curl.CurlClient;
import app.flagger.loadtester.curl.NativePipeline;
import app.flagger.loadtester.grpc.GhzRunner;
import app.flagger.loadtester.load.HeyReport;
import app.flagger.loadtester.load.LoadGenerator;
import app.flagger.loadtester.load.LoadResult;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Runs one {@link Task} to its {@link TaskOutcome}, logging what happened with the canary. Messages
 * and outputs of outcomes pass through {@link Redactor}: they may be returned to the caller.
 */
public final class TaskExecutor {
  private final CommandExecutor commands;
  private final LoadGenerator generator;
  private final LoadMetrics metrics;
  private final IntegrationRunner integrations;
  private final GrpcTasks grpc = new GrpcTasks(new GhzRunner());
  private final CurlClient curl;

  public TaskExecutor(CommandExecutor commands, LoadGenerator generator, LoadMetrics metrics) {
    this(commands, generator, metrics, IntegrationRunner.create());
  }

  public TaskExecutor(
      CommandExecutor commands,
      LoadGenerator generator,
      LoadMetrics metrics,
      IntegrationRunner integrations) {
    this(commands, generator, metrics, integrations, new CurlClient(CurlClient.ANY_DESTINATION));
  }

  /**
   * @param curl runs the built-in curl of {@link NativeCommandTask}s
   */
  public TaskExecutor(
      CommandExecutor commands,
      LoadGenerator generator,
      LoadMetrics metrics,
      IntegrationRunner integrations,
      CurlClient curl) {
    this.commands = commands;
    this.generator = generator;
    this.metrics = metrics;
    this.integrations = integrations;
    this.curl = curl;
  }

  /**
   * @param cancelled true once the task must stop (timeout or shutdown)
   * @param timeout the per-task timeout, for messages and external programs
   */
  public TaskOutcome execute(Task task, BooleanSupplier cancelled, Duration timeout) {
    TaskOutcome o =
        switch (task) {
          case CommandTask c -> command(c, cancelled, timeout);
          case NativeCommandTask n -> builtIn(n, cancelled, timeout);
          case LoadTask l -> load(l, cancelled, timeout);
          case NGrinderTask n -> integrations.ngrinder(n, cancelled);
          case ConcordTask c -> integrations.concord(c, cancelled);
          case GhzTask g -> grpc.ghz(g, cancelled, timeout);
          case HealthProbeTask h -> grpc.probe(h);
        };
    return new TaskOutcome(o.result(), Redactor.redact(o.message()), Redactor.redact(o.output()));
  }

  private TaskOutcome command(CommandTask t, BooleanSupplier cancelled, Duration timeout) {
    CommandExecutor.Result r = commands.run(t.argv(), timeout, cancelled);
    return commandOutcome(t, t.logOutput(), r, timeout);
  }

  /** The built-in curl/grep/jq, reported as the external command would be. */
  private TaskOutcome builtIn(NativeCommandTask t, BooleanSupplier cancelled, Duration timeout) {
    NativePipeline.Result r = t.pipeline().run(curl, cancelled);
    CommandExecutor.Result asCommand =
        new CommandExecutor.Result(r.exitCode(), r.output(), r.timedOut(), "");
    return commandOutcome(t, t.logOutput(), asCommand, timeout);
  }

  private static TaskOutcome commandOutcome(
      Task t, boolean logOutput, CommandExecutor.Result r, Duration timeout) {
    if (logOutput && !r.output().isEmpty()) {
      TaskLog.info(t.canary(), "command output " + t.command() + ":\n" + r.output());
    }
    if (r.ok()) {
      TaskLog.info(t.canary(), "command finished " + t.command());
      return new TaskOutcome(TaskOutcome.Result.SUCCEEDED, "", r.output());
    }
    if (r.timedOut()) {
      String msg =
          "command " + t.command() + " timed out or was cancelled after at most " + timeout;
      TaskLog.warn(t.canary(), msg);
      return new TaskOutcome(TaskOutcome.Result.TIMED_OUT, msg, r.output());
    }
    String why = r.error().isEmpty() ? "exit status " + r.exitCode() : r.error();
    String msg = "command " + t.command() + " failed: " + r.output().strip() + ": " + why;
    TaskLog.warn(t.canary(), msg);
    return new TaskOutcome(TaskOutcome.Result.FAILED, msg, r.output());
  }

  private TaskOutcome load(LoadTask t, BooleanSupplier cancelled, Duration timeout) {
    LoadResult r = generator.run(t.spec(), cancelled);
    try {
      metrics.record(t.canary(), r);
    } catch (RuntimeException | LinkageError e) {
      // metrics must never fail a check
      TaskLog.warn(t.canary(), "could not record load metrics: " + e);
    }
    String report = HeyReport.format(r);
    TaskLog.info(t.canary(), "load finished " + t.command() + report);
    if (r.cancelled()) {
      String msg =
          "load " + t.command() + " stopped after the task timeout " + timeout + " or on shutdown";
      return new TaskOutcome(TaskOutcome.Result.TIMED_OUT, msg, report);
    }
    List<String> failures = t.criteria().failures(r);
    if (!failures.isEmpty()) {
      String msg = "load check failed for " + t.canary() + ": " + String.join("; ", failures);
      TaskLog.warn(t.canary(), msg);
      return new TaskOutcome(TaskOutcome.Result.CHECK_FAILED, msg, report);
    }
    return new TaskOutcome(TaskOutcome.Result.SUCCEEDED, "", report);
  }
}
