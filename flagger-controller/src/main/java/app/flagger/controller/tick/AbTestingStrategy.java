package app.flagger.controller.tick;

import app.flagger.controller.router.Routes;

/**
 * A/B testing (Flagger's {@code runAB}): the matched requests go to the canary for each iteration,
 * then after the confirm-promotion gates the canary is promoted.
 */
final class AbTestingStrategy {
  private final Gates gates;
  private final Traffic traffic;
  private final Promotion promotion;

  AbTestingStrategy(Gates gates, Traffic traffic, Promotion promotion) {
    this.gates = gates;
    this.traffic = traffic;
    this.promotion = promotion;
  }

  Decision run(Tick t, int iterations) {
    if (iterations > t.iterations()) {
      traffic.route(t, new Routes(0, 100, false));
      return new Decision.Iterated(t.iterations() + 1, iterations, true);
    }
    Decision gate = gates.approval(t, Decision.Gate.PROMOTION);
    if (gate != Decision.CONTINUE) {
      return gate;
    }
    return iterations == t.iterations() ? promotion.copy(t) : Decision.DONE;
  }
}
