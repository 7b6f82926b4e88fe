package app.flagger.loadtester.task;

import app.flagger.loadtester.curl.NativePipeline;
import app.flagger.loadtester.curl.UnsupportedCommand;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Chooses between the built-in curl/grep/jq and an external command for {@code cmd} and {@code
 * bash} tasks. A line that starts with {@code curl} and that the built-in tools can run exactly
 * always runs built in, whatever {@code loadtester.commands.*} say: no shell or program starts, its
 * request goes through the {@link app.flagger.loadtester.curl.CurlClient}'s destination check, and
 * the result does not depend on which external commands the operator enabled for other tasks. Any
 * other line takes the external route, which {@link CommandPolicy} guards; when that refuses a curl
 * line, the refusal also names what the built-in tools lack.
 */
final class NativeCommands {
  private NativeCommands() {}

  /**
   * @param external the task as an external command; throws {@link TaskRejected} when refused
   */
  static Task orExternal(
      String canary,
      String type,
      String cmd,
      Map<String, String> md,
      boolean returnOutput,
      Supplier<Task> external) {
    if (!NativePipeline.startsWithCurl(cmd)) {
      return external.get();
    }
    NativePipeline pipeline;
    try {
      pipeline = NativePipeline.parse(cmd);
    } catch (UnsupportedCommand unsupported) {
      try {
        return external.get();
      } catch (TaskRejected refused) {
        throw new TaskRejected(
            refused.status(),
            "not run by the built-in curl, grep and jq: "
                + unsupported.getMessage()
                + "; as an external command: "
                + refused.getMessage());
      }
    }
    boolean bash = type.equals("bash");
    return new NativeCommandTask(
        canary,
        type,
        cmd,
        pipeline,
        bash || flag(md, "blocking"),
        bash || flag(md, "logCmdOutput"),
        returnOutput);
  }

  private static boolean flag(Map<String, String> md, String key) {
    return "true".equalsIgnoreCase(md.getOrDefault(key, "").trim());
  }
}
