package app.flagger.controller.router.istio;

import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/** Canaries for the Istio tests, written as users write them. */
final class IstioFixtures {
  private IstioFixtures() {}

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  static Canary canary(String serviceYaml, String analysisYaml) {
    String yaml =
        """
        apiVersion: flagger.app/v1beta1
        kind: Canary
        metadata:
          name: podinfo
          namespace: test
          uid: 6f1c1d2e-0000-4000-8000-000000000001
        spec:
          targetRef:
            apiVersion: apps/v1
            kind: Deployment
            name: podinfo
          service:
            port: 9898
        %s
          analysis:
            interval: 1m
            threshold: 5
        %s
        """
            .formatted(indent(serviceYaml, 4), indent(analysisYaml, 4));
    return SERIALIZATION.unmarshal(yaml, Canary.class);
  }

  private static String indent(String text, int spaces) {
    return text.strip().isEmpty() ? "" : text.stripIndent().indent(spaces).stripTrailing();
  }

  static final String FULL_SERVICE =
      """
      hosts: [app.example.com]
      gateways: [public-gateway]
      trafficPolicy:
        tls:
          mode: ISTIO_MUTUAL
      match:
        - uri:
            prefix: /api
      rewrite:
        uri: /
      timeout: 30s
      retries:
        attempts: 3
        perTryTimeout: 1s
        retryOn: "gateway-error,connect-failure"
      headers:
        request:
          add:
            x-envoy-upstream-rq-timeout-ms: "15000"
      corsPolicy:
        allowOrigins:
          - exact: https://example.com
        allowMethods: [GET]
      apex:
        labels:
          team: web
        annotations:
          owner: web-team
      """;
}
