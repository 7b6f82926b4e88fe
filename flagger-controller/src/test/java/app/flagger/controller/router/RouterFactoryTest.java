package app.flagger.controller.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.controller.support.FakeMeshRouter;
import app.flagger.model.provider.MeshProvider;
import app.flagger.model.provider.Provider;
import org.junit.jupiter.api.Test;

class RouterFactoryTest {
  @Test
  void kubernetesIsTheNopRouter() {
    assertThat(new RouterFactory().meshRouter(new Provider("kubernetes")))
        .isInstanceOf(NopRouter.class);
  }

  @Test
  void unknownProvidersFallBackToIstioAsInFlagger() {
    FakeMeshRouter istio = new FakeMeshRouter();
    RouterFactory f = new RouterFactory().register(MeshProvider.ISTIO, istio);
    assertThat(f.meshRouter(new Provider("istio"))).isSameAs(istio);
    assertThat(f.meshRouter(new Provider("something-else"))).isSameAs(istio);
    assertThat(f.meshRouter(new Provider("gatewayapi")))
        .as("gatewayapi without version")
        .isSameAs(istio);
  }

  @Test
  void aProviderWithoutRouterIsAClearError() {
    assertThatThrownBy(() -> new RouterFactory().meshRouter(new Provider("nginx")))
        .isInstanceOf(RouterException.class)
        .hasMessage("mesh provider nginx is not supported by this controller");
  }

  @Test
  void versionedProvidersPickTheirRouterByPrefixAsFlaggersFactory() {
    FakeMeshRouter istio = new FakeMeshRouter();
    FakeMeshRouter v1beta1 = new FakeMeshRouter();
    FakeMeshRouter v1 = new FakeMeshRouter();
    RouterFactory f =
        new RouterFactory()
            .register(MeshProvider.ISTIO, istio)
            .registerPrefix("gatewayapi:v1beta1", v1beta1)
            .registerPrefix("gatewayapi:v1", v1);
    assertThat(f.meshRouter(new Provider("gatewayapi:v1beta1"))).isSameAs(v1beta1);
    assertThat(f.meshRouter(new Provider("gatewayapi:v1"))).isSameAs(v1);
    assertThat(f.meshRouter(new Provider("gatewayapi"))).isSameAs(istio);
  }

  /** Flagger: prefix {@code appmesh:v1beta2} first, then exactly {@code appmesh}; else Istio. */
  @Test
  void appMeshPicksItsApiVersionAsFlaggersFactory() {
    FakeMeshRouter istio = new FakeMeshRouter();
    FakeMeshRouter v1beta1 = new FakeMeshRouter();
    FakeMeshRouter v1beta2 = new FakeMeshRouter();
    RouterFactory f =
        new RouterFactory()
            .register(MeshProvider.ISTIO, istio)
            .registerPrefix("appmesh:v1beta2", v1beta2)
            .register(MeshProvider.APPMESH, v1beta1);
    assertThat(f.meshRouter(new Provider("appmesh:v1beta2"))).isSameAs(v1beta2);
    assertThat(f.meshRouter(new Provider("appmesh"))).isSameAs(v1beta1);
    assertThat(f.meshRouter(new Provider("appmesh:v1beta1")))
        .as("no other App Mesh version")
        .isSameAs(istio);
  }
}
