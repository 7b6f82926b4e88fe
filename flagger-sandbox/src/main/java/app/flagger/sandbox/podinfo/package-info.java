/**
 * A podinfo-like demo application: the program the sandbox kubelet runs as each pod. Its version,
 * error rate and latency come from the pod template (image tag, {@code ERROR_RATE}, {@code
 * LATENCY_MS}), so a "faulty release" is just a Deployment edit.
 */
package app.flagger.sandbox.podinfo;
