/**
 * The sandbox's service mesh: one HTTP front on loopback that routes by host name to the pods a
 * Service selects, applies Istio VirtualService routes (weights, matches, mirror), Gateway API
 * HTTPRoutes, Ingresses with ingress-nginx's canary annotations and SMI TrafficSplits, works as a
 * forward HTTP proxy for callers inside the sandbox, and reports Istio's, Linkerd's, Envoy's,
 * ingress-nginx's and cAdvisor's telemetry.
 */
package app.flagger.sandbox.mesh;
