package app.flagger.controller.canary;

import app.flagger.model.FlaggerGroup;
import app.flagger.model.canary.AutoscalerReference;
import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Objects;
import java.util.logging.Logger;

/**
 * Copies the target's HorizontalPodAutoscaler (autoscaling/v2) as {@code <name>-primary} aimed at
 * {@code <target>-primary}: created at initialization, updated only during promotion.
 */
public final class HpaReconciler {
  private static final Logger LOG = Logger.getLogger(HpaReconciler.class.getName());
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private final KubernetesClient client;
  private final Labels labels;

  public HpaReconciler(KubernetesClient client, Labels labels) {
    this.client = client;
    this.labels = labels;
  }

  /** Creates the primary HPA when missing; with {@code init == false} also updates it. */
  public void reconcilePrimaryScaler(Canary canary, boolean init) {
    AutoscalerReference ref = canary.getSpec().autoscalerRef();
    if (ref == null || !"HorizontalPodAutoscaler".equals(ref.kind())) {
      return;
    }
    String ns = canary.getMetadata().getNamespace();
    HorizontalPodAutoscaler target =
        client
            .autoscaling()
            .v2()
            .horizontalPodAutoscalers()
            .inNamespace(ns)
            .withName(ref.name())
            .get();
    if (target == null) {
      throw new TargetException(
          "HorizontalPodAutoscaler " + ref.name() + "." + ns + " get query error: not found");
    }
    HorizontalPodAutoscaler desired = desired(canary, target);
    String name = desired.getMetadata().getName();
    var resource =
        client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns).withName(name);
    HorizontalPodAutoscaler existing = resource.get();
    if (existing == null) {
      client
          .autoscaling()
          .v2()
          .horizontalPodAutoscalers()
          .inNamespace(ns)
          .resource(desired)
          .create();
      LOG.info(() -> "HorizontalPodAutoscaler v2 " + name + "." + ns + " created");
    } else if (!init && !Objects.equals(existing.getSpec(), desired.getSpec())) {
      existing.setSpec(desired.getSpec());
      existing.getMetadata().setLabels(desired.getMetadata().getLabels());
      client
          .autoscaling()
          .v2()
          .horizontalPodAutoscalers()
          .inNamespace(ns)
          .resource(existing)
          .update();
      LOG.info(() -> "HorizontalPodAutoscaler v2 " + name + "." + ns + " updated");
    }
  }

  /** The minimum replicas of the target's HPA, or 0 without one. */
  public int minReplicas(Canary canary) {
    AutoscalerReference ref = canary.getSpec().autoscalerRef();
    if (ref == null || !"HorizontalPodAutoscaler".equals(ref.kind())) {
      return 0;
    }
    HorizontalPodAutoscaler hpa =
        client
            .autoscaling()
            .v2()
            .horizontalPodAutoscalers()
            .inNamespace(canary.getMetadata().getNamespace())
            .withName(ref.name())
            .get();
    return hpa == null || hpa.getSpec().getMinReplicas() == null
        ? 0
        : hpa.getSpec().getMinReplicas();
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
