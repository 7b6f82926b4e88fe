package app.flagger.controller.canary;

import app.flagger.controller.kube.Owners;
import app.flagger.model.FlaggerGroup;
import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a target Deployment into the desired {@code <target>-primary} (pure; no client): labels and
 * selector rewritten to {@code <value>-primary}, tracked configs re-pointed to their {@code
 * -primary} copies, a fresh {@code flagger-id} on the pod template.
 */
public final class PrimaryDeploymentBuilder {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private final Labels labels;

  public PrimaryDeploymentBuilder(Labels labels) {
    this.labels = labels;
  }

  /** The primary for a new Deployment (all annotations but toolkit ones, as Flagger's create). */
  public Deployment build(
      Canary canary,
      Deployment target,
      TargetMetadata meta,
      Map<String, Set<String>> configs,
      String flaggerId) {
    String name = target.getMetadata().getName() + FlaggerGroup.PRIMARY_SUFFIX;
    Map<String, String> objectLabels = labels.filter(target.getMetadata().getLabels());
    objectLabels.put(meta.label(), meta.primaryLabelValue());
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(target.getMetadata().getNamespace())
        .withLabels(objectLabels)
        .withAnnotations(Labels.withoutToolkit(target.getMetadata().getAnnotations()))
        .withOwnerReferences(Owners.of(canary))
        .endMetadata()
        .withNewSpec()
        .withProgressDeadlineSeconds(target.getSpec().getProgressDeadlineSeconds())
        .withMinReadySeconds(target.getSpec().getMinReadySeconds())
        .withRevisionHistoryLimit(target.getSpec().getRevisionHistoryLimit())
        .withStrategy(target.getSpec().getStrategy())
        .withReplicas(replicas(target))
        .withNewSelector()
        .withMatchLabels(Map.of(meta.label(), meta.primaryLabelValue()))
        .endSelector()
        .withTemplate(template(target, meta, configs, flaggerId))
        .endSpec()
        .build();
  }

  /** Applies a promotion to an existing primary: template, strategy and filtered metadata. */
  public Deployment promote(
      Deployment primary,
      Deployment target,
      TargetMetadata meta,
      Map<String, Set<String>> configs,
      String flaggerId,
      boolean hasAutoscaler) {
    Deployment out = JSON.clone(primary);
    out.getSpec().setProgressDeadlineSeconds(target.getSpec().getProgressDeadlineSeconds());
    out.getSpec().setMinReadySeconds(target.getSpec().getMinReadySeconds());
    out.getSpec().setRevisionHistoryLimit(target.getSpec().getRevisionHistoryLimit());
    out.getSpec().setStrategy(target.getSpec().getStrategy());
    if (!hasAutoscaler) {
      out.getSpec().setReplicas(replicas(target));
    }
    out.getSpec().setTemplate(template(target, meta, configs, flaggerId));
    Map<String, String> objectLabels = labels.filter(target.getMetadata().getLabels());
    objectLabels.put(meta.label(), meta.primaryLabelValue());
    out.getMetadata().setLabels(objectLabels);
    out.getMetadata().setAnnotations(labels.filter(target.getMetadata().getAnnotations()));
    return out;
  }

  private static int replicas(Deployment target) {
    Integer r = target.getSpec().getReplicas();
    return r != null && r > 0 ? r : 1;
  }

  private static PodTemplateSpec template(
      Deployment target, TargetMetadata meta, Map<String, Set<String>> configs, String flaggerId) {
    return primaryTemplate(
        target.getSpec().getTemplate(), target.getMetadata().getName(), meta, configs, flaggerId);
  }

  /**
   * The primary's pod template: labels re-pointed at {@code <value>-primary}, a fresh {@code
   * flagger-id}, tracked configs renamed, spread and anti-affinity selectors rewritten.
   */
  public static PodTemplateSpec primaryTemplate(
      PodTemplateSpec source,
      String targetName,
      TargetMetadata meta,
      Map<String, Set<String>> configs,
      String flaggerId) {
    PodTemplateSpec t = JSON.clone(source);
    Map<String, String> podLabels =
        new LinkedHashMap<>(Labels.withoutToolkit(t.getMetadata().getLabels()));
    podLabels.put(meta.label(), meta.primaryLabelValue());
    t.getMetadata().setLabels(podLabels);
    Map<String, String> podAnnotations =
        new LinkedHashMap<>(Labels.withoutToolkit(t.getMetadata().getAnnotations()));
    podAnnotations.put(FlaggerGroup.FLAGGER_ID_ANNOTATION, flaggerId);
    t.getMetadata().setAnnotations(podAnnotations);
    PodSpec spec = t.getSpec();
    ConfigRefs.rename(
        spec, ConfigTracker.names(configs, "configmap"), ConfigTracker.names(configs, "secret"));
    rewriteSelectors(spec, targetName, meta.label());
    return t;
  }

  /** Points topology spread and anti-affinity selectors at the primary pods. */
  static void rewriteSelectors(PodSpec spec, String targetName, String label) {
    List<LabelSelector> selectors = new ArrayList<>();
    if (spec.getTopologySpreadConstraints() != null) {
      for (TopologySpreadConstraint c : spec.getTopologySpreadConstraints()) {
        selectors.add(c.getLabelSelector());
      }
    }
    if (spec.getAffinity() != null && spec.getAffinity().getPodAntiAffinity() != null) {
      var anti = spec.getAffinity().getPodAntiAffinity();
      if (anti.getRequiredDuringSchedulingIgnoredDuringExecution() != null) {
        for (PodAffinityTerm t : anti.getRequiredDuringSchedulingIgnoredDuringExecution()) {
          selectors.add(t.getLabelSelector());
        }
      }
      if (anti.getPreferredDuringSchedulingIgnoredDuringExecution() != null) {
        for (WeightedPodAffinityTerm t :
            anti.getPreferredDuringSchedulingIgnoredDuringExecution()) {
          selectors.add(t.getPodAffinityTerm().getLabelSelector());
        }
      }
    }
    String primary = targetName + FlaggerGroup.PRIMARY_SUFFIX;
    for (LabelSelector s : selectors) {
      if (s == null) {
        continue;
      }
      if (s.getMatchLabels() != null && targetName.equals(s.getMatchLabels().get(label))) {
        s.getMatchLabels().put(label, primary);
      }
      if (s.getMatchExpressions() != null) {
        for (LabelSelectorRequirement r : s.getMatchExpressions()) {
          if (label.equals(r.getKey()) && r.getValues() != null) {
            r.setValues(
                r.getValues().stream().map(v -> v.equals(targetName) ? primary : v).toList());
          }
        }
      }
    }
  }
}
