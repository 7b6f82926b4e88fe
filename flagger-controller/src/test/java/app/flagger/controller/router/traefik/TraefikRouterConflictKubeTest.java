package app.flagger.controller.router.traefik;

import static app.flagger.controller.router.traefik.TraefikFixtures.canary;
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

/** Weight writes that meet a conflict read the TraefikService again, up to three attempts. */
class TraefikRouterConflictKubeTest {
  private static final String TRAEFIK_SERVICE =
      "/apis/traefik.io/v1alpha1/namespaces/default/traefikservices/podinfo";

  private MockApiServer server;
  private FaultInjectingDispatcher faults;
  private KubernetesClient client;
  private TraefikRouter router;
  private final Canary canary = canary();

  @BeforeEach
  void start() {
    server = MockApiServer.start();
    faults = server.api();
    client = new KubernetesClientBuilder().withConfig(server.config(0)).build();
    TraefikFixtures.registerCrd(client);
    router = new TraefikRouter(client);
    router.reconcile(canary);
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void setRoutesRetriesAfterAConflictThenGivesUpAfterThreeNamingTheObject() {
    faults.fail("PUT", TRAEFIK_SERVICE, 409, 2);

    router.setRoutes(canary, new Routes(70, 30, false));

    assertThat(faults.served()).isEqualTo(2);
    assertThat(router.getRoutes(canary)).isEqualTo(new Routes(70, 30, false));

    faults.fail("PUT", TRAEFIK_SERVICE, 409, 3);

    assertThatThrownBy(() -> router.setRoutes(canary, new Routes(50, 50, false)))
        .isInstanceOf(RouterException.class)
        .hasMessageStartingWith("TraefikService podinfo.default update error: ");
    assertThat(router.getRoutes(canary)).isEqualTo(new Routes(70, 30, false));
  }
}
