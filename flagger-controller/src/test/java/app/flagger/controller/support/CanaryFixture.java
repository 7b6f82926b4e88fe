package app.flagger.controller.support;

import app.flagger.model.canary.AutoscalerReference;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryAnalysis;
import app.flagger.model.canary.CanaryService;
import app.flagger.model.canary.CanarySpec;
import app.flagger.model.canary.CanaryWebhook;
import app.flagger.model.common.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Seeds the podinfo workload Flagger's tests use (newDeploymentFixture): a Deployment reading a
 * ConfigMap through env and a volume and a Secret through envFrom, an HPA, and Canaries.
 */
public final class CanaryFixture {
  public static final String NS = "default";
  public static final String NAME = "podinfo";

  private final KubernetesClient client;
  private final String ns;

  /** podinfo in namespace {@link #NS}. */
  public CanaryFixture(KubernetesClient client) {
    this(client, NS);
  }

  /** podinfo in namespace {@code ns}, for a second Canary in the same controller. */
  public CanaryFixture(KubernetesClient client, String ns) {
    this.client = client;
    this.ns = ns;
  }

  /** Creates the Deployment, its configs and the HPA. */
  public CanaryFixture seed() {
    client
        .configMaps()
        .inNamespace(ns)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("podinfo-config-env")
                .withNamespace(ns)
                .endMetadata()
                .withData(Map.of("color", "red"))
                .build())
        .create();
    client
        .configMaps()
        .inNamespace(ns)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("podinfo-config-vol")
                .withNamespace(ns)
                .endMetadata()
                .withData(Map.of("output", "console"))
                .build())
        .create();
    client
        .secrets()
        .inNamespace(ns)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("podinfo-secret-env")
                .withNamespace(ns)
                .endMetadata()
                .withType("Opaque")
                .withData(
                    Map.of("password", Base64.getEncoder().encodeToString("s3cr3t".getBytes())))
                .build())
        .create();
    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .resource(deployment("ghcr.io/stefanprodan/podinfo:6.0.0", ns))
        .create();
    client
        .autoscaling()
        .v2()
        .horizontalPodAutoscalers()
        .inNamespace(ns)
        .resource(
            new HorizontalPodAutoscalerBuilder()
                .withNewMetadata()
                .withName(NAME)
                .withNamespace(ns)
                .endMetadata()
                .withNewSpec()
                .withNewScaleTargetRef()
                .withApiVersion("apps/v1")
                .withKind("Deployment")
                .withName(NAME)
                .endScaleTargetRef()
                .withMinReplicas(1)
                .withMaxReplicas(4)
                .endSpec()
                .build())
        .create();
    return this;
  }

  public static Deployment deployment(String image) {
    return deployment(image, NS);
  }

  /** The podinfo Deployment with {@code image} in namespace {@code ns}. */
  public static Deployment deployment(String image, String ns) {
    return new DeploymentBuilder()
        .withMetadata(
            new ObjectMetaBuilder()
                .withName(NAME)
                .withNamespace(ns)
                .withLabels(Map.of("app", NAME))
                .build())
        .withNewSpec()
        .withReplicas(1)
        .withNewSelector()
        .withMatchLabels(Map.of("app", NAME))
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(Map.of("app", NAME))
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("podinfod")
        .withImage(image)
        .addNewPort()
        .withName("http")
        .withContainerPort(9898)
        .endPort()
        .addNewPort()
        .withName("http-metrics")
        .withContainerPort(9797)
        .endPort()
        .addNewEnv()
        .withName("COLOR")
        .withNewValueFrom()
        .withNewConfigMapKeyRef("color", "podinfo-config-env", false)
        .endValueFrom()
        .endEnv()
        .addNewEnvFrom()
        .withNewSecretRef()
        .withName("podinfo-secret-env")
        .endSecretRef()
        .endEnvFrom()
        .addNewVolumeMount()
        .withName("config")
        .withMountPath("/etc/podinfo")
        .endVolumeMount()
        .endContainer()
        .addNewVolume()
        .withName("config")
        .withNewConfigMap()
        .withName("podinfo-config-vol")
        .endConfigMap()
        .endVolume()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  /** Creates a Canary on podinfo. */
  public Canary create(CanarySpec spec) {
    Canary c = new Canary();
    c.setMetadata(new ObjectMetaBuilder().withName(NAME).withNamespace(ns).build());
    c.setSpec(spec);
    return client.resources(Canary.class).inNamespace(ns).resource(c).create();
  }

  public Canary get() {
    return client.resources(Canary.class).inNamespace(ns).withName(NAME).get();
  }

  /** A spec on podinfo with {@code provider} and {@code analysis}. */
  public static CanarySpec spec(String provider, CanaryAnalysis analysis) {
    return new CanarySpec(
        provider,
        null,
        new LocalObjectReference("apps/v1", "Deployment", NAME),
        new AutoscalerReference("autoscaling/v2", "HorizontalPodAutoscaler", NAME, null, null),
        null,
        null,
        null,
        new CanaryService(
            null, 9898, null, null, null, null, true, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null),
        analysis,
        null,
        null,
        null,
        null,
        null);
  }

  /** The same spec with skipAnalysis, revertOnDeletion or suspend set. */
  public static CanarySpec with(
      CanarySpec s, Boolean skipAnalysis, Boolean revertOnDeletion, Boolean suspend) {
    return with(s, s.autoscalerRef(), skipAnalysis, revertOnDeletion, suspend);
  }

  /** The same spec with {@code analysis} replaced. */
  public static CanarySpec withAnalysis(CanarySpec s, CanaryAnalysis analysis) {
    return new CanarySpec(
        s.provider(),
        s.metricsServer(),
        s.targetRef(),
        s.autoscalerRef(),
        s.ingressRef(),
        s.routeRef(),
        s.upstreamRef(),
        s.service(),
        analysis,
        s.canaryAnalysis(),
        s.progressDeadlineSeconds(),
        s.skipAnalysis(),
        s.revertOnDeletion(),
        s.suspend());
  }

  /**
   * {@code a}'s interval, threshold, weights, webhooks and alerts with {@code metrics}, the judge's
   * thresholds and {@code analysis.baseline}.
   */
  public static CanaryAnalysis judged(
      CanaryAnalysis a,
      List<app.flagger.model.canary.CanaryMetric> metrics,
      app.flagger.model.canary.AnalysisJudge judge,
      boolean baseline) {
    return new CanaryAnalysis(
        a.interval(),
        a.threshold(),
        a.maxWeight(),
        a.stepWeight(),
        a.stepWeights(),
        a.stepWeightPromotion(),
        a.iterations(),
        null,
        null,
        null,
        null,
        null,
        metrics,
        a.webhooks(),
        a.alerts(),
        null,
        judge,
        baseline);
  }

  /** The same spec with {@code autoscalerRef} replaced. */
  public static CanarySpec withAutoscalerRef(CanarySpec s, AutoscalerReference autoscalerRef) {
    return with(s, autoscalerRef, s.skipAnalysis(), s.revertOnDeletion(), s.suspend());
  }

  private static CanarySpec with(
      CanarySpec s,
      AutoscalerReference autoscalerRef,
      Boolean skipAnalysis,
      Boolean revertOnDeletion,
      Boolean suspend) {
    return new CanarySpec(
        s.provider(),
        s.metricsServer(),
        s.targetRef(),
        autoscalerRef,
        s.ingressRef(),
        s.routeRef(),
        s.upstreamRef(),
        s.service(),
        s.analysis(),
        s.canaryAnalysis(),
        s.progressDeadlineSeconds(),
        skipAnalysis,
        revertOnDeletion,
        suspend);
  }

  /** An analysis with stepWeight/stepWeightPromotion or iterations, threshold and hooks. */
  public static CanaryAnalysis analysis(
      Integer stepWeight,
      Integer stepWeightPromotion,
      Integer iterations,
      int threshold,
      List<CanaryWebhook> hooks) {
    return new CanaryAnalysis(
        "10s",
        threshold,
        null,
        stepWeight,
        null,
        stepWeightPromotion,
        iterations,
        null,
        null,
        null,
        null,
        null,
        List.of(),
        hooks,
        null,
        null);
  }

  public static CanaryWebhook hook(String name, String type, String url) {
    return new CanaryWebhook(name, type, url, null, "5s", null, null, null);
  }

  /** Changes the pod template (a new image). */
  public void rolloutNewRevision(String image) {
    editPodSpec(pod -> pod.getContainers().get(0).setImage(image));
  }

  /** Stops mounting the volume ConfigMap {@code podinfo-config-vol} (a new revision). */
  public void dropConfigVolume() {
    editPodSpec(
        pod -> {
          pod.setVolumes(List.of());
          pod.getContainers().get(0).setVolumeMounts(List.of());
        });
  }

  private void editPodSpec(Consumer<PodSpec> change) {
    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .withName(NAME)
        .edit(
            d -> {
              change.accept(d.getSpec().getTemplate().getSpec());
              return d;
            });
  }

  /** Changes the env ConfigMap. */
  public void updateConfig(String color) {
    client
        .configMaps()
        .inNamespace(ns)
        .withName("podinfo-config-env")
        .edit(
            cm -> {
              cm.setData(Map.of("color", color));
              return cm;
            });
  }

  public Deployment target() {
    return client.apps().deployments().inNamespace(ns).withName(NAME).get();
  }

  public Deployment primary() {
    return client.apps().deployments().inNamespace(ns).withName(NAME + "-primary").get();
  }
}
