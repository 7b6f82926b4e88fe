package app.flagger.loadtester.curl;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A {@code curl} command, optionally piped into {@code grep} and {@code jq} commands, run in
 * process as {@code bash -c} would run it: each command reads the previous one's standard output,
 * the exit status is the last command's (no {@code pipefail}), and the output is what the shell
 * would have captured: every command's standard error and the last one's standard output.
 */
public final class NativePipeline {
  /** Longest output kept, as for external commands. */
  static final int MAX_OUTPUT = 1 << 20;

  private final CurlCommand curl;
  private final List<Filter> filters;

  private NativePipeline(CurlCommand curl, List<Filter> filters) {
    this.curl = curl;
    this.filters = List.copyOf(filters);
  }

  /**
   * How a run ended.
   *
   * @param exitCode the last command's exit status, -1 when stopped
   * @param output standard error of every command and standard output of the last (truncated)
   * @param timedOut true when the task timeout or a shutdown stopped it
   */
  public record Result(int exitCode, String output, boolean timedOut) {}

  /** True when the line's first word is {@code curl}: the built-in tools may run it. */
  public static boolean startsWithCurl(String line) {
    String first = line.strip().split("\\s+", 2)[0];
    return first.equals("curl") || first.endsWith("/curl");
  }

  /**
   * @throws UnsupportedCommand naming the shell feature, program, option or filter that the
   *     built-in tools do not have
   */
  public static NativePipeline parse(String line) {
    List<List<String>> stages = ShellLine.pipeline(line.strip());
    List<String> first = stages.getFirst();
    if (!program(first.getFirst()).equals("curl")) {
      throw new UnsupportedCommand(
          "the program " + first.getFirst() + " (the built-in tools run curl, grep and jq)");
    }
    CurlCommand curl = CurlCommand.parse(first.subList(1, first.size()));
    List<Filter> filters = new ArrayList<>();
    for (List<String> stage : stages.subList(1, stages.size())) {
      List<String> args = stage.subList(1, stage.size());
      filters.add(
          switch (program(stage.getFirst())) {
            case "grep" -> Grep.parse(args);
            case "egrep" -> Grep.parse(prepend("-E", args));
            case "fgrep" -> Grep.parse(prepend("-F", args));
            case "jq" -> Jq.parse(args);
            default ->
                throw new UnsupportedCommand(
                    "the program "
                        + stage.getFirst()
                        + " after a pipe (the built-in tools pipe curl into grep and jq only)");
          });
    }
    return new NativePipeline(curl, filters);
  }

  private static List<String> prepend(String flag, List<String> args) {
    List<String> all = new ArrayList<>(args);
    all.addFirst(flag);
    return all;
  }

  /** {@code /usr/bin/grep} is grep; a name with an assignment is named as such. */
  private static String program(String word) {
    if (word.indexOf('=') > 0 && !word.contains("/")) {
      throw new UnsupportedCommand("variable assignments (" + word + ")");
    }
    int slash = word.lastIndexOf('/');
    return slash >= 0 ? word.substring(slash + 1) : word;
  }

  /** The parsed curl command. */
  public CurlCommand curl() {
    return curl;
  }

  /**
   * @param client runs the curl command
   * @param cancelled true once the task must stop
   */
  public Result run(CurlClient client, BooleanSupplier cancelled) {
    CurlClient.Output c = client.run(curl, cancelled);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (c.timedOut()) {
      out.writeBytes(c.error().getBytes(StandardCharsets.UTF_8));
      return result(-1, out, true);
    }
    if (filters.isEmpty()) {
      out.writeBytes(c.body());
      out.writeBytes(c.error().getBytes(StandardCharsets.UTF_8));
      out.writeBytes(c.writeOut().getBytes(StandardCharsets.UTF_8));
      return result(c.exitCode(), out, false);
    }
    out.writeBytes(c.error().getBytes(StandardCharsets.UTF_8));
    byte[] stdin = c.stdout();
    int exit = c.exitCode();
    for (Filter f : filters) {
      Filter.Result r = f.apply(stdin);
      out.writeBytes(r.stderr().getBytes(StandardCharsets.UTF_8));
      stdin = r.stdout();
      exit = r.exitCode();
    }
    out.writeBytes(stdin);
    return result(exit, out, false);
  }

  /** The output, its middle left out when it is longer than {@link #MAX_OUTPUT}. */
  private static Result result(int exit, ByteArrayOutputStream out, boolean timedOut) {
    byte[] b = out.toByteArray();
    if (b.length <= MAX_OUTPUT) {
      return new Result(exit, new String(b, StandardCharsets.UTF_8), timedOut);
    }
    // the end carries the error messages: keep it
    int tail = 16 << 10;
    int head = MAX_OUTPUT - tail;
    String text =
        new String(b, 0, head, StandardCharsets.UTF_8)
            + "\n... ("
            + (b.length - head - tail)
            + " bytes left out) ...\n"
            + new String(b, b.length - tail, tail, StandardCharsets.UTF_8);
    return new Result(exit, text, timedOut);
  }
}
