package app.flagger.controller.router.skipper;

import static app.flagger.controller.router.skipper.SkipperFixtures.canary;
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

/** Weight writes that meet a conflict read the canary Ingress again, up to three attempts. */
class SkipperRouterConflictKubeTest {
  private static final String CANARY_INGRESS =
      "/apis/networking.k8s.io/v1/namespaces/default/ingresses/podinfo-canary";

  private MockApiServer server;
  private FaultInjectingDispatcher faults;
  private KubernetesClient client;
  private SkipperRouter router;
  private final Canary canary = canary();

  @BeforeEach
  void start() {
    server = MockApiServer.start();
    faults = server.api();
    client = new KubernetesClientBuilder().withConfig(server.config(0)).build();
    client.resource(SkipperFixtures.apexIngress()).create();
    router = new SkipperRouter(client);
    router.reconcile(canary);
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void setRoutesRetriesAfterAConflictAndGivesUpAfterThree() {
    faults.fail("PUT", CANARY_INGRESS, 409, 2);

    router.setRoutes(canary, new Routes(70, 30, false));

    assertThat(faults.served()).isEqualTo(2);
    assertThat(router.getRoutes(canary)).isEqualTo(new Routes(70, 30, false));

    faults.fail("PUT", CANARY_INGRESS, 409, 3);

    assertThatThrownBy(() -> router.setRoutes(canary, new Routes(40, 60, false)))
        .isInstanceOf(RouterException.class)
        .hasMessageStartingWith("ingress podinfo-canary.default update error: ");
    assertThat(router.getRoutes(canary)).isEqualTo(new Routes(70, 30, false));
  }
}
