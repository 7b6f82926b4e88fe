package app.flagger.controller.router.knative;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.controller.kube.KnativeServices;
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

/** Writes to the Knative Service that meet a conflict read it again, up to three attempts. */
class KnativeRouterConflictKubeTest {
  private static final String SERVICE =
      "/apis/serving.knative.dev/v1/namespaces/default/services/podinfo";

  private MockApiServer server;
  private FaultInjectingDispatcher faults;
  private KubernetesClient client;
  private KnativeRouter router;
  private KnativeFixtures knative;
  private final Canary canary = KnativeFixtures.canary("default", "podinfo");

  @BeforeEach
  void start() {
    server = MockApiServer.start();
    faults = server.api();
    client = new KubernetesClientBuilder().withConfig(server.config(0)).build();
    KnativeFixtures.registerCrds(client);
    knative = new KnativeFixtures(client, "default", "podinfo").create("podinfo:6.0.0");
    router = new KnativeRouter(new KnativeServices(client));
    router.reconcile(canary);
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void setRoutesRetriesAfterAConflict() {
    faults.fail("PUT", SERVICE, 409, 2);

    router.setRoutes(canary, new Routes(70, 30, false));

    assertThat(faults.served()).isEqualTo(2);
    assertThat(knative.specWeights()).containsExactly(70, 30);
  }

  @Test
  void setRoutesGivesUpAfterThreeConflictsNamingTheService() {
    faults.fail("PUT", SERVICE, 409, 3);

    assertThatThrownBy(() -> router.setRoutes(canary, new Routes(70, 30, false)))
        .isInstanceOf(RouterException.class)
        .hasMessageStartingWith("Knative Service podinfo.default update query error: ");
    assertThat(KnativeServices.specTraffic(knative.service())).isEmpty();
  }
}
