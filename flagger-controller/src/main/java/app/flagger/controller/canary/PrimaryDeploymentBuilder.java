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
    return copy(
        canary,
        target,
        target.getMetadata().getName() + FlaggerGroup.PRIMARY_SUFFIX,
        meta.label(),
        meta.primaryLabelValue(),
        replicas(target),
        template(target, meta, configs, flaggerId));
  }

  /**
   * {@code from} as the Deployment {@code name}: filtered labels with {@code label: value} (also
   * its selector), annotations but toolkit ones, the rollout settings, owned by the Canary.
   */
  private Deployment copy(
      Canary canary,
      Deployment from,
      String name,
      String label,
      String value,
      int replicas,
      PodTemplateSpec template) {
    Map<String, String> objectLabels = labels.filter(from.getMetadata().getLabels());
    objectLabels.put(label, value);
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(from.getMetadata().getNamespace())
        .withLabels(objectLabels)
        .withAnnotations(Labels.withoutToolkit(from.getMetadata().getAnnotations()))
        .withOwnerReferences(Owners.of(canary))
        .endMetadata()
        .withNewSpec()
        .withProgressDeadlineSeconds(from.getSpec().getProgressDeadlineSeconds())
        .withMinReadySeconds(from.getSpec().getMinReadySeconds())
        .withRevisionHistoryLimit(from.getSpec().getRevisionHistoryLimit())
        .withStrategy(from.getSpec().getStrategy())
        .withReplicas(replicas)
        .withNewSelector()
        .withMatchLabels(Map.of(label, value))
        .endSelector()
        .withTemplate(template)
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
    rewriteSelectors(spec, targetName, targetName + FlaggerGroup.PRIMARY_SUFFIX, meta.label());
    return t;
  }

  /**
   * The same-age baseline {@code <target>-baseline} ({@code analysis.baseline}): the primary's spec
   * (the version in production) with the canary's replica count, its labels, selector and pod
   * labels re-pointed from {@code <value>-primary} to {@code <value>-baseline} as the primary's are
   * from the target's, owned by the Canary. Configs stay the primary's copies.
   *
   * @param replicas the canary's replica count (at least 1)
   */
  public Deployment baseline(
      Canary canary, Deployment primary, String targetName, TargetMetadata meta, int replicas) {
    PodTemplateSpec t = JSON.clone(primary.getSpec().getTemplate());
    Map<String, String> podLabels =
        new LinkedHashMap<>(Labels.withoutToolkit(t.getMetadata().getLabels()));
    podLabels.put(meta.label(), meta.baselineLabelValue());
    t.getMetadata().setLabels(podLabels);
    rewriteSelectors(
        t.getSpec(),
        targetName + FlaggerGroup.PRIMARY_SUFFIX,
        targetName + FlaggerGroup.BASELINE_SUFFIX,
        meta.label());
    return copy(
        canary,
        primary,
        targetName + FlaggerGroup.BASELINE_SUFFIX,
        meta.label(),
        meta.baselineLabelValue(),
        Math.max(1, replicas),
        t);
  }

  /** Points topology spread and anti-affinity selectors at the pods labelled {@code to}. */
  static void rewriteSelectors(PodSpec spec, String from, String to, String label) {
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
    for (LabelSelector s : selectors) {
      if (s == null) {
        continue;
      }
      if (s.getMatchLabels() != null && from.equals(s.getMatchLabels().get(label))) {
        s.getMatchLabels().put(label, to);
      }
      if (s.getMatchExpressions() != null) {
        for (LabelSelectorRequirement r : s.getMatchExpressions()) {
          if (label.equals(r.getKey()) && r.getValues() != null) {
            r.setValues(r.getValues().stream().map(v -> v.equals(from) ? to : v).toList());
          }
        }
      }
    }
  }
}
