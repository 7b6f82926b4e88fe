package app.flagger.controller.tick;

import app.flagger.controller.events.CanaryEvents;
import app.flagger.controller.router.Routes;

/**
 * Blue/green (Flagger's {@code runBlueGreen}): count the iterations (mirroring primary traffic when
 * {@code mirror} is set), then after the confirm-promotion gates route all traffic to the canary
 * for one more iteration, then promote.
 */
final class BlueGreenStrategy {
  private final Gates gates;
  private final Traffic traffic;
  private final Promotion promotion;
  private final CanaryEvents events;

  BlueGreenStrategy(Gates gates, Traffic traffic, Promotion promotion, CanaryEvents events) {
    this.gates = gates;
    this.traffic = traffic;
    this.promotion = promotion;
    this.events = events;
  }

  Decision run(Tick t, int iterations) {
    boolean mirror = t.analysis().mirrored();
    if (iterations > t.iterations()) {
      if (!t.kubernetesProvider() && mirror && !t.routes().mirrored()) {
        traffic.route(t, new Routes(100, 0, true));
      }
      return new Decision.Iterated(t.iterations() + 1, iterations, true);
    }
    Decision gate = gates.approval(t, Decision.Gate.PROMOTION);
    if (gate != Decision.CONTINUE) {
      return gate;
    }
    if (iterations == t.iterations()) {
      if (!t.kubernetesProvider()) {
        events.info(
            t.canary(),
            mirror
                ? "Stop traffic mirroring and route all traffic to canary"
                : "Routing all traffic to canary");
        traffic.route(t, new Routes(0, 100, false));
      }
      return new Decision.Iterated(t.iterations() + 1, iterations, false);
    }
    return promotion.copy(t);
  }
}
