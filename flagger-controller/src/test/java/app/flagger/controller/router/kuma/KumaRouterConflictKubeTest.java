package app.flagger.controller.router.kuma;

import static app.flagger.controller.router.kuma.KumaFixtures.canary;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.controller.router.RouterException;
import app.flagger.controller.router.Routes;
import app.flagger.controller.support.FaultInjectingDispatcher;
import app.flagger.controller.support.MockApiServer;
import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Split writes that meet a conflict read the cluster-scoped route again, up to three attempts. */
class KumaRouterConflictKubeTest {
  private static final String ROUTE = "/apis/kuma.io/v1alpha1/trafficroutes/podinfo";

  private MockApiServer server;
  private FaultInjectingDispatcher faults;
  private KubernetesClient client;
  private KumaRouter router;
  private final Canary canary = canary();

  @BeforeEach
  void start() {
    server = MockApiServer.start();
    faults = server.api();
    client = new KubernetesClientBuilder().withConfig(server.config(0)).build();
    KumaFixtures.registerCrd(client);
    router = new KumaRouter(client);
    router.reconcile(canary);
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void setRoutesRetriesAfterAConflict() {
    faults.fail("PUT", ROUTE, 409, 2);

    router.setRoutes(canary, new Routes(70, 30, false));

    assertThat(faults.served()).isEqualTo(2);
    assertThat(router.getRoutes(canary)).isEqualTo(new Routes(70, 30, false));
  }

  @Test
  void setRoutesGivesUpAfterThreeConflictsNamingTheRoute() {
    faults.fail("PUT", ROUTE, 409, 3);

    assertThatThrownBy(() -> router.setRoutes(canary, new Routes(70, 30, false)))
        .isInstanceOf(RouterException.class)
        .hasMessageStartingWith("TrafficRoute podinfo update error ");
    assertThat(router.getRoutes(canary)).isEqualTo(Routes.allPrimary());
  }
}
