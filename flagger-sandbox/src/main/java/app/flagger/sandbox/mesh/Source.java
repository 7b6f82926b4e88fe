package app.flagger.sandbox.mesh;

/**
 * The workload a request comes from, Istio's {@code source_workload} and {@code
 * source_workload_namespace}.
 */
public record Source(String workload, String namespace) {}
