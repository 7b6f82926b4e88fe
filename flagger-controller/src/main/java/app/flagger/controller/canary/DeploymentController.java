package app.flagger.controller.canary;

import app.flagger.controller.kube.Conflicts;
import app.flagger.controller.kube.InformerCache;
import app.flagger.controller.kube.KubeErrors;
import app.flagger.model.FlaggerGroup;
import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.RollableScalableResource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * Manages a Deployment target and its {@code -primary} (Flagger's {@code DeploymentController}).
 * Reads come from the {@link InformerCache}; writes go to the API server, and a readiness check
 * right after creating the primary uses the object the API server returned.
 */
public final class DeploymentController implements TargetController {
  private static final Logger LOG = Logger.getLogger(DeploymentController.class.getName());

  private final KubernetesClient client;
  private final InformerCache cache;
  private final Clock clock;
  private final ConfigTracker configs;
  private final ScalerReconciler scaler;
  private final TargetPorts ports;
  private final PrimaryDeploymentBuilder builder;

  public DeploymentController(
      KubernetesClient client,
      InformerCache cache,
      Clock clock,
      ConfigTracker configs,
      ScalerReconciler scaler,
      TargetPorts ports,
      Labels labels) {
    this.client = client;
    this.cache = cache;
    this.clock = clock;
    this.configs = configs;
    this.scaler = scaler;
    this.ports = ports;
    this.builder = new PrimaryDeploymentBuilder(labels);
  }

  @Override
  public TargetMetadata metadata(Canary canary) {
    Deployment target = target(canary);
    String label =
        ports.selectorLabel(
            "deployment",
            target.getMetadata().getName(),
            target.getMetadata().getNamespace(),
            target.getSpec().getSelector().getMatchLabels());
    String value = target.getSpec().getSelector().getMatchLabels().get(label);
    return new TargetMetadata(
        label, value, ports.discover(canary, target.getSpec().getTemplate().getSpec()));
  }

  @Override
  public Readiness initialize(Canary canary, boolean skipReadiness) {
    Deployment target = target(canary);
    String ns = canary.getMetadata().getNamespace();
    String name = canary.getSpec().primaryName();
    Deployment primary = cache.deployment(ns, name);
    if (primary == null) {
      TargetMetadata meta = metadata(canary);
      Map<String, Set<String>> copied =
          configs.createPrimaryConfigs(canary, target.getSpec().getTemplate().getSpec());
      // Readiness below judges the API server's answer: the cache has not seen the create yet.
      primary =
          Conflicts.createOrGet(
              client.apps().deployments().inNamespace(ns),
              builder.build(canary, target, meta, copied, UUID.randomUUID().toString()));
      cache.wrote(primary);
    }
    return skipReadiness ? Readiness.READY : primaryReadiness(canary, primary);
  }

  @Override
  public Readiness isPrimaryReady(Canary canary) {
    String ns = canary.getMetadata().getNamespace();
    String name = canary.getSpec().primaryName();
    Deployment primary = cache.deployment(ns, name);
    if (primary == null) {
      return new Readiness.NotReady(
          true, "deployment " + name + "." + ns + " get query error: not found");
    }
    return primaryReadiness(canary, primary);
  }

  private Readiness primaryReadiness(Canary canary, Deployment primary) {
    return readiness(
        canary, primary, canary.getSpec().analysisOrEmpty().primaryReadyThresholdOrDefault(), "");
  }

  /** Flagger's readiness of {@code d}, its reason prefixed with {@code <what><name>.<ns>}. */
  private Readiness readiness(Canary canary, Deployment d, int threshold, String what) {
    Readiness r =
        DeploymentReadiness.check(
            d, canary.getSpec().progressDeadlineOrDefault(), threshold, clock);
    return r.withReasonPrefix(
        what + d.getMetadata().getName() + "." + d.getMetadata().getNamespace() + " not ready: ");
  }

  @Override
  public Readiness isCanaryReady(Canary canary) {
    return canaryReadiness(canary, target(canary));
  }

  private Readiness canaryReadiness(Canary canary, Deployment target) {
    return readiness(
        canary,
        target,
        canary.getSpec().analysisOrEmpty().canaryReadyThresholdOrDefault(),
        "canary deployment ");
  }

  @Override
  public void startBaseline(Canary canary) {
    deleteBaseline(canary);
    createBaseline(canary);
  }

  @Override
  public Readiness isBaselineReady(Canary canary) {
    String ns = canary.getMetadata().getNamespace();
    Deployment baseline = cache.deployment(ns, baselineName(canary));
    if (baseline == null) {
      baseline = createBaseline(canary);
    }
    return readiness(
        canary,
        baseline,
        canary.getSpec().analysisOrEmpty().canaryReadyThresholdOrDefault(),
        "baseline deployment ");
  }

  @Override
  public void deleteBaseline(Canary canary) {
    String ns = canary.getMetadata().getNamespace();
    String name = baselineName(canary);
    try {
      client
          .apps()
          .deployments()
          .inNamespace(ns)
          .withName(name)
          .withPropagationPolicy(DeletionPropagation.BACKGROUND)
          .delete();
    } catch (KubernetesClientException e) {
      throw new TargetException(
          "deleting baseline deployment " + name + "." + ns + " failed: " + KubeErrors.message(e),
          e);
    }
  }

  /** {@code <target>-baseline} from the primary's spec with the canary's replicas. */
  private Deployment createBaseline(Canary canary) {
    String ns = canary.getMetadata().getNamespace();
    String name = baselineName(canary);
    Deployment primary = cache.deployment(ns, canary.getSpec().primaryName());
    if (primary == null) {
      throw new TargetException(
          "baseline deployment "
              + name
              + "."
              + ns
              + " needs the primary: deployment "
              + canary.getSpec().primaryName()
              + "."
              + ns
              + " get query error: not found");
    }
    Integer canaryReplicas = target(canary).getSpec().getReplicas();
    Integer primaryReplicas = primary.getSpec().getReplicas();
    int replicas =
        canaryReplicas != null && canaryReplicas > 0
            ? canaryReplicas
            : primaryReplicas == null ? 1 : primaryReplicas;
    Deployment desired =
        builder.baseline(
            canary, primary, canary.getSpec().targetRef().name(), metadata(canary), replicas);
    try {
      Deployment created =
          Conflicts.createOrGet(client.apps().deployments().inNamespace(ns), desired);
      LOG.info(() -> "Baseline deployment " + name + "." + ns + " created");
      return wrote(created);
    } catch (KubernetesClientException e) {
      throw new TargetException(
          "creating baseline deployment " + name + "." + ns + " failed: " + KubeErrors.message(e),
          e);
    }
  }

  private static String baselineName(Canary canary) {
    return canary.getSpec().targetRef().name() + FlaggerGroup.BASELINE_SUFFIX;
  }

  @Override
  public void promote(Canary canary) {
    Deployment target = target(canary);
    String ns = canary.getMetadata().getNamespace();
    String name = canary.getSpec().primaryName();
    Deployment cached = cache.deployment(ns, name);
    if (cached == null) {
      throw new TargetException("deployment " + name + "." + ns + " get query error: not found");
    }
    Map<String, Set<String>> copied =
        configs.createPrimaryConfigs(canary, target.getSpec().getTemplate().getSpec());
    TargetMetadata meta = metadata(canary);
    String flaggerId = UUID.randomUUID().toString();
    boolean hasAutoscaler = canary.getSpec().autoscalerRef() != null;
    try {
      Conflicts.retry(
          cached,
          () -> deployment(ns, name).get(),
          primary -> {
            if (primary == null) {
              throw new TargetException(
                  "deployment " + name + "." + ns + " get query error: not found");
            }
            Deployment updated =
                builder.promote(primary, target, meta, copied, flaggerId, hasAutoscaler);
            return wrote(client.apps().deployments().inNamespace(ns).resource(updated).update());
          });
    } catch (KubernetesClientException e) {
      throw new TargetException(
          "updating deployment "
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

  /**
   * Pauses the target's autoscaler first (a KEDA ScaledObject would scale the target back up), as
   * Flagger does before every {@code ScaleToZero}.
   */
  @Override
  public void scaleToZero(Canary canary) {
    scaler.pauseTargetScaler(canary);
    patchReplicas(canary, 0);
  }

  /** Resumes the target's autoscaler first, as Flagger does before {@code ScaleFromZero}. */
  @Override
  public void scaleFromZero(Canary canary) {
    scaler.resumeTargetScaler(canary);
    patchReplicas(canary, replicasFromZero(canary));
  }

  @Override
  public String targetHash(Canary canary) {
    return SpecHash.of(target(canary).getSpec().getTemplate());
  }

  @Override
  public Map<String, String> trackedConfigs(Canary canary) {
    return configs.checksums(
        canary.getMetadata().getNamespace(), target(canary).getSpec().getTemplate().getSpec());
  }

  /** Resumes the target's autoscaler so the target is not left at zero, then restores replicas. */
  @Override
  public Readiness finalize(Canary canary) {
    try {
      scaler.resumeTargetScaler(canary);
    } catch (TargetException e) {
      throw new TargetException(
          "failed to resume target scaler during finalizing: " + e.getMessage(), e);
    }
    Deployment primary =
        cache.deployment(canary.getMetadata().getNamespace(), canary.getSpec().primaryName());
    int replicas;
    if (primary == null) {
      replicas = replicasFromZero(canary);
    } else {
      Integer r = primary.getSpec().getReplicas();
      replicas = r == null ? 1 : r;
    }
    // The cache has not seen the patch yet: judge readiness on the API server's answer.
    return canaryReadiness(canary, patchReplicas(canary, replicas));
  }

  private int replicasFromZero(Canary canary) {
    Integer r = target(canary).getSpec().getReplicas();
    if (r != null && r > 0) {
      return r;
    }
    if (canary.getSpec().autoscalerRef() == null) {
      Deployment primary =
          cache.deployment(canary.getMetadata().getNamespace(), canary.getSpec().primaryName());
      Integer p = primary == null ? null : primary.getSpec().getReplicas();
      return p != null && p > 0 ? p : 1;
    }
    int min = scaler.minReplicas(canary);
    return min > 1 ? min : 1;
  }

  private Deployment patchReplicas(Canary canary, int replicas) {
    String ns = canary.getMetadata().getNamespace();
    String name = canary.getSpec().targetRef().name();
    // The cached target only names the object: without one fabric8 would GET it before patching.
    Deployment target = target(canary);
    try {
      return wrote(
          client
              .apps()
              .deployments()
              .inNamespace(ns)
              .resource(target)
              .patch(
                  PatchContext.of(PatchType.JSON_MERGE),
                  "{\"spec\":{\"replicas\":" + replicas + "}}"));
    } catch (KubernetesClientException e) {
      throw new TargetException(
          "scaling " + name + "." + ns + " to " + replicas + " failed: " + KubeErrors.message(e),
          e);
    }
  }

  private Deployment target(Canary canary) {
    String ns = canary.getMetadata().getNamespace();
    String name = canary.getSpec().targetRef().name();
    Deployment d = cache.deployment(ns, name);
    if (d == null) {
      throw new TargetException(
          "deployment "
              + name
              + "."
              + ns
              + " get query error: deployments.apps \""
              + name
              + "\" not found");
    }
    return d;
  }

  private Deployment wrote(Deployment d) {
    cache.wrote(d);
    return d;
  }

  /** The Deployment through the API server, for writes and for reads that must be fresh. */
  private RollableScalableResource<Deployment> deployment(String ns, String name) {
    return client.apps().deployments().inNamespace(ns).withName(name);
  }
}
