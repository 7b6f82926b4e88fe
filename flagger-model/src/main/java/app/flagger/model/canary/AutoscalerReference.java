package app.flagger.model.canary;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** The autoscaler (HPA or KEDA ScaledObject) copied for the primary. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AutoscalerReference(
    String apiVersion,
    String kind,
    String name,
    Map<String, String> primaryScalerQueries,
    ScalerReplicas primaryScalerReplicas) {

  /**
   * The kinds the controller has a scaler reconciler for: an HPA (read as {@code autoscaling/v2}
   * whatever the apiVersion says, as Flagger) and a KEDA ScaledObject ({@code keda.sh/v1alpha1}).
   */
  public static final List<String> KINDS = List.of("HorizontalPodAutoscaler", "ScaledObject");

  /** Replica bounds that override the primary scaler's. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ScalerReplicas(Integer minReplicas, Integer maxReplicas) {}
}
