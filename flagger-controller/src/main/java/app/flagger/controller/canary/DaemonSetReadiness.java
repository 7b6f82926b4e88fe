package app.flagger.controller.canary;

import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Flagger's {@code isDaemonSetReady}: all desired pods updated and at least {@code readyThreshold}%
 * available; past the Canary's progress deadline (counted from its last transition) the answer is
 * not retriable.
 */
final class DaemonSetReadiness {
  private DaemonSetReadiness() {}

  static Readiness check(Canary canary, DaemonSet d, Clock clock, int threshold) {
    DaemonSetStatus s = d.getStatus() == null ? new DaemonSetStatus() : d.getStatus();
    if (orZero(d.getMetadata().getGeneration()) > orZero(s.getObservedGeneration())) {
      return new Readiness.NotReady(
          true,
          "waiting for rollout to finish: observed daemonset generation less than desired generation");
    }
    int desired = orZero(s.getDesiredNumberScheduled());
    int updated = orZero(s.getUpdatedNumberScheduled());
    int available = orZero(s.getNumberAvailable());
    int needed = (int) Math.floor(desired * threshold / 100.0);
    boolean newCond = updated < desired;
    boolean availableCond = available < needed;
    if (!newCond && !availableCond) {
      return Readiness.READY;
    }
    int deadline = canary.getSpec().progressDeadlineOrDefault();
    String since = canary.getStatus() == null ? null : canary.getStatus().lastTransitionTime();
    if (since != null
        && Instant.parse(since).plus(Duration.ofSeconds(deadline)).isBefore(clock.instant())) {
      return new Readiness.NotReady(false, "exceeded its progressDeadlineSeconds: " + deadline);
    }
    return newCond
        ? new Readiness.NotReady(
            true,
            "waiting for rollout to finish: "
                + updated
                + " out of "
                + desired
                + " new pods have been updated")
        : new Readiness.NotReady(
            true,
            "waiting for rollout to finish: "
                + available
                + " of "
                + desired
                + " (readyThreshold "
                + threshold
                + "%) updated pods are available");
  }

  private static long orZero(Long l) {
    return l == null ? 0 : l;
  }

  private static int orZero(Integer i) {
    return i == null ? 0 : i;
  }
}
