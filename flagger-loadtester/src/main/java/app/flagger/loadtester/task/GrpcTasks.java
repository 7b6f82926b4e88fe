package app.flagger.loadtester.task;

import app.flagger.loadtester.grpc.GhzCommand;
import app.flagger.loadtester.grpc.GhzReport;
import app.flagger.loadtester.grpc.GhzResult;
import app.flagger.loadtester.grpc.GhzRunner;
import app.flagger.loadtester.grpc.GhzSpec;
import app.flagger.loadtester.grpc.GrpcLimits;
import app.flagger.loadtester.grpc.GrpcTarget;
import app.flagger.loadtester.grpc.HealthProbe;
import app.flagger.loadtester.grpc.HealthProbeCommand;
import app.flagger.loadtester.grpc.HealthProbeSpec;
import app.flagger.loadtester.load.CommandLine;
import app.flagger.loadtester.load.LoadGuard;
import app.flagger.loadtester.load.LoadLimits;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The gRPC tools of Flagger's image, {@code ghz} and {@code grpc_health_probe}, as tasks: built
 * from a {@code cmd} or {@code bash} command line that is a plain call of one of them (no shell
 * syntax), and run on the built-in gRPC client, no external program or shell involved.
 */
public final class GrpcTasks {
  /** The load runs' limits, applied to ghz: connections, rate and duration. */
  static GrpcLimits limits(LoadLimits l) {
    return new GrpcLimits(l.maxConnections(), l.maxRate(), l.maxDuration());
  }

  private static GhzSpec checked(GhzSpec spec, LoadGuard guard) {
    guard.checkDestination(spec.target().host(), spec.target().port());
    return spec;
  }

  private final GhzRunner ghz;

  public GrpcTasks(GhzRunner ghz) {
    this.ghz = ghz;
  }

  /**
   * The task for {@code cmd} when it runs {@code ghz} or {@code grpc_health_probe}, else {@code
   * null}.
   *
   * @param logOutput log the output of a probe (ghz's report is always logged)
   * @param files reads local files named by flags ({@code --protoset}, {@code -D}, ...)
   * @throws IllegalArgumentException when the command line is wrong or over a limit
   */
  static Task create(
      String canary,
      String cmd,
      Map<String, String> md,
      boolean blocking,
      boolean logOutput,
      boolean returnOutput,
      Function<String, byte[]> files,
      LoadGuard guard) {
    if (CommandLine.needsShell(cmd)) {
      return null;
    }
    List<String> words = CommandLine.split(cmd);
    if (words.isEmpty()) {
      return null;
    }
    String program = words.getFirst();
    List<String> args = words.subList(1, words.size());
    if (is(program, "ghz")) {
      return new GhzTask(
          canary,
          cmd,
          checked(GhzCommand.parse(args, files, limits(guard.limits())), guard),
          LoadTaskParser.criteria(md),
          blocking,
          returnOutput);
    }
    if (is(program, "grpc_health_probe")) {
      try {
        HealthProbeSpec probe = HealthProbeCommand.parse(args, files);
        GrpcTarget target = GrpcTarget.parse(probe.addr());
        guard.checkDestination(target.host(), target.port());
        return new HealthProbeTask(canary, cmd, probe, blocking, logOutput, returnOutput);
      } catch (HealthProbeCommand.Invalid e) {
        throw new IllegalArgumentException("grpc_health_probe: " + e.getMessage(), e);
      }
    }
    return null;
  }

  private static boolean is(String program, String name) {
    return program.equals(name) || program.endsWith("/" + name);
  }

  /** Runs a ghz task: the report is logged, and the criteria decide as for {@code hey}. */
  TaskOutcome ghz(GhzTask t, BooleanSupplier cancelled, Duration timeout) {
    GhzResult r;
    try {
      r = ghz.run(t.spec(), cancelled);
    } catch (IllegalStateException e) {
      String msg = "command " + t.command() + " failed: " + e.getMessage();
      TaskLog.warn(t.canary(), msg);
      return new TaskOutcome(TaskOutcome.Result.FAILED, msg, e.getMessage());
    }
    String report = GhzReport.format(r, t.spec().name());
    TaskLog.info(t.canary(), "load finished " + t.command() + report);
    if (r.cancelled()) {
      String msg =
          "load " + t.command() + " stopped after the task timeout " + timeout + " or on shutdown";
      return new TaskOutcome(TaskOutcome.Result.TIMED_OUT, msg, report);
    }
    List<String> failures = t.criteria().failures(r.asLoadResult());
    if (!failures.isEmpty()) {
      String msg = "load check failed for " + t.canary() + ": " + String.join("; ", failures);
      TaskLog.warn(t.canary(), msg);
      return new TaskOutcome(TaskOutcome.Result.CHECK_FAILED, msg, report);
    }
    return new TaskOutcome(TaskOutcome.Result.SUCCEEDED, "", report);
  }

  /** Runs a probe: exit status 0 succeeds, any other fails with the probe's message. */
  TaskOutcome probe(HealthProbeTask t) {
    HealthProbe.Result r = HealthProbe.run(t.spec());
    if (t.logOutput()) {
      TaskLog.info(t.canary(), "command output " + t.command() + ":\n" + r.output());
    }
    if (r.ok()) {
      TaskLog.info(t.canary(), "command finished " + t.command());
      return new TaskOutcome(TaskOutcome.Result.SUCCEEDED, "", r.output());
    }
    String msg =
        "command " + t.command() + " failed: " + r.output() + ": exit status " + r.exitCode();
    TaskLog.warn(t.canary(), msg);
    return new TaskOutcome(TaskOutcome.Result.FAILED, msg, r.output());
  }
}
