package app.flagger.controller.router.appmesh;

import static app.flagger.controller.router.appmesh.AppMeshFixtures.appmesh;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.controller.router.RouterException;
import app.flagger.controller.router.Routes;
import app.flagger.controller.support.FaultInjectingDispatcher;
import app.flagger.controller.support.MockApiServer;
import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Writes of the App Mesh split that meet a conflict read the router again, up to three times. */
class AppMeshRouterConflictKubeTest {
  private static final String ROUTER =
      "/apis/appmesh.k8s.aws/v1beta2/namespaces/default/virtualrouters/podinfo";
  private static final String NODE =
      "/apis/appmesh.k8s.aws/v1beta2/namespaces/default/virtualnodes/podinfo-primary";

  private MockApiServer server;
  private FaultInjectingDispatcher faults;
  private KubernetesClient client;
  private AppMeshV1beta2Router router;
  private final Canary canary = appmesh("appmesh:v1beta2");

  @BeforeEach
  void reconcileOnAFaultyApiServer() {
    server = MockApiServer.start();
    client = new KubernetesClientBuilder().withConfig(server.config(0)).build();
    faults = server.api();
    AppMeshFixtures.registerCrds(client);
    AppMeshFixtures.deployment(client, "podinfo");
    router = new AppMeshV1beta2Router(client, new TargetSelectorLabel(client, List.of("app")));
    router.reconcile(canary);
  }

  @AfterEach
  void close() {
    client.close();
    server.close();
  }

  /** Two conflicts are retried; a third in a row ends the write with the router named. */
  @Test
  void splitWritesRetryTwiceThenGiveUpNamingTheRouter() {
    faults.fail("PUT", ROUTER, 409, 2);
    router.setRoutes(canary, new Routes(70, 30, false));
    assertThat(router.getRoutes(canary)).isEqualTo(new Routes(70, 30, false));

    faults.fail("PUT", ROUTER, 409, 3);
    assertThatThrownBy(() -> router.setRoutes(canary, Routes.allPrimary()))
        .isInstanceOf(RouterException.class)
        .hasMessageStartingWith("VirtualRouter podinfo.default update error: ");

    assertThat(faults.served()).isEqualTo(5);
    assertThat(router.getRoutes(canary)).isEqualTo(new Routes(70, 30, false));
  }

  @Test
  void aNodeUpdateRetriesAfterAConflict() {
    faults.fail("PUT", NODE, 409, 1);

    router.reconcile(appmesh("appmesh:v1beta2", "backends: [other.default]"));

    assertThat(faults.served()).isEqualTo(1);
    assertThat(
            AppMeshFixtures.at(
                AppMeshFixtures.get(client, AppMeshApi.V1BETA2.virtualNodes(), "podinfo-primary"),
                "backends",
                0,
                "virtualService",
                "virtualServiceRef",
                "name"))
        .isEqualTo("other.default");
  }
}
