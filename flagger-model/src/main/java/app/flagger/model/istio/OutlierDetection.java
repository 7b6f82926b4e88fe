package app.flagger.model.istio;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Circuit breaking by ejecting unhealthy hosts. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OutlierDetection(
    String baseEjectionTime,
    Integer consecutive5xxErrors,
    Integer consecutiveErrors,
    Integer consecutiveGatewayErrors,
    Integer consecutiveLocalOriginFailures,
    String interval,
    Integer maxEjectionPercent,
    Integer minHealthPercent,
    Boolean splitExternalLocalOriginErrors) {}
