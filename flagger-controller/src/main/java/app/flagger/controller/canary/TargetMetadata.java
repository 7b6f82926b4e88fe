package app.flagger.controller.canary;

import java.util.Map;

/**
 * What a target tells the routers (Flagger's {@code GetMetadata}): the selector label, its value
 * and the container ports found for {@code portDiscovery} (name to port).
 */
public record TargetMetadata(String label, String labelValue, Map<String, Integer> ports) {
  public TargetMetadata {
    ports = Map.copyOf(ports);
  }

  /** The selector value of the primary pods. */
  public String primaryLabelValue() {
    return labelValue + "-primary";
  }

  /** The selector value of the same-age baseline's pods ({@code analysis.baseline}). */
  public String baselineLabelValue() {
    return labelValue + "-baseline";
  }
}
