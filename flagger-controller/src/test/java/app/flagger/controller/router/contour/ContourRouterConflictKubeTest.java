package app.flagger.controller.router.contour;

import static app.flagger.controller.router.contour.ContourFixtures.canary;
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

/** Weight writes that meet a conflict read the HTTPProxy again, up to three attempts. */
class ContourRouterConflictKubeTest {
  private static final String PROXY =
      "/apis/projectcontour.io/v1/namespaces/default/httpproxies/podinfo";

  private MockApiServer server;
  private FaultInjectingDispatcher faults;
  private KubernetesClient client;
  private ContourRouter router;
  private final Canary canary = canary();

  @BeforeEach
  void start() {
    server = MockApiServer.start();
    faults = server.api();
    client = new KubernetesClientBuilder().withConfig(server.config(0)).build();
    ContourFixtures.registerCrd(client);
    router = new ContourRouter(client, "contour");
    router.reconcile(canary);
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void setRoutesRetriesAfterAConflict() {
    faults.fail("PUT", PROXY, 409, 2);

    router.setRoutes(canary, new Routes(70, 30, false));

    assertThat(faults.served()).isEqualTo(2);
    assertThat(router.getRoutes(canary)).isEqualTo(new Routes(70, 30, false));
  }

  @Test
  void setRoutesGivesUpAfterThreeConflictsNamingTheProxy() {
    faults.fail("PUT", PROXY, 409, 3);

    assertThatThrownBy(() -> router.setRoutes(canary, new Routes(70, 30, false)))
        .isInstanceOf(RouterException.class)
        .hasMessageStartingWith("HTTPProxy podinfo.default update error: ");
    assertThat(router.getRoutes(canary)).isEqualTo(Routes.allPrimary());
  }
}
