package app.flagger.controller.router.nginx;

import static app.flagger.controller.router.nginx.NginxFixtures.abCanary;
import static app.flagger.controller.router.nginx.NginxFixtures.canary;
import static app.flagger.controller.router.nginx.NginxFixtures.ingress;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.controller.router.RouterException;
import app.flagger.controller.router.Routes;
import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The NGINX router on the CRUD mock API server: Flagger's IngressRouter tests and more. */
@EnableKubernetesMockClient(crud = true)
class NginxRouterKubeTest {
  private static final String NGINX = "nginx.ingress.kubernetes.io";

  KubernetesClient client;

  @BeforeEach
  void createTheIngress() {
    client.network().v1().ingresses().inNamespace("default").resource(ingress()).create();
  }

  private NginxRouter router() {
    return new NginxRouter(client, NGINX);
  }

  private Ingress get(String name) {
    return client.network().v1().ingresses().inNamespace("default").withName(name).get();
  }

  private Ingress canaryIngress() {
    return get("podinfo-canary");
  }

  @Test
  void reconcileCreatesTheCanaryIngressAsTheBuilderDescribesIt() {
    Canary c = canary();

    router().reconcile(c);

    Ingress created = canaryIngress();
    Ingress expected = router().builder().build(c, ingress());
    assertThat(created.getSpec()).isEqualTo(expected.getSpec());
    assertThat(created.getMetadata().getAnnotations())
        .isEqualTo(expected.getMetadata().getAnnotations());
    assertThat(created.getMetadata().getOwnerReferences())
        .isEqualTo(expected.getMetadata().getOwnerReferences());
    assertThat(router().getRoutes(c)).isEqualTo(Routes.allPrimary());
    assertThat(get("podinfo").getSpec())
        .as("the source Ingress is not touched")
        .isEqualTo(ingress().getSpec());
  }

  @Test
  void reconcileUpdatesTheSpecWhenTheSourceIngressChanges() {
    Canary c = canary();
    router().reconcile(c);
    router().setRoutes(c, new Routes(70, 30, false));
    Ingress source =
        new IngressBuilder(get("podinfo"))
            .editSpec()
            .editFirstRule()
            .withHost("www.example.com")
            .endRule()
            .endSpec()
            .build();
    client.network().v1().ingresses().inNamespace("default").resource(source).update();

    router().reconcile(c);

    Ingress after = canaryIngress();
    assertThat(after.getSpec().getRules().get(0).getHost()).isEqualTo("www.example.com");
    assertThat(after.getSpec().getRules().get(0).getHttp().getPaths().get(0).getBackend())
        .satisfies(b -> assertThat(b.getService().getName()).isEqualTo("podinfo-canary"));
    assertThat(router().getRoutes(c))
        .as("the weight annotation is kept")
        .isEqualTo(new Routes(70, 30, false));
  }

  @Test
  void reconcileLeavesTheIngressAloneWhenOnlyWeightsDiffer() {
    Canary c = canary();
    router().reconcile(c);
    router().setRoutes(c, new Routes(60, 40, false));
    String version = canaryIngress().getMetadata().getResourceVersion();

    router().reconcile(c);

    assertThat(canaryIngress().getMetadata().getResourceVersion()).isEqualTo(version);
    assertThat(router().getRoutes(c)).isEqualTo(new Routes(60, 40, false));
  }

  @Test
  void reconcileKeepsWhatUsersAddedToTheCanaryIngress() {
    Canary c = canary();
    router().reconcile(c);
    Ingress edited =
        new IngressBuilder(canaryIngress())
            .editMetadata()
            .addToAnnotations("example.com/owner", "web-team")
            .addToLabels("team", "web")
            .endMetadata()
            .editSpec()
            .withIngressClassName("nginx")
            .endSpec()
            .build();
    client.network().v1().ingresses().inNamespace("default").resource(edited).update();

    router().reconcile(c);
    router().setRoutes(c, new Routes(80, 20, false));

    Ingress after = canaryIngress();
    assertThat(after.getMetadata().getAnnotations())
        .containsEntry("example.com/owner", "web-team")
        .containsEntry(NGINX + "/canary-weight", "20");
    assertThat(after.getMetadata().getLabels()).containsEntry("team", "web");
    assertThat(after.getSpec().getIngressClassName())
        .as("the spec follows the source Ingress, as in Flagger")
        .isNull();
  }

