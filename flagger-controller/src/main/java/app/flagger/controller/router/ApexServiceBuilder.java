package app.flagger.controller.router;

import app.flagger.controller.canary.TargetMetadata;
import app.flagger.controller.kube.Owners;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryService;
import app.flagger.model.canary.CustomMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The desired ClusterIP Service for {@code <apex>}, {@code <apex>-primary} or {@code <apex>-canary}
 * (pure; Flagger's {@code KubernetesDefaultRouter.reconcileService}): selector on the pods, the
 * service port first, then the discovered ports, custom metadata plus the Flux opt-out annotations.
 */
public final class ApexServiceBuilder {
  /** Annotations that stop Flux from reverting objects Flagger manages. */
  public static final Map<String, String> TOOLKIT_ANNOTATIONS =
      Map.of(
          "kustomize.toolkit.fluxcd.io/reconcile", "disabled",
          "helm.toolkit.fluxcd.io/driftDetection", "disabled");

  private ApexServiceBuilder() {}

  public static Service build(
      Canary canary, String name, String podValue, TargetMetadata meta, CustomMetadata custom) {
    CanaryService svc = canary.getSpec().service();
    Map<String, String> labels = new LinkedHashMap<>();
    Map<String, String> annotations = new LinkedHashMap<>();
    if (custom != null) {
      if (custom.labels() != null) {
        labels.putAll(custom.labels());
      }
      if (custom.annotations() != null) {
        annotations.putAll(custom.annotations());
      }
    }
    labels.put(meta.label(), name);
    annotations.putAll(TOOLKIT_ANNOTATIONS);
    var spec =
        new io.fabric8.kubernetes.api.model.ServiceBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(canary.getMetadata().getNamespace())
            .withLabels(labels)
            .withAnnotations(annotations)
            .withOwnerReferences(Owners.of(canary))
            .endMetadata()
            .withNewSpec()
            .withType("ClusterIP")
            .withSelector(Map.of(meta.label(), podValue))
            .withPorts(ports(svc, meta))
            .withTrafficDistribution(svc.trafficDistribution());
    if (Boolean.TRUE.equals(svc.headless())) {
      spec.withClusterIP("None");
    }
    return spec.endSpec().build();
  }

  static List<ServicePort> ports(CanaryService svc, TargetMetadata meta) {
    List<ServicePort> ports = new ArrayList<>();
    IntOrString target = svc.targetPortOrDefault();
    ports.add(
        new ServicePortBuilder()
            .withName(svc.portNameOrDefault())
            .withProtocol("TCP")
            .withPort(svc.port())
            .withTargetPort(target)
            .withAppProtocol(svc.appProtocol())
            .build());
    meta.ports().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e ->
                ports.add(
                    new ServicePortBuilder()
                        .withName(e.getKey())
                        .withProtocol("TCP")
                        .withPort(e.getValue())
                        .withTargetPort(new IntOrString(e.getValue()))
                        .build()));
    return ports;
  }
}
