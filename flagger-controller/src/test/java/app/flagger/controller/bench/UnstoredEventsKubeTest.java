package app.flagger.controller.bench;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.model.support.MockServerShutdown;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.util.HashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UnstoredEventsKubeTest {
  private KubernetesMockServer server;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new UnstoredEvents(new KubernetesCrudDispatcher()),
            false);
    server.init();
    client = server.createClient();
  }

  @AfterEach
  void stop() {
    client.close();
    MockServerShutdown.destroy(server::destroy);
  }

  @Test
  void eventsAreAnsweredButNotStoredWhileOtherObjectsAre() {
    Event sent =
        new EventBuilder()
            .withNewMetadata()
            .withName("podinfo.1")
            .endMetadata()
            .withReason("Synced")
            .withMessage("Advance podinfo.test canary weight 10")
            .withCount(1)
            .build();

    Event created = client.v1().events().inNamespace("test").resource(sent).create();
    Event patched =
        client
            .v1()
            .events()
            .inNamespace("test")
            .resource(created)
            .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"count\":2}");
    client
        .configMaps()
        .inNamespace("test")
        .resource(new ConfigMapBuilder().withNewMetadata().withName("kept").endMetadata().build())
        .create();

    assertThat(created.getMetadata().getName()).isEqualTo("podinfo.1");
    assertThat(created.getMetadata().getNamespace()).isEqualTo("test");
    assertThat(created.getMetadata().getResourceVersion()).isNotBlank();
    assertThat(created.getMessage()).isEqualTo("Advance podinfo.test canary weight 10");
    assertThat(patched.getMetadata().getName()).isEqualTo("podinfo.1");
    assertThat(client.v1().events().inNamespace("test").list().getItems()).isEmpty();
    assertThat(client.configMaps().inNamespace("test").withName("kept").get()).isNotNull();
  }
}
