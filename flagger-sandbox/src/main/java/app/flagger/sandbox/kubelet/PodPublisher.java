package app.flagger.sandbox.kubelet;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Mirrors each pod into the API as a Pod object: the template's labels, {@code status.podIP}
 * 127.0.0.1, a Ready condition, and the loopback port and process id as annotations.
 */
final class PodPublisher {
  /** The annotation holding the pod's loopback port. */
  static final String PORT_ANNOTATION = "sandbox.flagger.app/port";

  /** The annotation holding the pod's process id. */
  static final String PID_ANNOTATION = "sandbox.flagger.app/pid";

  private static final Logger LOG = Logger.getLogger(PodPublisher.class.getName());

  private final KubernetesClient client;

  PodPublisher(KubernetesClient client) {
    this.client = client;
  }

  static Pod podObject(PodProcess p) {
    String ready = p.ready() ? "True" : "False";
    return new PodBuilder()
        .withNewMetadata()
        .withName(p.name())
        .withNamespace(p.namespace())
        .withLabels(p.labels())
        .addToAnnotations(PORT_ANNOTATION, p.port().isPresent() ? "" + p.port().getAsInt() : "")
        .addToAnnotations(PID_ANNOTATION, Long.toString(p.pid()))
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName(p.container())
        .withImage(p.template().image())
        .endContainer()
        .endSpec()
        .withNewStatus()
        .withPhase("Running")
        .withPodIP("127.0.0.1")
        .withHostIP("127.0.0.1")
        .addNewCondition()
        .withType("Ready")
        .withStatus(ready)
        .endCondition()
        .addNewCondition()
        .withType("ContainersReady")
        .withStatus(ready)
        .endCondition()
        .endStatus()
        .build();
  }

  void publish(PodProcess p) {
    try {
      client.resource(podObject(p)).createOr(NonDeletingOperation::update);
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "pod object " + p.name() + " not written", e);
    }
  }

  void remove(PodProcess p) {
    try {
      client.pods().inNamespace(p.namespace()).withName(p.name()).delete();
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "pod object " + p.name() + " not deleted", e);
    }
  }
}
