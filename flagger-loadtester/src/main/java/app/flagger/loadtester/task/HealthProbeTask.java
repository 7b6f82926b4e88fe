package app.flagger.loadtester.task;

import app.flagger.loadtester.grpc.HealthProbeSpec;

/**
 * A {@code grpc_health_probe} command line, run on the built-in gRPC client.
 *
 * @param logOutput log the probe's output ({@code logCmdOutput}, always for {@code type: bash})
 */
public record HealthProbeTask(
    String canary,
    String command,
    HealthProbeSpec spec,
    boolean blocking,
    boolean logOutput,
    boolean returnOutput)
    implements Task {}
