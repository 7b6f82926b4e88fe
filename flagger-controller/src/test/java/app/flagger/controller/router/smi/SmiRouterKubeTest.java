package app.flagger.controller.router.smi;

import static app.flagger.controller.router.smi.SmiFixtures.backend;
import static app.flagger.controller.router.smi.SmiFixtures.canary;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.controller.router.RouterException;
import app.flagger.controller.router.Routes;
import app.flagger.controller.router.smi.TrafficSplitBuilder.Version;
import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class SmiRouterKubeTest {
  KubernetesClient client;

  @BeforeEach
  void registerCrd() {
    SmiCrds.register(client);
  }

  private SmiRouter router(Version version) {
    return new SmiRouter(client, version, "linkerd", "linkerd");
  }

  private SmiRouter router() {
    return router(Version.V1ALPHA1);
  }

  private GenericKubernetesResource split(Version version, String name) {
    return client
        .genericKubernetesResources(SmiRouter.trafficSplits(version))
        .inNamespace("default")
        .withName(name)
        .get();
  }

  private GenericKubernetesResource split() {
    return split(Version.V1ALPHA1, "podinfo");
  }

  @Test
  void reconcileCreatesTheTrafficSplitOwnedByTheCanary() {
    router().reconcile(canary());

    GenericKubernetesResource ts = split();
    assertThat(ts.getApiVersion()).isEqualTo("split.smi-spec.io/v1alpha1");
    assertThat(ts.getMetadata().getOwnerReferences().get(0).getName()).isEqualTo("podinfo");
    assertThat(SmiRouter.spec(ts))
        .isEqualTo(
            Map.of(
                "service",
                "podinfo",
                "backends",
                List.of(backend("podinfo-canary", "0"), backend("podinfo-primary", "100"))));
  }

  @Test
  void reconcileUpdatesTheSplitWhenTheServiceChanges() {
    router().reconcile(canary());

    router().reconcile(canary("hosts: [podinfo.example.com]"));

    assertThat(SmiRouter.spec(split())).containsEntry("service", "podinfo.example.com");
  }

  @Test
  void reconcileLeavesTheSplitAloneWhenOnlyWeightsDiffer() {
    Canary c = canary();
    router().reconcile(c);
    router().setRoutes(c, new Routes(60, 40, false));
    String version = split().getMetadata().getResourceVersion();

    router().reconcile(c);

    assertThat(split().getMetadata().getResourceVersion()).isEqualTo(version);
    assertThat(router().getRoutes(c)).isEqualTo(new Routes(60, 40, false));
  }

  /** Flagger's SetRoutes and GetRoutes tests, in each version. */
  @Test
  void setRoutesAndGetRoutesRoundTripTheWeightsInEveryVersion() {
    Canary c = canary();
    for (Version v : Version.values()) {
      router(v).reconcile(c);
      assertThat(router(v).getRoutes(c)).isEqualTo(new Routes(100, 0, false));

      router(v).setRoutes(c, new Routes(50, 50, true));

      Object half = v == Version.V1ALPHA1 ? "50" : 50;
      assertThat(SmiRouter.spec(split(v, "podinfo")).get("backends"))
          .isEqualTo(List.of(backend("podinfo-canary", half), backend("podinfo-primary", half)));
      assertThat(router(v).getRoutes(c)).as(v.value()).isEqualTo(new Routes(50, 50, false));
    }
  }

  @Test
  void getRoutesWithoutTheSplitNamesIt() {
    assertThatThrownBy(() -> router().getRoutes(canary()))
        .isInstanceOf(RouterException.class)
        .hasMessage(
            "TrafficSplit podinfo.default get query error trafficsplits.split.smi-spec.io"
                + " \"podinfo\" not found");
  }

  @Test
  void setRoutesWithoutTheSplitNamesIt() {
    assertThatThrownBy(() -> router().setRoutes(canary(), new Routes(90, 10, false)))
        .isInstanceOf(RouterException.class)
        .hasMessageContaining("TrafficSplit podinfo.default get query error");
  }

  @Test
  void abTestingIsRefusedWithTheProviderNamed() {
    Canary ab =
        canary("", "iterations: 5\nmatch:\n  - headers:\n      x-canary:\n        exact: insider");

    assertThatThrownBy(() -> router().reconcile(ab))
        .isInstanceOf(RouterException.class)
        .hasMessageStartingWith(
            "analysis.match of podinfo.default is not supported with the linkerd provider");
    assertThat(split()).isNull();
  }

  @Test
  void finalizeLeavesTheSplitToGarbageCollectionAsFlagger() {
    Canary c = canary();
    router().reconcile(c);

    router().finalize(c);

    assertThat(split()).isNotNull();
  }
}
