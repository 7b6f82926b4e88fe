package app.flagger.controller.router.apisix;

import static app.flagger.controller.router.apisix.ApisixFixtures.canary;
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

/** Weight writes that meet a conflict read the canary ApisixRoute again, up to three attempts. */
class ApisixRouterConflictKubeTest {
  private static final String ROUTE =
      "/apis/apisix.apache.org/v2/namespaces/default/apisixroutes/podinfo-podinfo-canary";

  private MockApiServer server;
  private FaultInjectingDispatcher faults;
  private KubernetesClient client;
  private ApisixRouter router;
  private final Canary canary = canary();

  @BeforeEach
  void start() {
    server = MockApiServer.start();
    faults = server.api();
    client = new KubernetesClientBuilder().withConfig(server.config(0)).build();
    ApisixFixtures.registerCrd(client);
    client
        .genericKubernetesResources(ApisixRouter.APISIX_ROUTES)
        .resource(ApisixFixtures.flaggerRoute())
        .create();
    router = new ApisixRouter(client);
    router.reconcile(canary);
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void setRoutesRetriesAfterAConflictAndGivesUpAfterThree() {
    faults.fail("PUT", ROUTE, 409, 2);

    router.setRoutes(canary, new Routes(70, 30, false));

    assertThat(faults.served()).isEqualTo(2);
    assertThat(router.getRoutes(canary)).isEqualTo(new Routes(70, 30, false));

    faults.fail("PUT", ROUTE, 409, 3);

    assertThatThrownBy(() -> router.setRoutes(canary, new Routes(50, 50, false)))
        .isInstanceOf(RouterException.class)
        .hasMessageStartingWith("ApisixRoute podinfo-podinfo-canary.default update error: ");
    assertThat(router.getRoutes(canary)).isEqualTo(new Routes(70, 30, false));
  }
}
