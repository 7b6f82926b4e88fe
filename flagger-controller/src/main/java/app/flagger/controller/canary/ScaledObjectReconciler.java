package app.flagger.controller.canary;

import static app.flagger.controller.canary.PrimaryScaledObjectBuilder.PAUSED_REPLICAS;
import static app.flagger.controller.canary.PrimaryScaledObjectBuilder.SCALED_OBJECTS;

import app.flagger.controller.kube.Conflicts;
import app.flagger.controller.kube.KubeErrors;
import app.flagger.model.canary.AutoscalerReference;
import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.logging.Logger;

/**
 * Copies the target's KEDA ScaledObject as {@code <name>-primary} aimed at {@code <target>-primary}
 * (Flagger's {@code ScaledObjectReconciler}): created at initialization, updated only during
 * promotion. While the target runs no pods its ScaledObject is paused with {@code
 * autoscaling.keda.sh/paused-replicas: "0"}, so KEDA does not scale it back up. ScaledObjects are
 * read through the API (KEDA's CRD need not be installed when no Canary uses one).
 */
public final class ScaledObjectReconciler implements ScalerReconciler {
  private static final Logger LOG = Logger.getLogger(ScaledObjectReconciler.class.getName());

  private final KubernetesClient client;
  private final Labels labels;

  public ScaledObjectReconciler(KubernetesClient client, Labels labels) {
    this.client = client;
    this.labels = labels;
  }

  @Override
  public void reconcilePrimaryScaler(Canary canary, boolean init) {
    String ns = canary.getMetadata().getNamespace();
    GenericKubernetesResource desired = PrimaryScaledObjectBuilder.build(canary, target(canary));
    String name = desired.getMetadata().getName();
    GenericKubernetesResource existing = scaledObjects(ns).withName(name).get();
    if (existing == null) {
      try {
        scaledObjects(ns).resource(desired).create();
      } catch (KubernetesClientException e) {
        throw new TargetException(
            "creating Keda ScaledObject " + name + "." + ns + " failed: " + KubeErrors.message(e),
            e);
      }
      LOG.info(() -> "Keda ScaledObject " + name + "." + ns + " created");
      return;
    }
    Map<String, Object> spec = PrimaryScaledObjectBuilder.spec(desired);
    if (init || Objects.equals(spec, PrimaryScaledObjectBuilder.spec(existing))) {
      return;
    }
    // As Flagger: the spec is replaced, the primary's own labels and annotations are kept only
    // when include-label-prefix selects them.
    update(
        ns,
        name,
        existing,
        so -> {
          so.setAdditionalProperty("spec", spec);
          so.getMetadata().setLabels(labels.filter(so.getMetadata().getLabels()));
          so.getMetadata().setAnnotations(labels.filter(so.getMetadata().getAnnotations()));
          return so;
        },
        "updating ScaledObject ");
    LOG.info(() -> "Keda ScaledObject " + name + "." + ns + " updated");
  }

  /** Sets {@code autoscaling.keda.sh/paused-replicas: "0"} on the target's ScaledObject. */
  @Override
  public void pauseTargetScaler(Canary canary) {
    GenericKubernetesResource target = target(canary);
    Map<String, String> annotations = target.getMetadata().getAnnotations();
    if (annotations != null && "0".equals(annotations.get(PAUSED_REPLICAS))) {
      return;
    }
    editTarget(
        canary,
        target,
        so -> {
          Map<String, String> a = new LinkedHashMap<>();
          if (so.getMetadata().getAnnotations() != null) {
            a.putAll(so.getMetadata().getAnnotations());
          }
          a.put(PAUSED_REPLICAS, "0");
          so.getMetadata().setAnnotations(a);
          return so;
        });
  }

  /** Removes {@code autoscaling.keda.sh/paused-replicas} from the target's ScaledObject. */
  @Override
  public void resumeTargetScaler(Canary canary) {
    GenericKubernetesResource target = target(canary);
    Map<String, String> annotations = target.getMetadata().getAnnotations();
    if (annotations == null || !annotations.containsKey(PAUSED_REPLICAS)) {
      return;
    }
    editTarget(
        canary,
        target,
        so -> {
          Map<String, String> a = new LinkedHashMap<>(so.getMetadata().getAnnotations());
          a.remove(PAUSED_REPLICAS);
          so.getMetadata().setAnnotations(a);
          return so;
        });
  }

  /** The target's {@code minReplicaCount}, or 0 without one. */
  @Override
  public int minReplicas(Canary canary) {
    try {
      return PrimaryScaledObjectBuilder.spec(target(canary)).get("minReplicaCount")
              instanceof Number n
          ? n.intValue()
          : 0;
    } catch (TargetException e) {
      return 0;
    }
  }

  private void editTarget(
      Canary canary,
      GenericKubernetesResource target,
      UnaryOperator<GenericKubernetesResource> edit) {
    update(
        canary.getMetadata().getNamespace(),
        canary.getSpec().autoscalerRef().name(),
        target,
        edit,
        "updating Keda ScaledObject ");
  }

  /** Updates {@code name}, starting from {@code read}, and from a fresh read after a conflict. */
  private void update(
      String ns,
      String name,
      GenericKubernetesResource read,
      UnaryOperator<GenericKubernetesResource> edit,
      String failure) {
    try {
      Conflicts.retry(
          read,
          () -> scaledObjects(ns).withName(name).get(),
          current -> {
            if (current == null) {
              throw new TargetException(notFound(name, ns));
            }
            return scaledObjects(ns).resource(edit.apply(current)).update();
          });
    } catch (KubernetesClientException e) {
      throw new TargetException(failure + name + "." + ns + " failed: " + KubeErrors.message(e), e);
    }
  }

  /** The ScaledObject {@code autoscalerRef} names, read through the API. */
  private GenericKubernetesResource target(Canary canary) {
    AutoscalerReference ref = canary.getSpec().autoscalerRef();
    String ns = canary.getMetadata().getNamespace();
    GenericKubernetesResource so;
    try {
      so = scaledObjects(ns).withName(ref.name()).get();
    } catch (KubernetesClientException e) {
      throw new TargetException(
          "Keda ScaledObject "
              + ref.name()
              + "."
              + ns
              + " get query error: "
              + KubeErrors.message(e),
          e);
    }
    if (so == null) {
      throw new TargetException(notFound(ref.name(), ns));
    }
    return so;
  }

  private static String notFound(String name, String ns) {
    return "Keda ScaledObject "
        + name
        + "."
        + ns
        + " get query error: scaledobjects.keda.sh \""
        + name
        + "\" not found";
  }

  private NonNamespaceOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      scaledObjects(String ns) {
    return client.genericKubernetesResources(SCALED_OBJECTS).inNamespace(ns);
  }
}
