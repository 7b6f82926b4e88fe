package app.flagger.controller.canary;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Flagger's {@code isDeploymentReady}: whether a Deployment finished its rollout with at least
 * {@code readyThreshold}% of its updated replicas available, and whether a stuck rollout passed its
 * progress deadline (then the answer is not retriable).
 */
final class DeploymentReadiness {
  private DeploymentReadiness() {}

  static Readiness check(Deployment d, int deadlineSeconds, int readyThreshold, Clock clock) {
    DeploymentStatus status = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
    long generation = orZero(d.getMetadata().getGeneration());
    long observed = orZero(status.getObservedGeneration());
    if (generation > observed) {
      return new Readiness.NotReady(
          true,
          "waiting for rollout to finish: observed deployment generation less than desired generation");
    }
    DeploymentCondition progressing = condition(status, "Progressing");
    if (progressing != null && "ProgressDeadlineExceeded".equals(progressing.getReason())) {
      return new Readiness.NotReady(
          false, "deployment \"" + d.getMetadata().getName() + "\" exceeded its progress deadline");
    }
    boolean retriable = !stuck(status, deadlineSeconds, clock);
    int desired = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    int updated = orZero(status.getUpdatedReplicas());
    int replicas = orZero(status.getReplicas());
    int available = orZero(status.getAvailableReplicas());
    if (updated < desired) {
      return new Readiness.NotReady(
          retriable,
          "waiting for rollout to finish: "
              + updated
              + " out of "
              + desired
              + " new replicas have been updated");
    }
    if (replicas > updated) {
      return new Readiness.NotReady(
          retriable,
          "waiting for rollout to finish: "
              + (replicas - updated)
              + " old replicas are pending termination");
    }
    int needed = (int) Math.floor(updated * readyThreshold / 100.0);
    if (available < needed) {
      return new Readiness.NotReady(
          retriable,
          "waiting for rollout to finish: "
              + available
              + " of "
              + updated
              + " (readyThreshold "
              + readyThreshold
              + "%) updated replicas are available");
    }
    return Readiness.READY;
  }

  private static boolean stuck(DeploymentStatus status, int deadlineSeconds, Clock clock) {
    DeploymentCondition available = condition(status, "Available");
    if (available == null
        || !"False".equals(available.getStatus())
        || !"MinimumReplicasUnavailable".equals(available.getReason())
        || available.getLastUpdateTime() == null) {
      return false;
    }
    try {
      Instant from = Instant.parse(available.getLastUpdateTime());
      return from.plus(Duration.ofSeconds(deadlineSeconds)).isBefore(clock.instant());
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  private static DeploymentCondition condition(DeploymentStatus status, String type) {
    if (status.getConditions() == null) {
      return null;
    }
    return status.getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElse(null);
  }

  private static long orZero(Long l) {
    return l == null ? 0 : l;
  }

  private static int orZero(Integer i) {
    return i == null ? 0 : i;
  }
}
