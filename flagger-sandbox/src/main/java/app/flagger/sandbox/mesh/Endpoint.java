package app.flagger.sandbox.mesh;

/**
 * Where the mesh sends a request: a pod's (or a registered service's) loopback port.
 *
 * @param workload the Deployment (or registered service) name, Istio's {@code destination_workload}
 * @param namespace its namespace
 * @param pod the pod name, or null for a registered service
 * @param port the loopback port
 */
public record Endpoint(String workload, String namespace, String pod, int port) {}
