package app.flagger.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.model.canary.Canary;
import app.flagger.model.support.RepoRoot;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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
                + " gatewayapi:v1beta1, linkerd, nginx");
    assertThatThrownBy(() -> SandboxMain.provider(new String[] {"--provider="}))
        .hasMessage(
            "--provider (PROVIDER) is empty; accepted: istio, gatewayapi:v1, gatewayapi:v1beta1,"
                + " linkerd, nginx");
  }

  @Test
  void everyProviderInstallsAnExampleCanaryOnThatProvider() throws Exception {
    KubernetesSerialization yaml = new KubernetesSerialization();
    for (SandboxProvider p : SandboxProvider.values()) {
      String text = Files.readString(ROOT.resolve("k8s/examples").resolve(p.example()));
      // the nginx example holds its Ingress first
      String canaryDoc =
          Arrays.stream(p.canary(text, "test").split("(?m)^---\\s*$"))
              .filter(d -> d.contains("kind: Canary"))
              .findFirst()
              .orElseThrow();
      Canary canary = yaml.unmarshal(canaryDoc, Canary.class);
      assertThat(canary.getSpec().provider()).as(p.name()).isEqualTo(p.value());
    }
    assertThat(SandboxProvider.GATEWAYAPI_V1.usersUrl("test")).isEqualTo("http://app.example.com/");
    assertThat(SandboxProvider.LINKERD.usersUrl("linkerd"))
        .isEqualTo("http://podinfo.linkerd:9898/");
    // the NGINX example's host: app.example.com in test, <namespace>.example.com elsewhere
    assertThat(SandboxProvider.NGINX.usersUrl("test")).isEqualTo("http://app.example.com/");
    assertThat(SandboxProvider.NGINX.usersUrl("nginx")).isEqualTo("http://nginx.example.com/");
    String nginx =
        SandboxProvider.NGINX.canary(
            Files.readString(ROOT.resolve("k8s/examples/canary-nginx.yaml")), "nginx");
    assertThat(nginx)
        .contains("- host: nginx.example.com")
        .contains("-host nginx.example.com http://ingress-nginx-controller.ingress-nginx/")
        .doesNotContain("app.example.com");
    assertThat(SandboxProvider.GATEWAYAPI_V1.canary("  provider: istio\napp.example.com", "x"))
        .isEqualTo("  provider: gatewayapi:v1\napp.example.com");
  }
}
