package app.flagger.controller.router.skipper;

import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * Canaries and Ingresses for the Skipper tests, written as users write them: Flagger's {@code
 * newTestCanaryIngress} and {@code newTestIngress}.
 */
public final class SkipperFixtures {
  private SkipperFixtures() {}

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  /** Flagger's newTestCanaryIngress analysis: step 10 up to 50. */
  static final String PROGRESSIVE = "stepWeight: 10\nmaxWeight: 50";

  /**
   * A canary {@code podinfo.default} on {@code skipper} with {@code ingressRef} {@code podinfo},
   * service {@code serviceYaml} and analysis threshold 10 plus {@code analysisYaml}.
   */
  static Canary canary(String serviceYaml, String analysisYaml) {
    return SERIALIZATION.unmarshal(yaml(serviceYaml, analysisYaml), Canary.class);
  }

  /** {@link #canary()} without {@code ingressRef}. */
  static Canary withoutIngressRef() {
    String yaml = yaml("port: 9898", PROGRESSIVE);
    return SERIALIZATION.unmarshal(
        yaml.replaceAll("(?s)  ingressRef:.*?name: podinfo\n", ""), Canary.class);
  }

  private static String yaml(String serviceYaml, String analysisYaml) {
    return """
        apiVersion: flagger.app/v1beta1
        kind: Canary
        metadata:
          name: podinfo
          namespace: default
          uid: 6f1c1d2e-0000-4000-8000-000000000014
        spec:
          provider: skipper
          targetRef:
            apiVersion: apps/v1
            kind: Deployment
            name: podinfo
          ingressRef:
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            name: podinfo
          service:
        %s
          analysis:
            threshold: 10
        %s
        """
        .formatted(block(serviceYaml), block(analysisYaml));
  }

  /** Flagger's newTestCanaryIngress: port 9898, step 10 up to 50. */
  static Canary canary() {
    return canary("port: 9898", PROGRESSIVE);
  }

  /**
   * Flagger's newTestIngress: {@code podinfo.default}, host app.example.com, path {@code /} to
   * {@code podinfo:9898}, with an ingress class and a Flux checksum annotation.
   */
  public static Ingress apexIngress() {
    return apexIngress("podinfo", "podinfo");
  }

  /** {@link #apexIngress()} named {@code name}, its path going to the Service {@code service}. */
  public static Ingress apexIngress(String name, String service) {
    return ingress(
        """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: %s
          namespace: default
          annotations:
            kubernetes.io/ingress.class: nginx
            kustomize.toolkit.fluxcd.io/checksum: 0a40893bfdc545d62125bd3e74eeb2ebaa7097c2
        spec:
          rules:
            - host: app.example.com
              http:
                paths:
                  - path: /
                    pathType: Prefix
                    backend:
                      service:
                        name: %s
                        port:
                          number: 9898
        """
            .formatted(name, service));
  }

  /** Flagger's newTestABTest analysis: 5 iterations on {@code x-user-type: test}. */
  static Canary abTest() {
    return canary(
        "port: 9898",
        """
        iterations: 5
        match:
          - headers:
              x-user-type:
                exact: test
        """);
  }

  /** An Ingress from YAML. */
  static Ingress ingress(String yaml) {
    return SERIALIZATION.unmarshal(yaml, Ingress.class);
  }

  private static String block(String text) {
    return text.strip().isEmpty() ? "" : text.stripIndent().indent(4).stripTrailing();
  }
}
