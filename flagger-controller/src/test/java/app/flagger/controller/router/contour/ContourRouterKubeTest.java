package app.flagger.controller.router.contour;

import static app.flagger.controller.router.contour.ContourFixtures.abTest;
import static app.flagger.controller.router.contour.ContourFixtures.at;
import static app.flagger.controller.router.contour.ContourFixtures.canary;
import static app.flagger.controller.router.contour.ContourFixtures.spec;
import static app.flagger.controller.router.contour.ContourFixtures.weights;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.controller.router.RouterException;
import app.flagger.controller.router.Routes;
import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Flagger's TestContourRouter_Reconcile and _Routes, and what others add to the proxy. */
@EnableKubernetesMockClient(crud = true)
class ContourRouterKubeTest {
  KubernetesClient client;

  @BeforeEach
  void registerCrd() {
    ContourFixtures.registerCrd(client);
  }

  private ContourRouter router(String ingressClass) {
    return new ContourRouter(client, ingressClass);
  }

  private ContourRouter router() {
    return router("");
  }

  private GenericKubernetesResource proxy() {
    return client
        .genericKubernetesResources(ContourRouter.HTTP_PROXIES)
        .inNamespace("default")
        .withName("podinfo")
        .get();
  }

  @Test
  void reconcileCreatesTheProxyWithTheIngressClass() {
    Canary c = canary();

    router("contour").reconcile(c);

    GenericKubernetesResource p = proxy();
    assertThat(p.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getName()).isEqualTo("podinfo"));
    assertThat(spec(p)).isEqualTo(HttpProxyBuilder.spec(c, "contour", Routes.allPrimary()));
    assertThat(weights(spec(p), 0)).containsExactly(100, 0);
    assertThat(spec(p)).containsEntry("ingressClassName", "contour");
    assertThat(router("contour").getRoutes(c)).isEqualTo(Routes.allPrimary());
  }

  /** Flagger's update case: port 8080 and a timeout, then the A/B match. */
  @Test
  void reconcileUpdatesTheProxyWhenTheSpecChanges() {
    router().reconcile(canary());
    Canary changed =
        canary(
            "port: 8080\n" + ContourFixtures.FLAGGER_SERVICE + "timeout: 1m",
            ContourFixtures.PROGRESSIVE);

    router().reconcile(changed);

    Map<String, Object> spec = spec(proxy());
    assertThat(ContourFixtures.<Integer>at(spec, "routes", 0, "services", 0, "port"))
        .isEqualTo(8080);
    assertThat(ContourFixtures.<String>at(spec, "routes", 0, "timeoutPolicy", "response"))
        .isEqualTo("1m");
    assertThat(ContourFixtures.<String>at(spec, "routes", 0, "conditions", 0, "prefix"))
        .isEqualTo("/podinfo");
    assertThat(ContourFixtures.<Integer>at(spec, "routes", 0, "retryPolicy", "count"))
        .isEqualTo(10);
    assertThat(ContourFixtures.<List<String>>at(spec, "routes", 0, "retryPolicy", "retryOn"))
        .containsExactly("connect-failure", "gateway-error");

    router().reconcile(abTest());

    assertThat(
            ContourFixtures.<String>at(
                spec(proxy()), "routes", 0, "conditions", 0, "header", "exact"))
        .isEqualTo("test");
  }

  @Test
  void reconcileLeavesTheProxyAloneWhenOnlyWeightsDiffer() {
    Canary c = canary();
    router().reconcile(c);
    router().setRoutes(c, new Routes(60, 40, false));
    String version = proxy().getMetadata().getResourceVersion();

    router().reconcile(c);

    assertThat(proxy().getMetadata().getResourceVersion()).isEqualTo(version);
    assertThat(router().getRoutes(c)).isEqualTo(new Routes(60, 40, false));
  }

  @Test
  void reconcileKeepsWhatOthersAddedAndAddsNewApexMetadata() {
    router().reconcile(canary());
    GenericKubernetesResource p = proxy();
    p.getMetadata().getAnnotations().put("foo", "bar");
    Map<String, Object> spec = new LinkedHashMap<>(spec(p));
    spec.put("virtualhost", Map.of("fqdn", "app.example.com"));
    spec.put("ingressClassName", "set-by-hand");
    p.setAdditionalProperty("spec", spec);
    client.genericKubernetesResources(ContourRouter.HTTP_PROXIES).resource(p).update();

    router()
        .reconcile(
            canary(
                ContourFixtures.FLAGGER_SERVICE + "timeout: 2s\napex:\n  labels:\n    team: web",
                ContourFixtures.PROGRESSIVE));

    GenericKubernetesResource after = proxy();
    assertThat(after.getMetadata().getAnnotations()).containsEntry("foo", "bar");
    assertThat(after.getMetadata().getLabels()).containsEntry("team", "web");
    assertThat(spec(after))
        .containsEntry("virtualhost", Map.of("fqdn", "app.example.com"))
        .containsEntry("ingressClassName", "set-by-hand");
    assertThat(ContourFixtures.<String>at(spec(after), "routes", 0, "timeoutPolicy", "response"))
        .isEqualTo("2s");
  }

  @Test
  void aConfiguredIngressClassReplacesTheOneOnTheProxy() {
    router("").reconcile(canary());

    router("contour").reconcile(canary());

    assertThat(spec(proxy())).containsEntry("ingressClassName", "contour");
  }

  /** Flagger's TestContourRouter_Routes: 50/50, then A/B with the weights on route 0 only. */
  @Test
  void setRoutesWritesTheWeightsOfTheFirstRoute() {
    Canary c = canary();
    router().reconcile(c);

    router().setRoutes(c, new Routes(50, 50, false));

    assertThat(weights(spec(proxy()), 0)).containsExactly(50, 50);
    assertThat(router().getRoutes(c)).isEqualTo(new Routes(50, 50, false));

    Canary ab = abTest();
    router().reconcile(ab);
    assertThat(weights(spec(proxy()), 0)).containsExactly(100, 0);
    assertThat(weights(spec(proxy()), 1)).containsExactly(100, 0);

    router().setRoutes(ab, new Routes(0, 100, false));

    assertThat(weights(spec(proxy()), 0)).containsExactly(0, 100);
    assertThat(weights(spec(proxy()), 1)).containsExactly(100, 0);
    assertThat(router().getRoutes(ab)).isEqualTo(new Routes(0, 100, false));
  }

  @Test
  void setRoutesKeepsTheFieldsOthersAdded() {
    Canary c = canary();
    router().reconcile(c);
    GenericKubernetesResource p = proxy();
    Map<String, Object> spec = new LinkedHashMap<>(spec(p));
    spec.put("includes", List.of(Map.of("name", "other")));
    p.setAdditionalProperty("spec", spec);
    client.genericKubernetesResources(ContourRouter.HTTP_PROXIES).resource(p).update();

    router().setRoutes(c, new Routes(90, 10, false));

    assertThat(spec(proxy())).containsEntry("includes", List.of(Map.of("name", "other")));
    assertThat(router().getRoutes(c)).isEqualTo(new Routes(90, 10, false));
  }

  @Test
  void getRoutesWithoutAProxyFailsNamingIt() {
    assertThatThrownBy(() -> router().getRoutes(canary()))
        .isInstanceOf(RouterException.class)
        .hasMessage(
            "HTTPProxy podinfo.default get query error: httpproxies.projectcontour.io"
                + " \"podinfo\" not found");
  }

  @Test
  void finalizeLeavesTheProxyToItsOwnerReference() {
    Canary c = canary();
    router().reconcile(c);

    router().finalize(c);

    assertThat(proxy()).isNotNull();
    assertThat((Object) at(spec(proxy()), "routes")).isNotNull();
  }
}
