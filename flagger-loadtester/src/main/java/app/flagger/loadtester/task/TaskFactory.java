package app.flagger.loadtester.task;

import app.flagger.loadtester.load.CommandLine;
import app.flagger.loadtester.load.HeyCommand;
import app.flagger.loadtester.load.LoadCriteria;
import app.flagger.loadtester.load.LoadGuard;
import app.flagger.loadtester.load.LoadLimits;
import app.flagger.loadtester.load.LoadSpec;
import app.flagger.loadtester.load.WrkCommand;
import app.flagger.model.webhook.CanaryWebhookPayload;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Turns a webhook payload into a {@link Task}, following Flagger's task types ({@code cmd}, {@code
 * bash}, {@code helm}, {@code helmv3}, {@code kubectl}, {@code ngrinder}, {@code concord}) plus
 * {@code load}. A {@code cmd} whose program is {@code hey} or {@code wrk} runs on the built-in
 * generator, {@code ghz} and {@code grpc_health_probe} (also as {@code type: bash}) on the built-in
 * gRPC client ({@link GrpcTasks}), a {@code cmd} or {@code bash} line that starts with {@code curl}
 * on the built-in curl/grep/jq ({@link NativeCommands}); any other program goes through {@link
 * CommandPolicy}.
 */
public final class TaskFactory {
  private final CommandPolicy policy;
  private final Function<String, byte[]> bodyFiles;
  private final IntegrationTaskParser integrations;
  private final LoadGuard guard;

  /** A factory that refuses {@code ngrinder} and {@code concord} tasks (no servers allowed). */
  public TaskFactory(CommandPolicy policy, Function<String, byte[]> bodyFiles) {
    this(policy, bodyFiles, List.of(), List.of());
  }

  /**
   * A factory with the default limits that leaves load targets unchecked (their hosts are resolved
   * when a run starts), for tests with made-up host names.
   */
  public TaskFactory(
      CommandPolicy policy,
      Function<String, byte[]> bodyFiles,
      List<URI> ngrinderServers,
      List<URI> concordServers) {
    this(
        policy,
        bodyFiles,
        ngrinderServers,
        concordServers,
        Optional.empty(),
        new LoadGuard(LoadLimits.DEFAULT, null));
  }

  /**
   * @param bodyFiles reads {@code hey -D} files; throws {@link IllegalArgumentException} when the
   *     file may not be read
   * @param ngrinderServers nGrinder servers {@code ngrinder} tasks may call
   * @param concordServers Concord servers {@code concord} tasks may call
   * @param concordKeyDir the directory Concord API key files must be in (empty: refused)
   * @param guard limits, header rules and destination rules of load runs
   */
  public TaskFactory(
      CommandPolicy policy,
      Function<String, byte[]> bodyFiles,
      List<URI> ngrinderServers,
      List<URI> concordServers,
      Optional<Path> concordKeyDir,
      LoadGuard guard) {
    this.policy = policy;
    this.bodyFiles = bodyFiles;
    this.integrations = new IntegrationTaskParser(ngrinderServers, concordServers, concordKeyDir);
    this.guard = guard;
  }

