package app.flagger.controller.bench;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.support.CanaryFixture;
import app.flagger.controller.support.Crds;
import app.flagger.model.canary.Canary;
import app.flagger.model.support.MockServerShutdown;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.time.Duration;
import java.util.HashMap;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KindShardsKubeTest {
  private KubernetesMockServer server;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), new KindShards(), false);
    server.init();
    client = server.createClient();
    Crds.register(client);
  }

  @AfterEach
  void stop() {
    client.close();
    MockServerShutdown.destroy(server::destroy);
  }

  @Test
  void eachKindIsReadWrittenAndWatchedFromItsOwnStore() {
    CanaryFixture fixture = new CanaryFixture(client);
    SharedIndexInformer<Canary> informer =
        client.resources(Canary.class).inNamespace(CanaryFixture.NS).inform();
    try {
      fixture.seed().create(CanaryFixture.spec("kubernetes", null));

      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> informer.getStore().list().size() == 1);
      assertThat(fixture.get()).isNotNull();
      assertThat(client.apps().deployments().inNamespace(CanaryFixture.NS).list().getItems())
          .extracting(d -> d.getMetadata().getName())
          .contains(CanaryFixture.NAME);
      assertThat(fixture.target()).isNotNull();
      assertThat(
              client
                  .configMaps()
                  .inNamespace(CanaryFixture.NS)
                  .withName("podinfo-config-env")
                  .get())
          .isNotNull();
    } finally {
      informer.stop();
    }
  }

  @Test
  void theResourceOfAPath() {
    assertThat(KindShards.plural("/api/v1/namespaces/bench/services/app-1")).isEqualTo("services");
    assertThat(KindShards.plural("/apis/flagger.app/v1beta1/canaries?watch=true"))
        .isEqualTo("canaries");
    assertThat(
            KindShards.plural("/apis/flagger.app/v1beta1/namespaces/bench/canaries/app-1/status"))
        .isEqualTo("canaries");
    assertThat(KindShards.plural("/api/v1/namespaces/bench")).isEqualTo("namespaces");
    assertThat(KindShards.plural("/apis/apiextensions.k8s.io/v1/customresourcedefinitions"))
        .isEqualTo("customresourcedefinitions");
    assertThat(KindShards.plural("/apis/networking.istio.io/v1beta1")).isEmpty();
  }
}
