package app.flagger.controller.tick;

import app.flagger.controller.router.Routes;
import app.flagger.model.canary.CanaryPhase;
import java.util.Set;

/**
 * Weighted canary (Flagger's {@code runCanary}): after the confirm-traffic-increase gates, one step
 * of weight per tick (the first one mirrored when {@code mirror} is set) until {@code maxWeight},
 * then promotion.
 */
final class CanaryStrategy {
  private static final Set<CanaryPhase> UNGATED =
      Set.of(CanaryPhase.PROMOTING, CanaryPhase.WAITING_PROMOTION, CanaryPhase.FINALISING);

  private final Gates gates;
  private final Traffic traffic;
  private final Promotion promotion;

  CanaryStrategy(Gates gates, Traffic traffic, Promotion promotion) {
    this.gates = gates;
    this.traffic = traffic;
    this.promotion = promotion;
  }

  Decision run(Tick t) {
    int step = StepWeights.next(t.analysis(), t.canaryWeight());
    if (step <= 0) {
      return Decision.DONE;
    }
    Routes routes = t.routes();
    if (!routes.mirrored() && !UNGATED.contains(t.phase())) {
      Decision gate = gates.approval(t, Decision.Gate.TRAFFIC_INCREASE);
      if (gate != Decision.CONTINUE) {
        return gate;
      }
    }
    if (routes.canaryWeight() >= t.analysis().maxWeightOrDefault()) {
      return promotion.confirmThenCopy(t);
    }
    Routes next = next(t, routes, step);
    traffic.route(t, next);
    return new Decision.Advanced(next.canaryWeight());
  }

  /** One step up; with {@code mirror}, the first step mirrors before any weight moves. */
  private static Routes next(Tick t, Routes routes, int step) {
    if (t.analysis().mirrored() && routes.canaryWeight() == 0) {
      return routes.mirrored() ? new Routes(100 - step, step, false) : new Routes(100, 0, true);
    }
    int primary = Math.max(0, routes.primaryWeight() - step);
    int canary = Math.min(100, routes.canaryWeight() + step);
    return new Routes(primary, canary, false);
  }
}