  /** TestIngressRouter_GetSetRoutes. */
  @Test
  void setRoutesMovesTheWeightAndPromotionResetsIt() {
    Canary c = canary();
    router().reconcile(c);

    router().setRoutes(c, new Routes(50, 50, false));
    assertThat(canaryIngress().getMetadata().getAnnotations())
        .containsEntry(NGINX + "/canary", "true")
        .containsEntry(NGINX + "/canary-weight", "50");
    assertThat(router().getRoutes(c)).isEqualTo(new Routes(50, 50, false));

    router().setRoutes(c, Routes.allPrimary());
    assertThat(canaryIngress().getMetadata().getAnnotations())
        .containsEntry(NGINX + "/canary", "true")
        .containsEntry(NGINX + "/canary-weight", "0");
    assertThat(router().getRoutes(c)).isEqualTo(Routes.allPrimary());
  }

  /** TestIngressRouter_ABTest, header exact match. */
  @Test
  void anABRunPutsTheHeaderOnTheCanaryIngress() {
    Canary c = abCanary("x-user-type", "exact", "test");
    router().reconcile(c);

    router().setRoutes(c, new Routes(0, 100, false));

    assertThat(canaryIngress().getMetadata().getAnnotations())
        .containsEntry(NGINX + "/canary", "true")
        .containsEntry(NGINX + "/canary-by-header", "x-user-type")
        .containsEntry(NGINX + "/canary-by-header-value", "test");
    assertThat(router().getRoutes(c)).isEqualTo(new Routes(0, 100, false));
    router().setRoutes(c, Routes.allPrimary());
    assertThat(canaryIngress().getMetadata().getAnnotations())
        .doesNotContainKeys(NGINX + "/canary-by-header", NGINX + "/canary-by-header-value");
    assertThat(router().getRoutes(c)).isEqualTo(Routes.allPrimary());
  }

  @Test
  void aCustomPrefixIsUsedForEveryAnnotation() {
    Canary c = canary();
    NginxRouter custom = new NginxRouter(client, "custom.ingress.kubernetes.io");
    custom.reconcile(c);

    custom.setRoutes(c, new Routes(90, 10, false));

    assertThat(canaryIngress().getMetadata().getAnnotations())
        .containsEntry("custom.ingress.kubernetes.io/canary", "true")
        .containsEntry("custom.ingress.kubernetes.io/canary-weight", "10")
        .doesNotContainKey(NGINX + "/canary-weight");
    assertThat(custom.getRoutes(c)).isEqualTo(new Routes(90, 10, false));
  }

  @Test
  void aMissingSourceIngressIsAnErrorNamingIt() {
    client.network().v1().ingresses().inNamespace("default").withName("podinfo").delete();

    assertThatThrownBy(() -> router().reconcile(canary()))
        .isInstanceOf(RouterException.class)
        .hasMessage(
            "ingress podinfo.default get query error: ingresses.networking.k8s.io \"podinfo\""
                + " not found");
  }

  @Test
  void getRoutesWithoutTheCanaryIngressFailsNamingIt() {
    assertThatThrownBy(() -> router().getRoutes(canary()))
        .isInstanceOf(RouterException.class)
        .hasMessageStartingWith("ingress podinfo-canary.default get query error: ");
  }

  @Test
  void finalizeLeavesBothIngresses() {
    Canary c = canary();
    router().reconcile(c);
    router().setRoutes(c, new Routes(60, 40, false));

    router().finalize(c);

    assertThat(get("podinfo")).isNotNull();
    assertThat(canaryIngress().getMetadata().getAnnotations())
        .containsEntry(NGINX + "/canary-weight", "40");
  }
}
