package app.flagger.controller.router.nginx;

import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPathBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * Flagger's {@code newTestCanaryIngress} and {@code newTestIngress} (pkg/router/router_test.go):
 * Canary {@code nginx} on Deployment {@code podinfo} with {@code ingressRef: podinfo}, and the
 * Ingress {@code podinfo} sending {@code app.example.com/} to {@code podinfo:9898}.
 */
public final class NginxFixtures {
  private NginxFixtures() {}

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  public static final String FLUX_CHECKSUM = "0a40893bfdc545d62125bd3e74eeb2ebaa7097c2";

  /** The Canary with {@code analysisExtra} (YAML lines under {@code analysis}, may be blank). */
  public static Canary canary(String analysisExtra) {
    return canary(
        """
        ingressRef:
          apiVersion: networking.k8s.io/v1
          kind: Ingress
          name: podinfo
        """,
        analysisExtra);
  }

  /** The Canary without {@code spec.ingressRef}. */
  public static Canary withoutIngressRef() {
    return canary("", "");
  }

  private static Canary canary(String ingressRef, String analysisExtra) {
    String yaml =
        """
        apiVersion: flagger.app/v1beta1
        kind: Canary
        metadata:
          name: nginx
          namespace: default
          uid: 6f1c1d2e-0000-4000-8000-000000000009
          annotations:
            kustomize.toolkit.fluxcd.io/checksum: %s
        spec:
          provider: nginx
          targetRef:
            apiVersion: apps/v1
            kind: Deployment
            name: podinfo
        %s
          service:
            port: 9898
          analysis:
            threshold: 10
            stepWeight: 10
            maxWeight: 50
            metrics:
              - name: request-success-rate
                threshold: 99
                interval: 1m
        %s
        """
            .formatted(
                FLUX_CHECKSUM,
                ingressRef.stripIndent().indent(2).stripTrailing(),
                analysisExtra.stripIndent().indent(4).stripTrailing());
    return SERIALIZATION.unmarshal(yaml, Canary.class);
  }

  public static Canary canary() {
    return canary("");
  }

  /** The Canary with one A/B header condition {@code name: {<kind>: <value>}}. */
  public static Canary abCanary(String header, String kind, String value) {
    return canary(
        """
        iterations: 1
        match:
          - headers:
              %s:
                %s: "%s"
        """
            .formatted(header, kind, value));
  }

  /** Flagger's test Ingress {@code podinfo} in {@code default}. */
  public static Ingress ingress() {
    return new IngressBuilder()
        .withNewMetadata()
        .withName("podinfo")
        .withNamespace("default")
        .addToAnnotations("kubernetes.io/ingress.class", "nginx")
        .addToAnnotations("kustomize.toolkit.fluxcd.io/checksum", FLUX_CHECKSUM)
        .endMetadata()
        .withNewSpec()
        .addNewRule()
        .withHost("app.example.com")
        .withNewHttp()
        .addToPaths(path("/", "Prefix", "podinfo", 9898))
        .endHttp()
        .endRule()
        .endSpec()
        .build();
  }

  /** A path {@code path} ({@code pathType}) to {@code service:port}. */
  public static HTTPIngressPath path(String path, String pathType, String service, int port) {
    return new HTTPIngressPathBuilder()
        .withPath(path)
        .withPathType(pathType)
        .withNewBackend()
        .withNewService()
        .withName(service)
        .withNewPort()
        .withNumber(port)
        .endPort()
        .endService()
        .endBackend()
        .build();
  }
}
