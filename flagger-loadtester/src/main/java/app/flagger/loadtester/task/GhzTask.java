package app.flagger.loadtester.task;

import app.flagger.loadtester.grpc.GhzSpec;
import app.flagger.loadtester.load.LoadCriteria;

/** A {@code ghz} command line, run on the built-in gRPC client. */
public record GhzTask(
    String canary,
    String command,
    GhzSpec spec,
    LoadCriteria criteria,
    boolean blocking,
    boolean returnOutput)
    implements Task {}
