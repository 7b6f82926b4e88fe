package app.flagger.controller.router;

import app.flagger.controller.canary.TargetMetadata;
import app.flagger.controller.kube.Conflicts;
import app.flagger.controller.kube.Copies;
import app.flagger.controller.kube.InformerCache;
import app.flagger.controller.kube.KubeErrors;
import app.flagger.controller.kube.Owners;
import app.flagger.model.FlaggerGroup;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryService;
import app.flagger.model.canary.CustomMetadata;
import app.flagger.model.canary.UnmanagedMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The ClusterIP services every provider uses (Flagger's {@code KubernetesDefaultRouter}): {@code
 * <apex>-canary} and {@code <apex>-primary} at initialization, {@code <apex>} on reconcile (taking
 * over a user-owned apex Service), and the apex selector restored on finalization.
 *
 * <p>Services are read from the {@link InformerCache}; writes go to the API server. A create of a
 * Service the cache has not seen yet that meets an existing one reads it through the API and goes
 * on; an update starts from a copy of the cached Service and, on a 409 conflict, re-reads it
 * through the API and tries again.
 */
public final class KubernetesServiceRouter implements KubernetesRouter {
  private static final Logger LOG = Logger.getLogger(KubernetesServiceRouter.class.getName());
  private static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  private final KubernetesClient client;
  private final InformerCache cache;
  private final Function<Canary, TargetMetadata> metadata;

  public KubernetesServiceRouter(
      KubernetesClient client, InformerCache cache, Function<Canary, TargetMetadata> metadata) {
    this.client = client;
    this.cache = cache;
    this.metadata = metadata;
  }

  @Override
  public void initialize(Canary canary) {
    TargetMetadata meta = metadata.apply(canary);
    CanaryService svc = canary.getSpec().service();
    String apex = canary.getSpec().apexName();
    reconcileService(
        canary, apex + FlaggerGroup.CANARY_SUFFIX, meta.labelValue(), meta, svc.canary());
    reconcileService(
        canary, apex + FlaggerGroup.PRIMARY_SUFFIX, meta.primaryLabelValue(), meta, svc.primary());
  }

  @Override
  public void initializeBaseline(Canary canary) {
    TargetMetadata meta = metadata.apply(canary);
    reconcileService(
        canary,
        canary.getSpec().apexName() + FlaggerGroup.BASELINE_SUFFIX,
        meta.baselineLabelValue(),
        meta,
        null);
  }

  @Override
  public void deleteBaseline(Canary canary) {
    String ns = canary.getMetadata().getNamespace();
    String name = canary.getSpec().apexName() + FlaggerGroup.BASELINE_SUFFIX;
    try {
      client.services().inNamespace(ns).withName(name).delete();
    } catch (KubernetesClientException e) {
      throw new RouterException(
          "service " + name + "." + ns + " delete error: " + KubeErrors.message(e), e);
    }
  }

  @Override
  public void reconcile(Canary canary) {
    TargetMetadata meta = metadata.apply(canary);
    reconcileService(
        canary,
        canary.getSpec().apexName(),
        meta.primaryLabelValue(),
        meta,
        canary.getSpec().service().apex());
  }

  @Override
  public void finalize(Canary canary) {
    String ns = canary.getMetadata().getNamespace();
    String apex = canary.getSpec().apexName();
    Service cached = cache.service(ns, apex);
    Service existing = cached == null ? fromApi(ns, apex) : cached;
    if (existing == null || Owners.controlledBy(existing, canary)) {
      return;
    }
    TargetMetadata meta = metadata.apply(canary);
    update(
        Copies.of(existing),
        ns,
        apex,
        current -> {
          current.getSpec().setSelector(originalSelector(current, meta));
          return true;
        });
    LOG.info(() -> canary.key() + " router reverted");
  }

  /** The selector from kubectl's last-applied configuration, else the target's label. */
  private Map<String, String> originalSelector(Service existing, TargetMetadata meta) {
    String lastApplied =
        existing.getMetadata().getAnnotations() == null
            ? null
            : existing.getMetadata().getAnnotations().get(LAST_APPLIED);
    if (lastApplied != null) {
      Service original = client.getKubernetesSerialization().unmarshal(lastApplied, Service.class);
      if (original.getSpec() != null && original.getSpec().getSelector() != null) {
        return original.getSpec().getSelector();
      }
    }
    return Map.of(meta.label(), meta.labelValue());
  }

