package app.flagger.sandbox.kubelet;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * A Deployment's status as its pods make it: {@code replicas} counts live pods, {@code
 * updatedReplicas} those of the current template, {@code readyReplicas} and {@code
 * availableReplicas} those whose {@code /readyz} answers ({@code minReadySeconds} is not modelled),
 * with the {@code Available} and {@code Progressing} conditions of the Deployment controller.
 */
final class DeploymentStatusCalculator {
  private final Clock clock;

  DeploymentStatusCalculator(Clock clock) {
    this.clock = clock;
  }

  static int desiredReplicas(Deployment d) {
    Integer r = d.getSpec().getReplicas();
    return r == null ? 1 : r;
  }

  DeploymentStatus statusFor(Deployment d, String currentHash, List<PodProcess> pods) {
    int desired = desiredReplicas(d);
    int updated = (int) pods.stream().filter(p -> p.templateHash().equals(currentHash)).count();
    int ready = (int) pods.stream().filter(PodProcess::ready).count();
    long generation = d.getMetadata().getGeneration() == null ? 1 : d.getMetadata().getGeneration();
    boolean available = ready >= desired;
    boolean complete = updated == desired && pods.size() == desired && ready == desired;
    DeploymentStatus old = d.getStatus();
    List<DeploymentCondition> conditions = new ArrayList<>();
    conditions.add(
        condition(
            old,
            "Available",
            available,
            available ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
            available
                ? "Deployment has minimum availability."
                : "Deployment does not have minimum availability."));
    conditions.add(
        condition(
            old,
            "Progressing",
            true,
            complete ? "NewReplicaSetAvailable" : "ReplicaSetUpdated",
            complete
                ? "ReplicaSet \"%s-%s\" has successfully progressed."
                    .formatted(d.getMetadata().getName(), currentHash)
                : "ReplicaSet \"%s-%s\" is progressing."
                    .formatted(d.getMetadata().getName(), currentHash)));
    return new DeploymentStatusBuilder()
        .withObservedGeneration(generation)
        .withReplicas(pods.size())
        .withUpdatedReplicas(updated)
        .withReadyReplicas(ready)
        .withAvailableReplicas(ready)
        .withUnavailableReplicas(Math.max(0, desired - ready))
        .withConditions(conditions)
        .build();
  }

  /** A condition that keeps its old timestamps while its status and reason stay the same. */
  private DeploymentCondition condition(
      DeploymentStatus old, String type, boolean status, String reason, String message) {
    String s = status ? "True" : "False";
    DeploymentCondition previous =
        old == null || old.getConditions() == null
            ? null
            : old.getConditions().stream()
                .filter(c -> type.equals(c.getType()))
                .findFirst()
                .orElse(null);
    if (previous != null
        && s.equals(previous.getStatus())
        && reason.equals(previous.getReason())
        && message.equals(previous.getMessage())) {
      return previous;
    }
    String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    String transition =
        previous != null && s.equals(previous.getStatus()) ? previous.getLastTransitionTime() : now;
    return new DeploymentConditionBuilder()
        .withType(type)
        .withStatus(s)
        .withReason(reason)
        .withMessage(message)
        .withLastUpdateTime(now)
        .withLastTransitionTime(transition)
        .build();
  }
}
