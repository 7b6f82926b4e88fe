package app.flagger.controller.router.appmesh;

import app.flagger.controller.canary.TargetPorts;
import app.flagger.controller.router.RouterException;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.TargetKind;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The selector label of a Canary's target (the label Flagger's factory hands the v1beta2 router):
 * the first of the controller's {@code selector-labels} in the target's {@code
 * spec.selector.matchLabels}, read from the API server.
 */
public final class TargetSelectorLabel implements Function<Canary, String> {
  private final KubernetesClient client;
  private final TargetPorts labels;
  private final List<String> selectorLabels;

  public TargetSelectorLabel(KubernetesClient client, List<String> selectorLabels) {
    this.client = client;
    this.selectorLabels = List.copyOf(selectorLabels);
    this.labels = new TargetPorts(this.selectorLabels);
  }

  @Override
  public String apply(Canary canary) {
    String ns = canary.getMetadata().getNamespace();
    String name = canary.getSpec().targetRef().name();
    TargetKind kind =
        TargetKind.parse(canary.getSpec().targetRef().kind()).orElse(TargetKind.DEPLOYMENT);
    LabelSelector selector =
        switch (kind) {
          case DAEMON_SET -> {
            DaemonSet d = client.apps().daemonSets().inNamespace(ns).withName(name).get();
            yield d == null ? null : d.getSpec().getSelector();
          }
          default -> {
            Deployment d = client.apps().deployments().inNamespace(ns).withName(name).get();
            yield d == null ? null : d.getSpec().getSelector();
          }
        };
    if (selector == null) {
      throw new RouterException(
          kind.value()
              + " "
              + name
              + "."
              + ns
              + " not found or without spec.selector: the App Mesh virtual nodes select its pods"
              + " by one of "
              + selectorLabels);
    }
    Map<String, String> matchLabels = selector.getMatchLabels();
    return labels.selectorLabel(kind.value().toLowerCase(), name, ns, matchLabels);
  }
}
