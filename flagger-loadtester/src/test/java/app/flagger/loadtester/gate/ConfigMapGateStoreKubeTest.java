package app.flagger.loadtester.gate;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.loadtester.support.TestServer;
import app.flagger.loadtester.support.TestServer.Reply;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class ConfigMapGateStoreKubeTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC);
  KubernetesClient client;

  private ConfigMapGateStore store() {
    return new ConfigMapGateStore(client, "flagger-system", "flagger-loadtester-gates", CLOCK);
  }

  /** A gate opened before a restart is still open after it. */
  @Test
  void gatesSurviveARestart() {
    String body = "{\"name\":\"podinfo\",\"namespace\":\"test\"}";
    try (TestServer before = TestServer.start(TestServer.config(Map.of()), store())) {
      assertThat(before.post("/gate/open", body).status()).isEqualTo(202);
      assertThat(before.post("/rollback/open", body).status()).isEqualTo(202);
    }
    try (TestServer after = TestServer.start(TestServer.config(Map.of()), store())) {
      assertThat(after.post("/gate/check", body)).isEqualTo(new Reply(200, "Approved"));
      assertThat(after.post("/rollback/check", body)).isEqualTo(new Reply(200, "Approved"));
      assertThat(after.post("/gate/close", body).status()).isEqualTo(202);
      assertThat(after.post("/gate/check", body)).isEqualTo(new Reply(403, "Forbidden"));
      assertThat(after.post("/rollback/check", body)).isEqualTo(new Reply(200, "Approved"));
    }
  }

  @Test
  void replicasShareOneConfigMap() {
    ConfigMapGateStore a = store();
    ConfigMapGateStore b = store();
    a.open(GateStore.gateKey("podinfo", "test"));
    b.open(GateStore.rollbackKey("podinfo", "test"));
    assertThat(b.isOpen("podinfo.test")).isTrue();
    assertThat(a.isOpen("rollback.podinfo.test")).isTrue();
    ConfigMap cm =
        client
            .configMaps()
            .inNamespace("flagger-system")
            .withName("flagger-loadtester-gates")
            .get();
    assertThat(cm.getData())
        .containsEntry("podinfo.test", "2026-11-27T10:00:00Z")
        .containsEntry("rollback.podinfo.test", "2026-11-27T10:00:00Z");
  }

  @Test
  void unknownGatesAreClosedAndClosingIsIdempotent() {
    ConfigMapGateStore s = store();
    assertThat(s.isOpen("nothing.here")).isFalse();
    s.close("nothing.here");
    assertThat(
            client
                .configMaps()
                .inNamespace("flagger-system")
                .withName("flagger-loadtester-gates")
                .get())
        .isNull();
  }
}
