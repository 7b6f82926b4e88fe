package app.flagger.controller.router.knative;

import app.flagger.controller.router.RouterException;
import app.flagger.controller.router.Routes;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the split Knative applied from a Service's {@code status.traffic} (Flagger's {@code
 * GetRoutes}): the canary is the first entry with {@code latestRevision: true}, the primary the
 * first other entry naming the primary revision. Knative names the resolved revision in the latest
 * entry too, so once a promotion moved the primary to the latest revision (before the traffic is
 * shifted) no other entry names it: the primary then has what the latest entry does not. A lone
 * latest entry (Knative has not applied Flagger's split yet) is invalid.
 */
final class KnativeRoutes {
  private KnativeRoutes() {}

  /**
   * The weights in {@code traffic}; a {@link RouterException} starting with {@code key} ({@code
   * Knative Service <name>.<ns>}) when an entry or a percent is missing or the percents do not add
   * up to 100.
   */
  static Routes read(List<Map<String, Object>> traffic, String primaryRevision, String key) {
    Optional<Map<String, Object>> canary =
        traffic.stream().filter(KnativeRoutes::latest).findFirst();
    Optional<Map<String, Object>> primary =
        traffic.stream()
            .filter(t -> !latest(t) && primaryRevision.equals(t.get("revisionName")))
            .findFirst();
    boolean promoted =
        primary.isEmpty()
            && traffic.size() > 1
            && canary.isPresent()
            && primaryRevision.equals(canary.get().get("revisionName"));
    if (canary.isEmpty() || (primary.isEmpty() && !promoted)) {
      throw new RouterException(key + " traffic spec invalid");
    }
    if (!(canary.get().get("percent") instanceof Number c)) {
      throw new RouterException(key + " canary revision traffic percent does not exist");
    }
    if (c.intValue() < 0 || c.intValue() > 100) {
      throw new RouterException(key + " canary revision traffic percent " + c + " is not 0-100");
    }
    if (promoted) {
      return new Routes(100 - c.intValue(), c.intValue(), false);
    }
    if (!(primary.get().get("percent") instanceof Number p)) {
      throw new RouterException(key + " primary revision traffic percent does not exist");
    }
    if (p.intValue() < 0 || c.intValue() < 0 || p.intValue() + c.intValue() != 100) {
      throw new RouterException(
          key
              + " traffic percents primary "
              + p.intValue()
              + " and canary "
              + c.intValue()
              + " do not add up to 100");
    }
    return new Routes(p.intValue(), c.intValue(), false);
  }

  private static boolean latest(Map<String, Object> target) {
    return Boolean.TRUE.equals(target.get("latestRevision"));
  }
}
