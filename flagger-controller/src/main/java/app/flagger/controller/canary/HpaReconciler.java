package app.flagger.controller.canary;

import app.flagger.controller.kube.Conflicts;
import app.flagger.controller.kube.InformerCache;
import app.flagger.controller.kube.Owners;
import app.flagger.model.FlaggerGroup;
import app.flagger.model.canary.AutoscalerReference;
import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerList;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Objects;
import java.util.logging.Logger;

/**
 * Copies the target's HorizontalPodAutoscaler (autoscaling/v2) as {@code <name>-primary} aimed at
 * {@code <target>-primary}: created at initialization, updated only during promotion. Both HPAs are
 * read from the {@link InformerCache}; an update that meets a conflict retries from a fresh read
 * through the API.
 */
public final class HpaReconciler implements ScalerReconciler {
  private static final Logger LOG = Logger.getLogger(HpaReconciler.class.getName());
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private final KubernetesClient client;
  private final InformerCache cache;
  private final Labels labels;

  public HpaReconciler(KubernetesClient client, InformerCache cache, Labels labels) {
    this.client = client;
    this.cache = cache;
    this.labels = labels;
  }

  /** Creates the primary HPA when missing; with {@code init == false} also updates it. */
  @Override
  public void reconcilePrimaryScaler(Canary canary, boolean init) {
    AutoscalerReference ref = canary.getSpec().autoscalerRef();
    if (ref == null || !"HorizontalPodAutoscaler".equals(ref.kind())) {
      return;
    }
    String ns = canary.getMetadata().getNamespace();
    HorizontalPodAutoscaler target = cache.hpa(ns, ref.name());
    if (target == null) {
      throw new TargetException(
          "HorizontalPodAutoscaler " + ref.name() + "." + ns + " get query error: not found");
    }
    HorizontalPodAutoscaler desired = desired(canary, target);
    String name = desired.getMetadata().getName();
    HorizontalPodAutoscaler existing = cache.hpa(ns, name);
    if (existing == null) {
      existing = create(ns, desired);
      if (existing == null) {
        return;
      }
    }
    if (!init && !Objects.equals(existing.getSpec(), desired.getSpec())) {
      Conflicts.retry(
          existing,
          () -> hpas(ns).withName(name).get(),
          current -> {
            HorizontalPodAutoscaler updated = JSON.clone(current);
            updated.setSpec(desired.getSpec());
            updated.getMetadata().setLabels(desired.getMetadata().getLabels());
            return hpas(ns).resource(updated).update();
          });
      LOG.info(() -> "HorizontalPodAutoscaler v2 " + name + "." + ns + " updated");
    }
  }

  /**
   * Creates the primary HPA; null once created. When it already exists (the cache had not seen it
   * yet) returns it as read through the API, so an update can follow.
   */
  private HorizontalPodAutoscaler create(String ns, HorizontalPodAutoscaler desired) {
    String name = desired.getMetadata().getName();
    try {
      hpas(ns).resource(desired).create();
      LOG.info(() -> "HorizontalPodAutoscaler v2 " + name + "." + ns + " created");
      return null;
    } catch (KubernetesClientException e) {
      HorizontalPodAutoscaler existing = e.getCode() == 409 ? hpas(ns).withName(name).get() : null;
      if (existing == null) {
        throw e;
      }
      return existing;
    }
  }

  /** The minimum replicas of the target's HPA, or 0 without one. */
  @Override
  public int minReplicas(Canary canary) {
    AutoscalerReference ref = canary.getSpec().autoscalerRef();
    if (ref == null || !"HorizontalPodAutoscaler".equals(ref.kind())) {
      return 0;
    }
    HorizontalPodAutoscaler hpa = cache.hpa(canary.getMetadata().getNamespace(), ref.name());
    return hpa == null || hpa.getSpec().getMinReplicas() == null
        ? 0
        : hpa.getSpec().getMinReplicas();
  }

  private NonNamespaceOperation<
          HorizontalPodAutoscaler, HorizontalPodAutoscalerList, Resource<HorizontalPodAutoscaler>>
      hpas(String ns) {
    return client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns);
  }

  HorizontalPodAutoscaler desired(Canary canary, HorizontalPodAutoscaler target) {
    AutoscalerReference ref = canary.getSpec().autoscalerRef();
    HorizontalPodAutoscalerSpec spec = JSON.clone(target.getSpec());
    spec.getScaleTargetRef()
        .setName(canary.getSpec().targetRef().name() + FlaggerGroup.PRIMARY_SUFFIX);
    if (ref.primaryScalerReplicas() != null) {
      if (ref.primaryScalerReplicas().minReplicas() != null) {
        spec.setMinReplicas(ref.primaryScalerReplicas().minReplicas());
      }
      if (ref.primaryScalerReplicas().maxReplicas() != null) {
        spec.setMaxReplicas(ref.primaryScalerReplicas().maxReplicas());
      }
    }
    return new HorizontalPodAutoscalerBuilder()
        .withNewMetadata()
        .withName(ref.name() + FlaggerGroup.PRIMARY_SUFFIX)
        .withNamespace(target.getMetadata().getNamespace())
        .withLabels(Labels.withoutToolkit(target.getMetadata().getLabels()))
        .withOwnerReferences(Owners.of(canary))
        .endMetadata()
        .withSpec(spec)
        .build();
  }
}
