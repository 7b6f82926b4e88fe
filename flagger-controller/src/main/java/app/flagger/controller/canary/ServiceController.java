package app.flagger.controller.canary;

import app.flagger.controller.kube.Conflicts;
import app.flagger.controller.kube.InformerCache;
import app.flagger.controller.kube.KubeErrors;
import app.flagger.controller.kube.Owners;
import app.flagger.model.FlaggerGroup;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.ServiceTargets;
import app.flagger.model.provider.Provider;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Logger;

/**
 * Manages a plain {@code v1} Service target (Flagger's {@code ServiceController}): there is no
 * workload to copy, the canary and the primary are Services. {@code <target>-canary} is a copy of
 * the target Service kept up to date on every tick; {@code <target>-primary} is created once from
 * it and receives the target's spec on promotion. Scaling is a no-op, both sides are always ready,
 * no configs are tracked, and change detection hashes the target Service's {@code spec}.
 *
 * <p>Where Flagger's copy would be refused by a real API server it is adapted: allocated addresses
 * ({@code clusterIP(s)}, {@code nodePort}s, {@code healthCheckNodePort}) are left for the server to
 * assign on create and kept from the existing Service on update, a headless Service stays headless,
 * and the primary keeps its owner reference to the Canary on promotion.
 */
public final class ServiceController implements TargetController {
  static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
  private static final Logger LOG = Logger.getLogger(ServiceController.class.getName());
  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  private static final TargetMetadata NO_METADATA = new TargetMetadata("", "", Map.of());

  private final KubernetesClient client;
  private final InformerCache cache;
  private final Labels labels;
  private final String defaultProvider;

  /**
   * @param defaultProvider the controller's {@code mesh-provider}, for Canaries without {@code
   *     spec.provider}
   */
  public ServiceController(
      KubernetesClient client, InformerCache cache, Labels labels, String defaultProvider) {
    this.client = client;
    this.cache = cache;
    this.labels = labels;
    this.defaultProvider = defaultProvider;
  }

  /**
   * No selector label, value or ports (Flagger's {@code GetMetadata} returns none). Refuses a
   * Knative Service and a provider that cannot route a Service target (the validator only sees
   * {@code spec.provider}, not the controller's default).
   */
  @Override
  public TargetMetadata metadata(Canary canary) {
    if (ServiceTargets.isKnative(canary.getSpec().targetRef())) {
      throw new TargetException(
          "Knative Service "
              + targetKey(canary)
              + " is not supported as a target by this controller");
    }
    Provider provider = Provider.resolve(canary.getSpec().provider(), defaultProvider);
    ServiceTargets.refusal(provider.name())
        .ifPresent(
            m -> {
              throw new TargetException("spec.targetRef.kind: " + m);
            });
    return NO_METADATA;
  }

  /** Creates or updates {@code <target>-canary}, then creates {@code <target>-primary}. */
  @Override
  public Readiness initialize(Canary canary, boolean skipReadiness) {
    Service target = target(canary);
    String ns = canary.getMetadata().getNamespace();
    String name = canary.getSpec().targetRef().name();
    reconcileCanary(canary, ns, name + FlaggerGroup.CANARY_SUFFIX, target);
    String primary = canary.getSpec().primaryName();
    if (cache.service(ns, primary) == null) {
      create(canary, ns, primary, target);
    }
    return Readiness.READY;
  }

  @Override
  public Readiness isPrimaryReady(Canary canary) {
    return Readiness.READY;
  }

  @Override
  public Readiness isCanaryReady(Canary canary) {
    return Readiness.READY;
  }

  /**
   * Copies the target's spec onto the primary, with the target's labels and annotations filtered by
   * {@code include-label-prefix}.
   */
  @Override
  public void promote(Canary canary) {
    Service target = target(canary);
    String ns = canary.getMetadata().getNamespace();
    String name = canary.getSpec().primaryName();
    Service cached = cache.service(ns, name);
    try {
      Conflicts.retry(
          cached == null ? fromApi(ns, name) : JSON.clone(cached),
          () -> fromApi(ns, name),
          current -> {
            if (current == null) {
              throw new TargetException(
                  "service " + name + "." + ns + " get query error: not found");
            }
            Service p = JSON.clone(current);
            p.getMetadata().setLabels(labels.filter(target.getMetadata().getLabels()));
            p.getMetadata().setAnnotations(labels.filter(target.getMetadata().getAnnotations()));
            p.setSpec(specFor(canary, target, current.getSpec()));
            return client.services().inNamespace(ns).resource(p).update();
          });
    } catch (KubernetesClientException e) {
      throw new TargetException(
          "updating service " + name + "." + ns + " spec failed: " + KubeErrors.message(e), e);
    }
  }

  @Override
  public boolean hasTargetChanged(Canary canary) {
    return SpecHash.isNewRevision(targetHash(canary), canary.getStatus());
  }

  /** A Service references no ConfigMaps or Secrets. */
  @Override
  public boolean haveDependenciesChanged(Canary canary) {
    return false;
  }

  @Override
  public void scaleToZero(Canary canary) {}

  @Override
  public void scaleFromZero(Canary canary) {}

  /** The hash of the target Service's {@code spec}. */
  @Override
  public String targetHash(Canary canary) {
    return SpecHash.of(target(canary).getSpec());
  }

  @Override
  public Map<String, String> trackedConfigs(Canary canary) {
    return Map.of();
  }

  /** Nothing to revert: the target Service was never changed. */
  @Override
  public Readiness finalize(Canary canary) {
    return Readiness.READY;
  }

