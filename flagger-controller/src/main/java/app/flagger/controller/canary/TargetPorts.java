package app.flagger.controller.canary;

import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryService;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Selector label lookup and {@code portDiscovery}, shared by the workload controllers. */
public final class TargetPorts {
  private static final Set<String> SIDECARS = Set.of("istio-proxy", "envoy", "linkerd-proxy");

  private final List<String> selectorLabels;

  public TargetPorts(List<String> selectorLabels) {
    this.selectorLabels = List.copyOf(selectorLabels);
  }

  /** The first configured selector label present in {@code matchLabels}. */
  public String selectorLabel(
      String kind, String name, String ns, Map<String, String> matchLabels) {
    for (String l : selectorLabels) {
      if (matchLabels != null && matchLabels.containsKey(l)) {
        return l;
      }
    }
    throw new TargetException(
        kind
            + " "
            + name
            + "."
            + ns
            + " spec.selector.matchLabels must contain one of ["
            + String.join(" ", selectorLabels)
            + "]");
  }

  /** The extra container ports to expose when {@code service.portDiscovery} is set. */
  public Map<String, Integer> discover(Canary canary, PodSpec spec) {
    CanaryService svc = canary.getSpec().service();
    Map<String, Integer> out = new LinkedHashMap<>();
    if (svc == null || !Boolean.TRUE.equals(svc.portDiscovery()) || spec == null) {
      return out;
    }
    for (Container c : spec.getContainers()) {
      if (SIDECARS.contains(c.getName()) || c.getPorts() == null) {
        continue;
      }
      for (int i = 0; i < c.getPorts().size(); i++) {
        ContainerPort p = c.getPorts().get(i);
        if (isServicePort(svc, p)) {
          continue;
        }
        String name =
            p.getName() == null || p.getName().isEmpty()
                ? "tcp-" + c.getName() + "-" + i
                : p.getName();
        out.put(name, p.getContainerPort());
      }
    }
    return out;
  }

  private static boolean isServicePort(CanaryService svc, ContainerPort p) {
    IntOrString target = svc.targetPort();
    if (target == null) {
      return p.getContainerPort().equals(svc.port());
    }
    if (target.getIntVal() != null) {
      return p.getContainerPort().equals(target.getIntVal());
    }
    return target.getStrVal().equals(p.getName());
  }
}
