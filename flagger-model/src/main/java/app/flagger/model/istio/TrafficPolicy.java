package app.flagger.model.istio;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Istio's TrafficPolicy, copied into both generated DestinationRules. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrafficPolicy(
    ConnectionPoolSettings connectionPool,
    LoadBalancerSettings loadBalancer,
    OutlierDetection outlierDetection,
    ClientTlsSettings tls) {}