  /**
   * @throws TaskRejected with 400 (bad input) or 403 (refused command or server)
   */
  public Task create(CanaryWebhookPayload payload) {
    Map<String, String> md = payload.metadata();
    if (md.isEmpty()) {
      throw TaskRejected.badRequest("metadata not found in payload");
    }
    String canary = payload.name() + "." + payload.namespace();
    String type = md.getOrDefault("type", "cmd").trim();
    if (type.isEmpty()) {
      type = "cmd";
    }
    String cmd = md.getOrDefault("cmd", "").trim();
    boolean returnOutput = flag(md, "returnCmdOutput");
    try {
      return switch (type) {
        case "cmd" ->
            NativeCommands.orExternal(
                canary, type, cmd, md, returnOutput, () -> cmd(canary, cmd, md, returnOutput));
        case "bash" -> {
          requireCmd(type, cmd);
          Task grpc = GrpcTasks.create(canary, cmd, md, true, true, returnOutput, bodyFiles, guard);
          if (grpc != null) {
            yield grpc; // ghz and grpc_health_probe run built in, without a shell
          }
          yield NativeCommands.orExternal(
              canary,
              type,
              cmd,
              md,
              returnOutput,
              () -> {
                policy.requireShell("type bash");
                return new CommandTask(
                    canary, "bash", cmd, List.of("bash", "-c", cmd), true, true, returnOutput);
              });
        }
        case "helm", "helmv3", "kubectl" -> tool(canary, type, cmd, returnOutput);
        case "load" -> load(canary, md, returnOutput);
        case "ngrinder" -> integrations.ngrinder(canary, md);
        case "concord" -> integrations.concord(canary, md, returnOutput);
        default -> throw TaskRejected.badRequest("unknown task type " + type);
      };
    } catch (IllegalArgumentException e) {
      throw TaskRejected.badRequest(e.getMessage());
    }
  }

  private Task cmd(String canary, String cmd, Map<String, String> md, boolean returnOutput) {
    requireCmd("cmd", cmd);
    boolean blocking = flag(md, "blocking");
    Task grpc =
        GrpcTasks.create(
            canary, cmd, md, blocking, flag(md, "logCmdOutput"), returnOutput, bodyFiles, guard);
    if (grpc != null) {
      return grpc;
    }
    boolean shell = CommandLine.needsShell(cmd);
    List<String> words = shell ? List.of() : CommandLine.split(cmd);
    if (!shell && !words.isEmpty()) {
      String program = words.getFirst();
      List<String> args = words.subList(1, words.size());
      if (program.equals("hey") || program.endsWith("/hey")) {
        LoadSpec spec = guard.check(HeyCommand.parse(args, bodyFiles), LoadLimits.Flags.HEY);
        return new LoadTask(canary, cmd, spec, LoadTaskParser.criteria(md), blocking, returnOutput);
      }
      if (program.equals("wrk") || program.endsWith("/wrk")) {
        LoadSpec spec = guard.check(WrkCommand.parse(args), LoadLimits.Flags.WRK);
        return new LoadTask(canary, cmd, spec, LoadTaskParser.criteria(md), blocking, returnOutput);
      }
    }
    List<String> argv;
    if (shell) {
      policy.requireShell("the command \"" + cmd + "\" uses shell syntax and");
      argv = List.of("sh", "-c", cmd);
    } else {
      argv = policy.check(words);
    }
    return new CommandTask(
        canary, "cmd", cmd, argv, blocking, flag(md, "logCmdOutput"), returnOutput);
  }

  private Task tool(String canary, String type, String cmd, boolean returnOutput) {
    requireCmd(type, cmd);
    String executable = type.equals("kubectl") ? "kubectl" : "helm";
    List<String> words = new ArrayList<>();
    words.add(executable);
    words.addAll(List.of(cmd.split("\\s+")));
    return new CommandTask(canary, type, cmd, policy.check(words), true, true, returnOutput);
  }

  private Task load(String canary, Map<String, String> md, boolean returnOutput) {
    LoadSpec spec = guard.check(LoadTaskParser.spec(md), LoadLimits.Flags.LOAD);
    LoadCriteria criteria = LoadTaskParser.criteria(md);
    boolean blocking = !"false".equalsIgnoreCase(md.getOrDefault("blocking", "true").trim());
    String description = "load " + spec.method() + " " + spec.url();
    return new LoadTask(canary, description, spec, criteria, blocking, returnOutput);
  }

  private static void requireCmd(String type, String cmd) {
    if (cmd.isEmpty()) {
      throw TaskRejected.badRequest("cmd: required for type " + type);
    }
  }

  private static boolean flag(Map<String, String> md, String key) {
    return "true".equalsIgnoreCase(md.getOrDefault(key, "").trim());
  }
}
