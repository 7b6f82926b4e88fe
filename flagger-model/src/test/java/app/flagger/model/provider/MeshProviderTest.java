package app.flagger.model.provider;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MeshProviderTest {
  @Test
  void theImplementedValuesAreTheCrdValuesOfTheRoutedFamilies() {
    assertThat(MeshProvider.IMPLEMENTED_VALUES)
        .containsExactly(
            "gatewayapi:v1",
            "gatewayapi:v1beta1",
            "istio",
            "kubernetes",
            "kuma",
            "linkerd",
            "osm",
            "smi:v1alpha1",
            "smi:v1alpha2",
            "smi:v1alpha3");
    assertThat(MeshProvider.CRD_VALUES).containsAll(MeshProvider.IMPLEMENTED_VALUES);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "istio",
        "gatewayapi:v1",
        "smi:v1alpha3",
        "smi:v1alpha3:linkerd",
        "smi:v1alpha1:istio"
      })
  void routedProvidersAreImplemented(String provider) {
    assertThat(MeshProvider.isImplemented(provider)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "nginx",
        "appmesh",
        "appmesh:v1beta2",
        "gloo",
        "gatewayapi",
        "gatewayapi:v1alpha2",
        "smi",
        "smi:v1alpha4",
        "smi:v1alpha3:",
        "smi:v1alpha3:a:b",
        "istoi",
        ""
      })
  void otherProvidersAreNot(String provider) {
    assertThat(MeshProvider.isImplemented(provider)).isFalse();
  }

  @Test
  void theMessageTellsAKnownFamilyFromAnUnknownString() {
    assertThat(MeshProvider.notImplementedMessage("nginx"))
        .startsWith("provider 'nginx' is not implemented by this controller yet, expected one of ")
        .endsWith("smi:v1alpha3");
    assertThat(MeshProvider.notImplementedMessage("istoi"))
        .startsWith("unknown provider 'istoi', expected one of gatewayapi:v1, ");
  }
}
