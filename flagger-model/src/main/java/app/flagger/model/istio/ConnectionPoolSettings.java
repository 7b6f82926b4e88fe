package app.flagger.model.istio;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Connection pool limits for TCP and HTTP upstreams. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConnectionPoolSettings(Tcp tcp, Http http) {

  /** TCP limits. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Tcp(Integer maxConnections, String connectTimeout) {}

  /** HTTP limits. {@code h2UpgradePolicy} is DEFAULT, DO_NOT_UPGRADE or UPGRADE. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Http(
      String h2UpgradePolicy,
      Integer http1MaxPendingRequests,
      Integer http2MaxRequests,
      String idleTimeout,
      Integer maxRequestsPerConnection,
      Integer maxRetries) {}
}
