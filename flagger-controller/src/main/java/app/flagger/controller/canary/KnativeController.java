package app.flagger.controller.canary;

import app.flagger.controller.kube.KnativeServices;
import app.flagger.controller.kube.KubeErrors;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.canary.CanaryStatus;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Manages a Knative Service target ({@code serving.knative.dev/v1} {@code Service}, Flagger's
 * {@code KnativeController}). There is no primary copy: Knative keeps every revision, and the
 * primary is the revision named by the Service's {@code flagger.app/primary-revision} annotation.
 * Initializing records the latest created revision there and pins all traffic to it; promoting
 * moves the annotation to the latest created revision. Readiness is the {@code Ready} condition of
 * the revision, change detection hashes {@code status.latestCreatedRevisionName}, and scaling and
 * finalizing are no-ops (Knative scales revisions itself).
 */
public final class KnativeController implements TargetController {
  private static final TargetMetadata NO_METADATA = new TargetMetadata("", "", Map.of());

  private final KnativeServices services;

  public KnativeController(KnativeServices services) {
    this.services = services;
  }

  /** No selector label, value or ports (Flagger's {@code GetMetadata} returns none). */
  @Override
  public TargetMetadata metadata(Canary canary) {
    return NO_METADATA;
  }

  /**
   * While the Canary initializes: the primary revision annotation and {@code spec.traffic} (latest
   * revision 0%, that revision 100%) are set to the latest created revision. Never waits for
   * readiness (as Flagger), but waits while Knative has not created a revision yet.
   */
  @Override
  public Readiness initialize(Canary canary, boolean skipReadiness) {
    CanaryStatus status = canary.getStatus();
    CanaryPhase phase = status == null ? null : status.phase();
    if (phase != null && phase != CanaryPhase.NONE && phase != CanaryPhase.INITIALIZING) {
      return Readiness.READY;
    }
    String latest = KnativeServices.latestCreatedRevision(service(canary));
    if (latest.isEmpty()) {
      return new Readiness.NotReady(true, key(canary) + " has no created revision yet");
    }
    update(
        canary,
        svc -> {
          KnativeServices.primaryRevision(svc, latest);
          KnativeServices.specTraffic(svc, KnativeServices.traffic(latest, 100, 0));
          return true;
        });
    return Readiness.READY;
  }

  /** The revision of the primary revision annotation must be ready. */
  @Override
  public Readiness isPrimaryReady(Canary canary) {
    String primary = KnativeServices.primaryRevision(service(canary));
    if (primary == null) {
      return new Readiness.NotReady(true, key(canary) + " primary revision annotation not found");
    }
    return revisionReadiness(canary, primary);
  }

  /** The latest created revision must be ready. */
  @Override
  public Readiness isCanaryReady(Canary canary) {
    return revisionReadiness(canary, KnativeServices.latestCreatedRevision(service(canary)));
  }

  /** Moves the primary revision annotation to the latest created revision. */
  @Override
  public void promote(Canary canary) {
    update(
        canary,
        svc -> {
          KnativeServices.primaryRevision(svc, KnativeServices.latestCreatedRevision(svc));
          return true;
        });
  }

  @Override
  public boolean hasTargetChanged(Canary canary) {
    return SpecHash.isNewRevision(targetHash(canary), canary.getStatus());
  }

  /** Knative Services' configs are not tracked (as Flagger). */
  @Override
  public boolean haveDependenciesChanged(Canary canary) {
    return false;
  }

  @Override
  public void scaleToZero(Canary canary) {}

  @Override
  public void scaleFromZero(Canary canary) {}

  /** The hash of {@code status.latestCreatedRevisionName}. */
  @Override
  public String targetHash(Canary canary) {
    return SpecHash.of(KnativeServices.latestCreatedRevision(service(canary)));
  }

  @Override
  public Map<String, String> trackedConfigs(Canary canary) {
    return Map.of();
  }

  /** Nothing to revert here; the router removes the annotation. */
  @Override
  public Readiness finalize(Canary canary) {
    return Readiness.READY;
  }

  private Readiness revisionReadiness(Canary canary, String name) {
    String ns = canary.getMetadata().getNamespace();
    if (name.isEmpty()) {
      return new Readiness.NotReady(true, key(canary) + " has no created revision yet");
    }
    GenericKubernetesResource revision;
    try {
      revision = services.revision(ns, name);
    } catch (KubernetesClientException e) {
      return new Readiness.NotReady(
          true,
          "Knative Revision " + name + "." + ns + " get query error: " + KubeErrors.message(e));
    }
    if (revision == null) {
      return new Readiness.NotReady(
          true,
          "Knative Revision "
              + name
              + "."
              + ns
              + " get query error: revisions.serving.knative.dev \""
              + name
              + "\" not found");
    }
    if (!KnativeServices.ready(revision)) {
      return new Readiness.NotReady(true, "Knative Revision " + name + "." + ns + " is not ready");
    }
    return Readiness.READY;
  }

  private GenericKubernetesResource service(Canary canary) {
    return services.require(canary, TargetException::new);
  }

  private void update(Canary canary, Predicate<GenericKubernetesResource> change) {
    services.update(canary, change, TargetException::new);
  }

  private static String key(Canary canary) {
    return KnativeServices.key(canary);
  }
}