  private void reconcileService(
      Canary canary, String name, String podValue, TargetMetadata meta, CustomMetadata custom) {
    String ns = canary.getMetadata().getNamespace();
    Service cached = cache.service(ns, name);
    if (cached == null) {
      Service desired = ApexServiceBuilder.build(canary, name, podValue, meta, custom);
      try {
        cached = Conflicts.createOrGet(client.services().inNamespace(ns), desired);
      } catch (KubernetesClientException e) {
        throw new RouterException(
            "service " + name + "." + ns + " create error: " + KubeErrors.message(e), e);
      }
    }
    boolean updated =
        update(
            Copies.of(cached),
            ns,
            name,
            current ->
                merge(
                    canary,
                    current,
                    ApexServiceBuilder.build(canary, name, podValue, meta, custom)));
    if (updated) {
      LOG.info(() -> "Service " + name + " updated");
    }
  }

  /**
   * Applies {@code change} to {@code start} and writes it when it changed something; on a 409
   * re-reads the Service through the API and tries again. True when a write happened.
   */
  private boolean update(Service start, String ns, String name, Function<Service, Boolean> change) {
    try {
      return Conflicts.retry(
          start,
          () -> {
            Service fresh = fromApi(ns, name);
            if (fresh == null) {
              throw new RouterException("service " + name + "." + ns + " not found");
            }
            return fresh;
          },
          current -> {
            if (!change.apply(current)) {
              return false;
            }
            client.services().inNamespace(ns).resource(current).update();
            return true;
          });
    } catch (KubernetesClientException e) {
      throw new RouterException(
          "service " + name + "." + ns + " update error: " + KubeErrors.message(e), e);
    }
  }

  private Service fromApi(String ns, String name) {
    try {
      return client.services().inNamespace(ns).withName(name).get();
    } catch (KubernetesClientException e) {
      throw new RouterException(
          "service " + name + "." + ns + " get query error: " + KubeErrors.message(e), e);
    }
  }

  /** Brings {@code existing} to {@code desired}; true when something changed. */
  private static boolean merge(Canary canary, Service existing, Service desired) {
    boolean changed = false;
    List<ServicePort> ports =
        withNodePorts(desired.getSpec().getPorts(), existing.getSpec().getPorts());
    if (!Objects.equals(normalize(existing.getSpec().getPorts()), normalize(ports))) {
      existing.getSpec().setPorts(ports);
      changed = true;
    }
    if (!Objects.equals(existing.getSpec().getSelector(), desired.getSpec().getSelector())) {
      existing.getSpec().setSelector(desired.getSpec().getSelector());
      changed = true;
    }
    if (Owners.controlledBy(existing, canary)) {
      UnmanagedMetadata keep = canary.getSpec().service().unmanagedMetadata();
      Map<String, String> labels =
          preserve(
              desired.getMetadata().getLabels(),
              existing.getMetadata().getLabels(),
              keep == null ? null : keep.labels());
      Map<String, String> annotations =
          preserve(
              desired.getMetadata().getAnnotations(),
              existing.getMetadata().getAnnotations(),
              keep == null ? null : keep.annotations());
      if (!labels.equals(existing.getMetadata().getLabels())
          || !annotations.equals(existing.getMetadata().getAnnotations())) {
        existing.getMetadata().setLabels(labels);
        existing.getMetadata().setAnnotations(annotations);
        changed = true;
      }
    } else if (changed) {
      Map<String, String> annotations = new LinkedHashMap<>();
      if (existing.getMetadata().getAnnotations() != null) {
        annotations.putAll(existing.getMetadata().getAnnotations());
      }
      annotations.putAll(ApexServiceBuilder.TOOLKIT_ANNOTATIONS);
      existing.getMetadata().setAnnotations(annotations);
    }
    return changed;
  }

  private static Map<String, String> preserve(
      Map<String, String> desired, Map<String, String> current, List<String> keys) {
    Map<String, String> out = new LinkedHashMap<>(desired == null ? Map.of() : desired);
    if (keys != null && current != null) {
      keys.forEach(
          k -> {
            if (current.containsKey(k)) {
              out.put(k, current.get(k));
            }
          });
    }
    return out;
  }

  private static List<ServicePort> withNodePorts(
      List<ServicePort> desired, List<ServicePort> current) {
    if (current == null) {
      return desired;
    }
    for (ServicePort p : desired) {
      current.stream()
          .filter(c -> Objects.equals(c.getName(), p.getName()) && c.getNodePort() != null)
          .findFirst()
          .ifPresent(c -> p.setNodePort(c.getNodePort()));
    }
    return desired;
  }

  private static List<String> normalize(List<ServicePort> ports) {
    return ports == null
        ? List.of()
        : ports.stream()
            .map(
                p ->
                    p.getName()
                        + "/"
                        + p.getPort()
                        + "/"
                        + p.getTargetPort()
                        + "/"
                        + p.getNodePort()
                        + "/"
                        + p.getAppProtocol())
            .toList();
  }
}
