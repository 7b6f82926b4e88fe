package app.flagger.sandbox;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Plays the Deployment controller and kubelet of the sandbox: every Deployment's status follows its
 * spec (all replicas updated, ready and available at the current generation). The full sandbox will
 * run real pods behind this; for now readiness is immediate.
 */
public final class SandboxKubelet implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(SandboxKubelet.class.getName());

  private final KubernetesClient client;
  private SharedIndexInformer<Deployment> informer;

  public SandboxKubelet(KubernetesClient client) {
    this.client = client;
  }

  public SandboxKubelet start() {
    informer =
        client
            .apps()
            .deployments()
            .inAnyNamespace()
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Deployment d) {
                    reconcile(d);
                  }

                  @Override
                  public void onUpdate(Deployment old, Deployment d) {
                    reconcile(d);
                  }

                  @Override
                  public void onDelete(Deployment d, boolean unknown) {}
                },
                0);
    return this;
  }

  /** The status a Deployment has once its pods are all running: replicas match the spec. */
  static DeploymentStatus settledStatus(Deployment d) {
    int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    long generation = d.getMetadata().getGeneration() == null ? 1 : d.getMetadata().getGeneration();
    return new DeploymentStatusBuilder()
        .withObservedGeneration(generation)
        .withReplicas(replicas)
        .withUpdatedReplicas(replicas)
        .withReadyReplicas(replicas)
        .withAvailableReplicas(replicas)
        .withUnavailableReplicas(0)
        .build();
  }

  // The mock API server keeps a built-in kind's status only when the whole object is written, so
  // the kubelet edits the object rather than its /status subresource.
  private void reconcile(Deployment d) {
    DeploymentStatus want = settledStatus(d);
    if (Objects.equals(d.getStatus(), want)) {
      return;
    }
    try {
      client
          .apps()
          .deployments()
          .inNamespace(d.getMetadata().getNamespace())
          .withName(d.getMetadata().getName())
          .edit(
              current -> {
                current.setStatus(settledStatus(current));
                return current;
              });
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "status of deployment " + d.getMetadata().getName() + " not updated", e);
    }
  }

  @Override
  public void close() {
    if (informer != null) {
      informer.close();
    }
  }
}
