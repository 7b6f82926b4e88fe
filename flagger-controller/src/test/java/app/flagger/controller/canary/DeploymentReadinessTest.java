package app.flagger.controller.canary;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.support.CanaryFixture;
import app.flagger.controller.support.MutableClock;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeploymentReadinessTest {
  final MutableClock clock = MutableClock.atEpochDay();

  Deployment deployment(int replicas, int updated, int available, int total) {
    Deployment d = CanaryFixture.deployment("x");
    d.getSpec().setReplicas(replicas);
    d.setStatus(
        new DeploymentStatusBuilder()
            .withReplicas(total)
            .withUpdatedReplicas(updated)
            .withAvailableReplicas(available)
            .build());
    return d;
  }

  @Test
  void reportsFlaggersWaitingMessagesInOrder() {
    assertThat(DeploymentReadiness.check(deployment(2, 1, 1, 2), 600, 100, clock))
        .isEqualTo(
            new Readiness.NotReady(
                true, "waiting for rollout to finish: 1 out of 2 new replicas have been updated"));
    assertThat(DeploymentReadiness.check(deployment(2, 2, 2, 3), 600, 100, clock))
        .isEqualTo(
            new Readiness.NotReady(
                true, "waiting for rollout to finish: 1 old replicas are pending termination"));
    assertThat(DeploymentReadiness.check(deployment(4, 4, 1, 4), 600, 50, clock))
        .isEqualTo(
            new Readiness.NotReady(
                true,
                "waiting for rollout to finish: 1 of 4 (readyThreshold 50%) updated replicas are available"));
    assertThat(DeploymentReadiness.check(deployment(4, 4, 2, 4), 600, 50, clock))
        .isEqualTo(Readiness.READY);
  }

  @Test
  void stuckPastTheDeadlineIsNotRetriable() {
    Deployment d = deployment(1, 0, 0, 1);
    d.getStatus()
        .setConditions(
            java.util.List.of(
                new DeploymentConditionBuilder()
                    .withType("Available")
                    .withStatus("False")
                    .withReason("MinimumReplicasUnavailable")
                    .withLastUpdateTime(clock.instant().toString())
                    .build()));
    assertThat(DeploymentReadiness.check(d, 60, 100, clock))
        .isInstanceOfSatisfying(Readiness.NotReady.class, n -> assertThat(n.retriable()).isTrue());
    clock.advance(Duration.ofSeconds(61));
    assertThat(DeploymentReadiness.check(d, 60, 100, clock))
        .isInstanceOfSatisfying(Readiness.NotReady.class, n -> assertThat(n.retriable()).isFalse());
  }

  @Test
  void progressDeadlineExceededConditionIsNotRetriable() {
    Deployment d = deployment(1, 1, 1, 1);
    d.getStatus()
        .setConditions(
            java.util.List.of(
                new DeploymentConditionBuilder()
                    .withType("Progressing")
                    .withStatus("False")
                    .withReason("ProgressDeadlineExceeded")
                    .build()));
    assertThat(DeploymentReadiness.check(d, 60, 100, clock))
        .isEqualTo(
            new Readiness.NotReady(false, "deployment \"podinfo\" exceeded its progress deadline"));
  }
}