  private void reconcileCanary(Canary canary, String ns, String name, Service target) {
    Service cached = cache.service(ns, name);
    if (cached == null) {
      create(canary, ns, name, target);
      return;
    }
    try {
      boolean updated =
          Conflicts.retry(
              JSON.clone(cached),
              () -> fromApi(ns, name),
              current -> {
                if (current == null) {
                  throw new TargetException(
                      "service " + name + "." + ns + " get query error: not found");
                }
                Service desired = copy(canary, name, target, current.getSpec());
                if (sameContent(desired, current)) {
                  return false;
                }
                desired
                    .getMetadata()
                    .setResourceVersion(current.getMetadata().getResourceVersion());
                desired.getMetadata().setUid(current.getMetadata().getUid());
                client.services().inNamespace(ns).resource(desired).update();
                return true;
              });
      if (updated) {
        LOG.info(() -> "Service " + name + "." + ns + " updated");
      }
    } catch (KubernetesClientException e) {
      throw new TargetException(
          "updating service " + name + "." + ns + " failed: " + KubeErrors.message(e), e);
    }
  }

  private void create(Canary canary, String ns, String name, Service target) {
    try {
      Conflicts.createOrGet(
          client.services().inNamespace(ns), copy(canary, name, target, (ServiceSpec) null));
    } catch (KubernetesClientException e) {
      throw new TargetException(
          "creating service " + name + "." + ns + " query error: " + KubeErrors.message(e), e);
    }
  }

  /**
   * The target Service under another name, owned by the Canary, without kubectl's last-applied
   * configuration (Flagger's {@code buildService}); {@code existing} is the spec of the Service it
   * replaces, null on create.
   */
  private static Service copy(Canary canary, String name, Service target, ServiceSpec existing) {
    Map<String, String> annotations = new LinkedHashMap<>();
    if (target.getMetadata().getAnnotations() != null) {
      annotations.putAll(target.getMetadata().getAnnotations());
    }
    annotations.remove(LAST_APPLIED);
    Map<String, String> objectLabels = new LinkedHashMap<>();
    if (target.getMetadata().getLabels() != null) {
      objectLabels.putAll(target.getMetadata().getLabels());
    }
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(canary.getMetadata().getNamespace())
        .withLabels(objectLabels)
        .withAnnotations(annotations)
        .withOwnerReferences(Owners.of(canary))
        .endMetadata()
        .withSpec(specFor(canary, target, existing))
        .build();
  }

  /**
   * The target's spec for a copy: addresses the API server allocated stay those of {@code existing}
   * (or are left unset on create), and {@code service.trafficDistribution} applies when set.
   */
  private static ServiceSpec specFor(Canary canary, Service target, ServiceSpec existing) {
    ServiceSpec spec = JSON.clone(target.getSpec());
    boolean headless = "None".equals(spec.getClusterIP());
    if (existing != null) {
      spec.setClusterIP(existing.getClusterIP());
      spec.setClusterIPs(existing.getClusterIPs());
      spec.setHealthCheckNodePort(existing.getHealthCheckNodePort());
    } else if (!headless) {
      spec.setClusterIP(null);
      spec.setClusterIPs(null);
      spec.setHealthCheckNodePort(null);
    }
    if (spec.getPorts() != null) {
      for (ServicePort port : spec.getPorts()) {
        port.setNodePort(existing == null ? null : nodePort(existing.getPorts(), port));
      }
    }
    String distribution = canary.getSpec().service().trafficDistribution();
    if (distribution != null && !distribution.isEmpty()) {
      spec.setTrafficDistribution(distribution);
    }
    return spec;
  }

  /** The node port the existing Service allocated to the same port, if any. */
  private static Integer nodePort(List<ServicePort> existing, ServicePort port) {
    if (existing == null) {
      return null;
    }
    return existing.stream()
        .filter(
            e ->
                Objects.equals(e.getPort(), port.getPort())
                    && Objects.equals(e.getProtocol(), port.getProtocol()))
        .map(ServicePort::getNodePort)
        .filter(Objects::nonNull)
        .findFirst()
        .orElse(null);
  }

  private static boolean sameContent(Service desired, Service current) {
    return Objects.equals(desired.getSpec(), current.getSpec())
        && Objects.equals(
            desired.getMetadata().getLabels(), orEmpty(current.getMetadata().getLabels()))
        && Objects.equals(
            desired.getMetadata().getAnnotations(), orEmpty(current.getMetadata().getAnnotations()))
        && Objects.equals(
            desired.getMetadata().getOwnerReferences(), current.getMetadata().getOwnerReferences());
  }

  private static Map<String, String> orEmpty(Map<String, String> m) {
    return m == null ? Map.of() : m;
  }

  private Service target(Canary canary) {
    String ns = canary.getMetadata().getNamespace();
    String name = canary.getSpec().targetRef().name();
    Service s = cache.service(ns, name);
    if (s == null) {
      throw new TargetException(
          "service " + name + "." + ns + " get query error: services \"" + name + "\" not found");
    }
    return s;
  }

  private Service fromApi(String ns, String name) {
    try {
      return client.services().inNamespace(ns).withName(name).get();
    } catch (KubernetesClientException e) {
      throw new TargetException(
          "service " + name + "." + ns + " get query error: " + KubeErrors.message(e), e);
    }
  }

  private static String targetKey(Canary canary) {
    return canary.getSpec().targetRef().name() + "." + canary.getMetadata().getNamespace();
  }
}
