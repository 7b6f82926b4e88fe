package app.flagger.controller.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.model.canary.Canary;
import app.flagger.model.validation.ValidationError;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

/**
 * {@code analysis.baseline} needs a router that splits three ways: the gate refuses it for any
 * provider but istio and gatewayapi, the Canary's own or the controller's default.
 */
class ValidationGateBaselineTest {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private static Canary canary(String provider, boolean baseline) {
    return JSON.unmarshal(
        """
        apiVersion: flagger.app/v1beta1
        kind: Canary
        metadata: {name: podinfo, namespace: test}
        spec:
          %s
          targetRef: {apiVersion: apps/v1, kind: Deployment, name: podinfo}
          service: {port: 9898}
          analysis:
            interval: 1m
            threshold: 5
            stepWeight: 10
            maxWeight: 50
            baseline: %s
            metrics:
              - {name: request-duration, comparison: {direction: increase}}
        """
            .formatted(provider == null ? "" : "provider: " + provider, baseline),
        Canary.class);
  }

  private static ValidationGate gate(String defaultProvider) {
    return new ValidationGate(null, null, false, defaultProvider);
  }

  @Test
  void refusesTheBaselineOnAProviderWithoutAThreeWaySplit() {
    assertThat(gate("istio").problems(canary("linkerd", true)))
        .containsExactly(
            new ValidationError(
                "spec.analysis.baseline",
                "supported with the istio and gatewayapi providers, not linkerd"));
  }

  @Test
  void refusesTheBaselineOnTheControllersDefaultProvider() {
    assertThat(gate("kubernetes").problems(canary(null, true)))
        .extracting(ValidationError::toString)
        .containsExactly(
            "spec.analysis.baseline: supported with the istio and gatewayapi providers, not"
                + " kubernetes");
  }

  @Test
  void acceptsTheBaselineOnIstioAndGatewayApi() {
    assertThat(gate("istio").problems(canary(null, true))).isEmpty();
    assertThat(gate("nginx").problems(canary("gatewayapi:v1", true))).isEmpty();
    assertThat(gate("nginx").problems(canary("istio", true))).isEmpty();
  }

  @Test
  void withoutBaselineAnyProviderIsFine() {
    assertThat(gate("kubernetes").problems(canary("linkerd", false))).isEmpty();
  }
}
