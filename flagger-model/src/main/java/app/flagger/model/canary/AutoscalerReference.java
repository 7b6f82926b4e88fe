package app.flagger.model.canary;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/** The autoscaler (HPA or KEDA ScaledObject) copied for the primary. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AutoscalerReference(
    String apiVersion,
    String kind,
    String name,
    Map<String, String> primaryScalerQueries,
    ScalerReplicas primaryScalerReplicas) {

  /** Replica bounds that override the primary scaler's. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ScalerReplicas(Integer minReplicas, Integer maxReplicas) {}
}
