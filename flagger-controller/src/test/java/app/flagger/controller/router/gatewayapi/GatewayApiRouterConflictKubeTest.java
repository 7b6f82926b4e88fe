package app.flagger.controller.router.gatewayapi;

import static app.flagger.controller.router.gatewayapi.GatewayApiFixtures.canary;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.controller.router.RouterException;
import app.flagger.controller.router.Routes;
import app.flagger.controller.router.gatewayapi.HttpRouteBuilder.Version;
import app.flagger.controller.support.FaultInjectingDispatcher;
import app.flagger.controller.support.MockApiServer;
import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Writes that meet a conflict read the route again and retry, up to three attempts. */
class GatewayApiRouterConflictKubeTest {
  private static final String ROUTE =
      "/apis/gateway.networking.k8s.io/v1/namespaces/default/httproutes/podinfo";

  private MockApiServer server;
  private FaultInjectingDispatcher faults;
  private KubernetesClient client;
  private GatewayApiRouter router;
  private final Canary canary = canary();

  @BeforeEach
  void start() {
    server = MockApiServer.start();
    faults = server.api();
    client = new KubernetesClientBuilder().withConfig(server.config(0)).build();
    GatewayApiCrds.register(client);
    router = new GatewayApiRouter(client, Version.V1, () -> 0L);
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
        .hasMessageStartingWith("HTTPRoute podinfo.default update error: ")
        .hasMessageEndingWith(" while setting weights");
    assertThat(router.getRoutes(canary)).isEqualTo(new Routes(100, 0, false));
  }
}
