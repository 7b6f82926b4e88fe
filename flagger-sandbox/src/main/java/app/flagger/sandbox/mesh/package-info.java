/**
 * The sandbox's service mesh: one HTTP front on loopback that routes by host name to the pods a
 * Service selects, applies Istio VirtualService routes (weights, matches, mirror), works as a
 * forward HTTP proxy for callers inside the sandbox, and reports Istio's and cAdvisor's telemetry.
 */
package app.flagger.sandbox.mesh;
