package app.flagger.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.model.canary.Canary;
import app.flagger.model.support.RepoRoot;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code make demo PROVIDER=...}: the providers the story runs on, and a clear refusal. */
class SandboxProviderTest {
  private static final Path ROOT = RepoRoot.find();

  @Test
  void istioUnlessAProviderIsGiven() {
    assertThat(SandboxMain.provider(new String[] {"--stay"})).isEqualTo(SandboxProvider.ISTIO);
    assertThat(SandboxMain.provider(new String[] {"--provider=gatewayapi:v1"}))
        .isEqualTo(SandboxProvider.GATEWAYAPI_V1);
    assertThat(SandboxMain.provider(new String[] {"--provider=Linkerd"}))
        .isEqualTo(SandboxProvider.LINKERD);
  }

  @Test
  void anUnknownProviderIsNamedWithTheAcceptedOnes() {
    assertThatThrownBy(() -> SandboxMain.provider(new String[] {"--provider=kuma"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "provider 'kuma' is not one the sandbox runs; accepted: istio, gatewayapi:v1,"
                + " gatewayapi:v1beta1, linkerd");
    assertThatThrownBy(() -> SandboxMain.provider(new String[] {"--provider="}))
        .hasMessage(
            "--provider (PROVIDER) is empty; accepted: istio, gatewayapi:v1, gatewayapi:v1beta1,"
                + " linkerd");
  }

  @Test
  void everyProviderInstallsAnExampleCanaryOnThatProvider() throws Exception {
    KubernetesSerialization yaml = new KubernetesSerialization();
    for (SandboxProvider p : SandboxProvider.values()) {
      String text = Files.readString(ROOT.resolve("k8s/examples").resolve(p.example()));
      Canary canary = yaml.unmarshal(p.canary(text), Canary.class);
      assertThat(canary.getSpec().provider()).as(p.name()).isEqualTo(p.value());
    }
    assertThat(SandboxProvider.GATEWAYAPI_V1.usersUrl("test")).isEqualTo("http://app.example.com/");
    assertThat(SandboxProvider.LINKERD.usersUrl("linkerd"))
        .isEqualTo("http://podinfo.linkerd:9898/");
  }
}
