package app.flagger.controller;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.router.MeshRouter;
import app.flagger.controller.router.NopRouter;
import app.flagger.controller.router.RouterFactory;
import app.flagger.controller.router.apisix.ApisixRouter;
import app.flagger.controller.router.appmesh.AppMeshRouter;
import app.flagger.controller.router.appmesh.AppMeshV1beta2Router;
import app.flagger.controller.router.contour.ContourRouter;
import app.flagger.controller.router.gatewayapi.GatewayApiRouter;
import app.flagger.controller.router.gloo.GlooRouter;
import app.flagger.controller.router.istio.IstioRouter;
import app.flagger.controller.router.knative.KnativeRouter;
import app.flagger.controller.router.kuma.KumaRouter;
import app.flagger.controller.router.nginx.NginxRouter;
import app.flagger.controller.router.skipper.SkipperRouter;
import app.flagger.controller.router.smi.SmiRouter;
import app.flagger.controller.router.traefik.TraefikRouter;
import app.flagger.controller.support.CanaryFixture;
import app.flagger.model.canary.Canary;
import app.flagger.model.provider.MeshProvider;
import app.flagger.model.provider.Provider;
import app.flagger.model.validation.CanaryValidator;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The model's list of implemented providers and the routers the controller really builds agree:
 * what the validator lets through has a router of its own family, what it rejects has none.
 */
class ProvidersAgreeTest {
  // routers are built without talking to the API server: nothing is ever sent to this address
  private static final KubernetesClient CLIENT =
      new KubernetesClientBuilder()
          .withConfig(new ConfigBuilder().withMasterUrl("http://127.0.0.1:1").build())
          .build();
  private static final RouterFactory ROUTERS = StandardComponents.routers(CLIENT);

  @AfterAll
  static void close() {
    CLIENT.close();
  }

  static Stream<String> implemented() {
    return Stream.concat(
        MeshProvider.IMPLEMENTED_VALUES.stream(),
        Stream.of("smi:v1alpha1:linkerd", "smi:v1alpha2:osm", "smi:v1alpha3:istio"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("implemented")
  void everyImplementedProviderHasARouterOfItsOwnFamily(String provider) {
    MeshRouter router = ROUTERS.meshRouter(new Provider(provider));
    String version = provider.contains(":") ? provider.split(":")[1] : "";
    switch (MeshProvider.parse(provider).orElseThrow()) {
      case ISTIO -> assertThat(router).isInstanceOf(IstioRouter.class);
      case KUBERNETES -> assertThat(router).isInstanceOf(NopRouter.class);
      case KUMA -> assertThat(router).isInstanceOf(KumaRouter.class);
      case CONTOUR -> assertThat(router).isInstanceOf(ContourRouter.class);
      case NGINX -> assertThat(router).isInstanceOf(NginxRouter.class);
      case SKIPPER -> assertThat(router).isInstanceOf(SkipperRouter.class);
      case TRAEFIK -> assertThat(router).isInstanceOf(TraefikRouter.class);
      case GLOO -> assertThat(router).isInstanceOf(GlooRouter.class);
      case APISIX -> assertThat(router).isInstanceOf(ApisixRouter.class);
      case KNATIVE -> assertThat(router).isInstanceOf(KnativeRouter.class);
      case APPMESH ->
          assertThat(router)
              .isInstanceOf(version.isEmpty() ? AppMeshRouter.class : AppMeshV1beta2Router.class);
      case GATEWAYAPI ->
          assertThat(router)
              .isInstanceOfSatisfying(
                  GatewayApiRouter.class, r -> assertThat(r.version().value()).isEqualTo(version));
      case LINKERD -> assertThat(router).isInstanceOf(SmiRouter.class);
      case OSM -> assertThat(router).isInstanceOf(SmiRouter.class);
      case SMI ->
          assertThat(router)
              .isInstanceOfSatisfying(
                  SmiRouter.class, r -> assertThat(r.version().value()).isEqualTo(version));
      // a family newly marked implemented: at least not Flagger's Istio fallback
      default -> assertThat(router).isNotInstanceOf(IstioRouter.class);
    }
    if (MeshProvider.isCrdValue(provider)) {
      // other fields a provider needs (nginx's ingressRef, ...) are that provider's own tests'
      // concern
      assertThat(new CanaryValidator().validate(canary(provider)))
          .as("the validator accepts the provider")
          .filteredOn(e -> e.path().equals("spec.provider"))
          .isEmpty();
    }
  }

  private static Canary canary(String provider) {
    Canary c = new Canary();
    c.setMetadata(new ObjectMetaBuilder().withName("podinfo").withNamespace("test").build());
    c.setSpec(CanaryFixture.spec(provider, CanaryFixture.analysis(10, null, null, 5, List.of())));
    return c;
  }
}
