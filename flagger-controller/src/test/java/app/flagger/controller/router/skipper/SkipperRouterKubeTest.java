package app.flagger.controller.router.skipper;

import static app.flagger.controller.router.skipper.SkipperFixtures.apexIngress;
import static app.flagger.controller.router.skipper.SkipperFixtures.canary;
import static app.flagger.controller.router.skipper.SkipperIngressBuilder.BACKEND_WEIGHTS;
import static app.flagger.controller.router.skipper.SkipperIngressBuilder.PREDICATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.controller.router.RouterException;
import app.flagger.controller.router.Routes;
import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Flagger's TestSkipperRouter_Reconcile and _GetSetRoutes on the CRUD mock API server. */
@EnableKubernetesMockClient(crud = true)
class SkipperRouterKubeTest {
  KubernetesClient client;
  SkipperRouter router;

  @BeforeEach
  void createApexIngress() {
    client.resource(apexIngress()).create();
    router = new SkipperRouter(client);
  }

  private Ingress ingress(String name) {
    return client.network().v1().ingresses().inNamespace("default").withName(name).get();
  }

  private Ingress canaryIngress() {
    return ingress("podinfo-canary");
  }

  @Test
  void reconcileCreatesTheCanaryIngressAndLeavesTheApexAlone() {
    Canary c = canary();
    Ingress apexBefore = ingress("podinfo");

    router.reconcile(c);

    Ingress created = canaryIngress();
    assertThat(created.getMetadata().getAnnotations())
        .containsEntry(BACKEND_WEIGHTS, "{\"podinfo-canary\":0,\"podinfo-primary\":100}")
        .containsEntry(PREDICATE, "Weight(100)");
    assertThat(created.getSpec())
        .isEqualTo(SkipperIngressBuilder.build(c, apexIngress()).getSpec());
    assertThat(created.getSpec().getRules().get(0).getHttp().getPaths())
        .extracting(p -> p.getBackend().getService().getName())
        .containsExactly("podinfo-primary", "podinfo-canary");
    assertThat(created.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getName()).isEqualTo("podinfo"));
    assertThat(ingress("podinfo")).isEqualTo(apexBefore);
    assertThat(router.getRoutes(c)).isEqualTo(Routes.allPrimary());
  }

  /** Flagger's "updating existing canary ingress" case, plus a changed rule on the apex. */
  @Test
  void reconcileUpdatesTheCopyWhenTheApexIngressChanges() {
    Canary c = canary();
    router.reconcile(c);
    Ingress apex = ingress("podinfo");
    apex.getMetadata().getAnnotations().put("something", "changed");
    apex.getSpec().getRules().get(0).setHost("www.example.com");
    client.resource(apex).update();

    router.reconcile(c);

    Ingress updated = canaryIngress();
    assertThat(updated.getMetadata().getAnnotations()).containsEntry("something", "changed");
    assertThat(updated.getSpec().getRules().get(0).getHost()).isEqualTo("www.example.com");
    assertThat(updated.getSpec().getRules().get(0).getHttp().getPaths()).hasSize(2);
  }

  @Test
  void reconcileLeavesTheCopyAloneWhenOnlyWeightsDiffer() {
    Canary c = canary();
    router.reconcile(c);
    router.setRoutes(c, new Routes(60, 40, false));
    String version = canaryIngress().getMetadata().getResourceVersion();

    router.reconcile(c);

    assertThat(canaryIngress().getMetadata().getResourceVersion()).isEqualTo(version);
    assertThat(router.getRoutes(c)).isEqualTo(new Routes(60, 40, false));
  }

  /** Unlike Flagger, a changed apex keeps the split of the run in progress. */
  @Test
  void reconcileKeepsTheSplitAndWhatOthersAddedOnUpdate() {
    Canary c = canary();
    router.reconcile(c);
    router.setRoutes(c, new Routes(70, 30, false));
    Ingress copy = canaryIngress();
    copy.getMetadata().getAnnotations().put("added-by", "someone else");
    copy.getMetadata().setLabels(new java.util.HashMap<>(java.util.Map.of("team", "web")));
    client.resource(copy).update();
    Ingress apex = ingress("podinfo");
    apex.getMetadata().getAnnotations().put("zalando.org/skipper-filter", "ratelimit(20, \"1m\")");
    client.resource(apex).update();

    router.reconcile(c);

    assertThat(canaryIngress().getMetadata().getAnnotations())
        .containsEntry("added-by", "someone else")
        .containsEntry("zalando.org/skipper-filter", "ratelimit(20, \"1m\")")
        .containsEntry(PREDICATE, "Weight(100)");
    assertThat(canaryIngress().getMetadata().getLabels()).containsEntry("team", "web");
    assertThat(router.getRoutes(c)).isEqualTo(new Routes(70, 30, false));
  }

  /** Flagger's TestSkipperRouter_GetSetRoutes, and the copy switched off at canary weight 0. */
  @Test
  void setRoutesWritesTheWeightsAndSwitchesTheCopyOffAtZero() {
    Canary c = canary();
    router.reconcile(c);
    assertThat(router.getRoutes(c)).isEqualTo(Routes.allPrimary());

    for (int canaryWeight : new int[] {10, 20, 30, 85, 100, 0}) {
      Routes routes = new Routes(100 - canaryWeight, canaryWeight, false);
      router.setRoutes(c, routes);
      assertThat(canaryIngress().getMetadata().getAnnotations())
          .containsEntry(
              BACKEND_WEIGHTS,
              "{\"podinfo-canary\":"
                  + canaryWeight
                  + ",\"podinfo-primary\":"
                  + (100 - canaryWeight)
                  + "}")
          .containsEntry(PREDICATE, canaryWeight == 0 ? "False()" : "Weight(100)");
      assertThat(router.getRoutes(c)).isEqualTo(routes);
    }
  }

  @Test
  void setRoutesIgnoresMirroring() {
    Canary c = canary();
    router.reconcile(c);

    router.setRoutes(c, new Routes(100, 0, true));

    assertThat(router.getRoutes(c)).isEqualTo(Routes.allPrimary());
  }

  @Test
  void finalizeDeletesTheCanaryIngressOnly() {
    Canary c = canary();
    router.reconcile(c);

    router.finalize(c);

    assertThat(canaryIngress()).isNull();
    assertThat(ingress("podinfo")).isNotNull();
    router.finalize(c);
  }

  @Test
  void reconcileWithoutTheApexIngressFailsNamingIt() {
    client.network().v1().ingresses().inNamespace("default").withName("podinfo").delete();

    assertThatThrownBy(() -> router.reconcile(canary()))
        .isInstanceOf(RouterException.class)
        .hasMessage(
            "apexIngress podinfo.default get query error: ingresses.networking.k8s.io"
                + " \"podinfo\" not found");
  }

  @Test
  void getRoutesWithoutTheCanaryIngressFailsNamingIt() {
    assertThatThrownBy(() -> router.getRoutes(canary()))
        .isInstanceOf(RouterException.class)
        .hasMessage(
            "ingress podinfo-canary.default get query error: ingresses.networking.k8s.io"
                + " \"podinfo-canary\" not found");
  }

  @Test
  void anAbTestIsRefusedBeforeAnythingIsWritten() {
    Canary ab = SkipperFixtures.abTest();

    assertThatThrownBy(() -> router.reconcile(ab))
        .isInstanceOf(RouterException.class)
        .hasMessageStartingWith("spec.analysis.match: ");
    assertThat(canaryIngress()).isNull();
  }
}
