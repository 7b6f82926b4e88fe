package app.flagger.controller.metrics.observers;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanarySpec;
import app.flagger.model.common.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.Test;

class ObserverFactoryTest {
  private static Canary canary(String provider, String kind, String apiVersion) {
    Canary c = new Canary();
    c.setMetadata(new ObjectMetaBuilder().withName("podinfo").withNamespace("test").build());
    c.setSpec(
        new CanarySpec(
            provider,
            null,
            new LocalObjectReference(apiVersion, kind, "podinfo"),
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null));
    return c;
  }

  @Test
  void theMeshProviderIsTheDefaultKey() {
    assertThat(ObserverFactory.metricsProviderKey("nginx", canary(null, "Deployment", "apps/v1")))
        .isEqualTo("nginx");
    assertThat(
            ObserverFactory.metricsProviderKey(
                "smi:crossover", canary(null, "Deployment", "apps/v1")))
        .isEqualTo("crossover");
  }

  @Test
  void theCanaryProviderWinsUnlessTheMeshIsLinkerd() {
    assertThat(
            ObserverFactory.metricsProviderKey("istio", canary("contour", "Deployment", "apps/v1")))
        .isEqualTo("contour");
    assertThat(
            ObserverFactory.metricsProviderKey(
                "linkerd", canary("contour", "Deployment", "apps/v1")))
        .isEqualTo("linkerd");
  }

  @Test
  void serviceTargetsGetTheServiceSuffixButKnativeDoesNot() {
    assertThat(ObserverFactory.metricsProviderKey("istio", canary(null, "Service", "v1")))
        .isEqualTo("istio:service");
    assertThat(
            ObserverFactory.metricsProviderKey(
                "knative", canary(null, "Service", "serving.knative.dev/v1")))
        .isEqualTo("knative");
    assertThat(ObserverFactory.observer("gatewayapi:v1:service")).isSameAs(BuiltinObservers.HTTP);
  }
}
