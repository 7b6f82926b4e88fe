package app.flagger.controller.support;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.List;

/**
 * Plays the Deployment controller on the mock API server (after Strimzi's
 * MockDeploymentController): marks Deployments rolled out and available, or stuck.
 */
public final class FakeDeploymentController {
  private final KubernetesClient client;
  private final String namespace;

  public FakeDeploymentController(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  /** Every Deployment of the namespace finished its rollout. */
  public void reconcileAll() {
    for (Deployment d : client.apps().deployments().inNamespace(namespace).list().getItems()) {
      markReady(d.getMetadata().getName());
    }
  }

  /** {@code name} finished its rollout with all replicas available. */
  public void markReady(String name) {
    Deployment d = client.apps().deployments().inNamespace(namespace).withName(name).get();
    int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    DeploymentStatus status =
        new DeploymentStatusBuilder()
            .withObservedGeneration(d.getMetadata().getGeneration())
            .withReplicas(replicas)
            .withUpdatedReplicas(replicas)
            .withAvailableReplicas(replicas)
            .withReadyReplicas(replicas)
            .build();
    writeStatus(d, status);
  }

  /** {@code name} has no updated replica yet. */
  public void markNotReady(String name) {
    Deployment d = client.apps().deployments().inNamespace(namespace).withName(name).get();
    writeStatus(
        d,
        new DeploymentStatusBuilder()
            .withObservedGeneration(d.getMetadata().getGeneration())
            .withReplicas(0)
            .withUpdatedReplicas(0)
            .build());
  }

  /** {@code name} is stuck: minimum replicas unavailable since {@code since}. */
  public void markStuck(String name, Instant since) {
    Deployment d = client.apps().deployments().inNamespace(namespace).withName(name).get();
    DeploymentCondition available =
        new DeploymentConditionBuilder()
            .withType("Available")
            .withStatus("False")
            .withReason("MinimumReplicasUnavailable")
            .withLastUpdateTime(since.toString())
            .withLastTransitionTime(since.toString())
            .build();
    writeStatus(
        d,
        new DeploymentStatusBuilder()
            .withObservedGeneration(d.getMetadata().getGeneration())
            .withReplicas(1)
            .withUpdatedReplicas(0)
            .withConditions(List.of(available))
            .build());
  }

  private void writeStatus(Deployment d, DeploymentStatus status) {
    d.setStatus(status);
    client.apps().deployments().inNamespace(namespace).resource(d).updateStatus();
  }
}
