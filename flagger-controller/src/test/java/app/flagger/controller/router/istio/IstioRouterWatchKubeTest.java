package app.flagger.controller.router.istio;

import static app.flagger.controller.router.istio.IstioFixtures.FULL_SERVICE;
import static app.flagger.controller.router.istio.IstioFixtures.canary;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.flagger.controller.router.CustomObjects;
import app.flagger.controller.router.Routes;
import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Istio router reading its objects through a watch ({@link CustomObjects#watching}), as the
 * controller runs it: the same objects as read from the API server, and an update computed from a
 * copy the API server has moved past is retried from a fresh read.
 */
@EnableKubernetesMockClient(crud = true)
class IstioRouterWatchKubeTest {
  KubernetesClient client;
  CustomObjects objects;

  @AfterEach
  void tearDown() {
    if (objects != null) {
      objects.close();
    }
  }

  private IstioRouter router() {
    objects = CustomObjects.watching(client, "");
    return new IstioRouter(client, () -> 0L, objects);
  }

  private GenericKubernetesResource vs() {
    return client
        .genericKubernetesResources(IstioObjects.VIRTUAL_SERVICES)
        .inNamespace("test")
        .withName("podinfo")
        .get();
  }

  private void awaitSynced() {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                objects.watched().size() == 2
                    && objects.informers().stream().allMatch(i -> i.hasSynced()));
  }

  @Test
  void routesWrittenAreReadBackFromTheWatch() {
    IstioRouter router = router();
    Canary canary = canary(FULL_SERVICE, "");
    router.reconcile(canary);
    awaitSynced();

    router.setRoutes(canary, new Routes(70, 30, false));

    // read at once (our own write) and once the watch delivered it
    assertThat(router.getRoutes(canary)).isEqualTo(new Routes(70, 30, false));
    String written = vs().getMetadata().getResourceVersion();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                objects.informers().stream()
                    .flatMap(i -> i.getStore().list().stream())
                    .anyMatch(o -> written.equals(o.getMetadata().getResourceVersion())));
    assertThat(router.getRoutes(canary)).isEqualTo(new Routes(70, 30, false));
    assertThat(objects.watched())
        .containsExactlyInAnyOrder(
            "networking.istio.io/v1beta1/virtualservices",
            "networking.istio.io/v1beta1/destinationrules");
  }

  @Test
  void aWeightChangeFromAStaleCopyIsRetriedFromAFreshRead() {
    IstioRouter router = router();
    Canary canary = canary(FULL_SERVICE, "");
    router.reconcile(canary);
    awaitSynced();
    // a copy with a version the API server never issued: the update from it is refused with 409
    GenericKubernetesResource stale = vs();
    long version = Long.parseLong(stale.getMetadata().getResourceVersion());
    stale.getMetadata().setResourceVersion(Long.toString(version + 1000));
    objects.wrote(IstioObjects.VIRTUAL_SERVICES, stale);

    router.setRoutes(canary, new Routes(60, 40, false));

    assertThat(new IstioRouter(client, () -> 0L).getRoutes(canary))
        .isEqualTo(new Routes(60, 40, false));
  }

  @Test
  void aChangeMadeByAnotherClientIsSeenOnceTheWatchDeliversIt() {
    IstioRouter router = router();
    Canary canary = canary(FULL_SERVICE, "");
    router.reconcile(canary);
    awaitSynced();
    IstioRouter direct = new IstioRouter(client, () -> 0L);

    direct.setRoutes(canary, new Routes(10, 90, false));

    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> router.getRoutes(canary).equals(new Routes(10, 90, false)));
  }
}
