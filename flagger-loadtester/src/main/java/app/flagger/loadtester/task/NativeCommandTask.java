package app.flagger.loadtester.task;

import app.flagger.loadtester.curl.NativePipeline;

/**
 * A {@code curl} command line, optionally piped into {@code grep} or {@code jq}, that the built-in
 * tools run in process instead of a shell (see {@link NativeCommands}).
 *
 * @param type the webhook task type ({@code cmd} or {@code bash})
 * @param logOutput log the output ({@code logCmdOutput}; always for {@code bash})
 */
public record NativeCommandTask(
    String canary,
    String type,
    String command,
    NativePipeline pipeline,
    boolean blocking,
    boolean logOutput,
    boolean returnOutput)
    implements Task {}
