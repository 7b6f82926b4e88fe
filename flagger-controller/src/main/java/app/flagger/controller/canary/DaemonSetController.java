package app.flagger.controller.canary;

import app.flagger.controller.kube.Conflicts;
import app.flagger.controller.kube.InformerCache;
import app.flagger.controller.kube.KubeErrors;
import app.flagger.controller.kube.Owners;
import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * Manages a DaemonSet target (Flagger's {@code DaemonSetController}). A DaemonSet cannot scale to
 * zero replicas, so "scaled to zero" means the node selector {@code flagger.app/scale-to-zero:
 * "true"} that matches no node. Reads come from the {@link InformerCache} (cached objects are
 * cloned before they are edited); writes go to the API server and retry on 409 from a fresh read.
 */
public final class DaemonSetController implements TargetController {
  static final String SCALE_TO_ZERO = "flagger.app/scale-to-zero";
  private static final Logger LOG = Logger.getLogger(DaemonSetController.class.getName());
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private final KubernetesClient client;
  private final InformerCache cache;
  private final Clock clock;
  private final ConfigTracker configs;
  private final TargetPorts ports;
  private final Labels labels;

  public DaemonSetController(
      KubernetesClient client,
      InformerCache cache,
      Clock clock,
      ConfigTracker configs,
      TargetPorts ports,
      Labels labels) {
    this.client = client;
    this.cache = cache;
    this.clock = clock;
    this.configs = configs;
    this.ports = ports;
    this.labels = labels;
  }

  @Override
  public TargetMetadata metadata(Canary canary) {
    DaemonSet t = target(canary);
    Map<String, String> match = t.getSpec().getSelector().getMatchLabels();
    String label =
        ports.selectorLabel(
            "daemonset", t.getMetadata().getName(), t.getMetadata().getNamespace(), match);
    return new TargetMetadata(
        label, match.get(label), ports.discover(canary, t.getSpec().getTemplate().getSpec()));
  }

  @Override
  public Readiness initialize(Canary canary, boolean skipReadiness) {
    DaemonSet t = target(canary);
    String type =
        t.getSpec().getUpdateStrategy() == null
            ? "RollingUpdate"
            : t.getSpec().getUpdateStrategy().getType();
    if (!"RollingUpdate".equals(type)) {
      throw new TargetException(
          "daemonset "
              + t.getMetadata().getName()
              + "."
              + t.getMetadata().getNamespace()
              + " must have RollingUpdate strategy but have "
              + type);
    }
    String ns = canary.getMetadata().getNamespace();
    DaemonSet p = cache.daemonSet(ns, canary.getSpec().primaryName());
    if (p == null) {
      Map<String, Set<String>> copied =
          configs.createPrimaryConfigs(canary, t.getSpec().getTemplate().getSpec());
      // Readiness below judges the API server's answer: the cache has not seen the create yet.
      p =
          Conflicts.createOrGet(
              client.apps().daemonSets().inNamespace(ns), primary(canary, t, copied));
      cache.wrote(p);
    }
    return skipReadiness ? Readiness.READY : primaryReadiness(canary, p);
  }

  @Override
  public Readiness isPrimaryReady(Canary canary) {
    String ns = canary.getMetadata().getNamespace();
    DaemonSet p = cache.daemonSet(ns, canary.getSpec().primaryName());
    if (p == null) {
      return new Readiness.NotReady(
          true,
          "daemonset " + canary.getSpec().primaryName() + "." + ns + " get query error: not found");
    }
    return primaryReadiness(canary, p);
  }

  private Readiness primaryReadiness(Canary canary, DaemonSet p) {
    String ns = canary.getMetadata().getNamespace();
    return DaemonSetReadiness.check(
            canary, p, clock, canary.getSpec().analysisOrEmpty().primaryReadyThresholdOrDefault())
        .withReasonPrefix(
            "primary daemonset " + canary.getSpec().primaryName() + "." + ns + " not ready: ");
  }

  @Override
  public Readiness isCanaryReady(Canary canary) {
    return canaryReadiness(canary, target(canary));
  }

  private Readiness canaryReadiness(Canary canary, DaemonSet t) {
    return DaemonSetReadiness.check(
            canary, t, clock, canary.getSpec().analysisOrEmpty().canaryReadyThresholdOrDefault())
        .withReasonPrefix(
            "canary damonset "
                + t.getMetadata().getName()
                + "."
                + t.getMetadata().getNamespace()
                + " not ready: ");
  }

  @Override
  public void promote(Canary canary) {
    DaemonSet t = target(canary);
    String ns = canary.getMetadata().getNamespace();
    String name = canary.getSpec().primaryName();
    DaemonSet cached = cache.daemonSet(ns, name);
    if (cached == null) {
      throw new TargetException("daemonset " + name + "." + ns + " get query error: not found");
    }
    Map<String, Set<String>> copied =
        configs.createPrimaryConfigs(canary, t.getSpec().getTemplate().getSpec());
    DaemonSet desired = primary(canary, t, copied);
    try {
      Conflicts.retry(
          cached,
          () -> daemonSet(ns, name).get(),
          current -> {
            if (current == null) {
              throw new TargetException(
                  "daemonset " + name + "." + ns + " get query error: not found");
            }
            DaemonSet p = JSON.clone(current);
            p.getSpec().setTemplate(desired.getSpec().getTemplate());
            p.getSpec().setUpdateStrategy(t.getSpec().getUpdateStrategy());
            p.getSpec().setMinReadySeconds(t.getSpec().getMinReadySeconds());
            p.getMetadata().setLabels(desired.getMetadata().getLabels());
            return wrote(client.apps().daemonSets().inNamespace(ns).resource(p).update());
          });
    } catch (KubernetesClientException e) {
      throw new TargetException(
          "updating daemonset "
              + name
              + "."
              + ns
              + " template spec failed: "
              + KubeErrors.message(e),
          e);
    }
  }

  @Override
  public boolean hasTargetChanged(Canary canary) {
    return SpecHash.isNewRevision(targetHash(canary), canary.getStatus());
  }

  @Override
  public boolean haveDependenciesChanged(Canary canary) {
    return configs.changed(canary, target(canary).getSpec().getTemplate().getSpec());
  }

  @Override
  public void scaleToZero(Canary canary) {
    setScaledToZero(canary, true);
  }

  @Override
  public void scaleFromZero(Canary canary) {
    setScaledToZero(canary, false);
  }

  @Override
  public String targetHash(Canary canary) {
    return SpecHash.of(withoutScaleToZero(target(canary).getSpec().getTemplate()));
  }

  @Override
  public Map<String, String> trackedConfigs(Canary canary) {
    return configs.checksums(
        canary.getMetadata().getNamespace(), target(canary).getSpec().getTemplate().getSpec());
  }

  @Override
  public Readiness finalize(Canary canary) {
    // The cache has not seen the update yet: judge readiness on the API server's answer.
    return canaryReadiness(canary, setScaledToZero(canary, false));
  }

  private DaemonSet primary(Canary canary, DaemonSet t, Map<String, Set<String>> copied) {
    TargetMetadata meta = metadata(canary);
    Map<String, String> objectLabels = labels.filter(t.getMetadata().getLabels());
    objectLabels.put(meta.label(), meta.primaryLabelValue());
    PodTemplateSpec template =
        PrimaryDeploymentBuilder.primaryTemplate(
            withoutScaleToZero(t.getSpec().getTemplate()),
            t.getMetadata().getName(),
            meta,
            copied,
            UUID.randomUUID().toString());
    return new DaemonSetBuilder()
        .withNewMetadata()
        .withName(canary.getSpec().primaryName())
        .withNamespace(t.getMetadata().getNamespace())
        .withLabels(objectLabels)
        .withAnnotations(Labels.withoutToolkit(t.getMetadata().getAnnotations()))
        .withOwnerReferences(Owners.of(canary))
        .endMetadata()
        .withNewSpec()
        .withMinReadySeconds(t.getSpec().getMinReadySeconds())
        .withRevisionHistoryLimit(t.getSpec().getRevisionHistoryLimit())
        .withUpdateStrategy(t.getSpec().getUpdateStrategy())
        .withNewSelector()
        .withMatchLabels(Map.of(meta.label(), meta.primaryLabelValue()))
        .endSelector()
        .withTemplate(template)
        .endSpec()
        .build();
  }

  private DaemonSet setScaledToZero(Canary canary, boolean zero) {
    String ns = canary.getMetadata().getNamespace();
    DaemonSet cached = target(canary);
    try {
      return Conflicts.retry(
          cached,
          () -> daemonSet(ns, cached.getMetadata().getName()).get(),
          current -> {
            if (current == null) {
              throw new TargetException(
                  "daemonset " + cached.getMetadata().getName() + "." + ns + " not found");
            }
            DaemonSet t = JSON.clone(current);
            Map<String, String> selector = new HashMap<>();
            if (t.getSpec().getTemplate().getSpec().getNodeSelector() != null) {
              selector.putAll(t.getSpec().getTemplate().getSpec().getNodeSelector());
            }
            if (zero) {
              selector.put(SCALE_TO_ZERO, "true");
            } else {
              selector.remove(SCALE_TO_ZERO);
            }
            t.getSpec().getTemplate().getSpec().setNodeSelector(selector);
            return wrote(client.apps().daemonSets().inNamespace(ns).resource(t).update());
          });
    } catch (KubernetesClientException e) {
      throw new TargetException(
          "scaling daemonset "
              + cached.getMetadata().getName()
              + "."
              + ns
              + " failed: "
              + KubeErrors.message(e),
          e);
    }
  }

  private static PodTemplateSpec withoutScaleToZero(PodTemplateSpec t) {
    PodTemplateSpec copy = JSON.clone(t);
    Map<String, String> selector = new HashMap<>();
    if (copy.getSpec().getNodeSelector() != null) {
      selector.putAll(copy.getSpec().getNodeSelector());
    }
    selector.remove(SCALE_TO_ZERO);
    copy.getSpec().setNodeSelector(selector);
    return copy;
  }

  private DaemonSet target(Canary canary) {
    String ns = canary.getMetadata().getNamespace();
    String name = canary.getSpec().targetRef().name();
    DaemonSet d = cache.daemonSet(ns, name);
    if (d == null) {
      throw new TargetException(
          "daemonset "
              + name
              + "."
              + ns
              + " get query error: daemonsets.apps \""
              + name
              + "\" not found");
    }
    return d;
  }

  private DaemonSet wrote(DaemonSet d) {
    cache.wrote(d);
    return d;
  }

  /** The DaemonSet through the API server, for writes and for reads that must be fresh. */
  private Resource<DaemonSet> daemonSet(String ns, String name) {
    return client.apps().daemonSets().inNamespace(ns).withName(name);
  }
}
