package app.flagger.loadtester.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.loadtester.support.CountingApiServer;
import app.flagger.loadtester.support.TestServer;
import app.flagger.loadtester.support.TestServer.Reply;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Gates in a ConfigMap: durable, shared by replicas, read from a watch, bounded. */
class ConfigMapGateStoreKubeTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC);
  private static final String NS = "flagger-system";
  private static final String CM = "flagger-loadtester-gates";

  private CountingApiServer api;
  private KubernetesClient client;
  private final List<ConfigMapGateStore> stores = new ArrayList<>();

  @BeforeEach
  void startApi() {
    api = CountingApiServer.start();
    client = api.client();
  }

  @AfterEach
  void stopApi() {
    stores.forEach(ConfigMapGateStore::close);
    client.close();
    api.close();
  }

  private ConfigMapGateStore store(int max) {
    ConfigMapGateStore s = ConfigMapGateStore.start(client, NS, CM, CLOCK, max);
    stores.add(s);
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(s::watching);
    return s;
  }

  private ConfigMapGateStore store() {
    return store(GateStore.DEFAULT_MAX_GATES);
  }

  /** The gate ConfigMap as someone other than the store writes it. */
  private void createConfigMap(Map<String, String> data) {
    ConfigMap cm = new ConfigMapBuilder().withNewMetadata().withName(CM).endMetadata().build();
    cm.setData(data);
    client.configMaps().inNamespace(NS).resource(cm).create();
  }

  private ConfigMap configMap() {
    return client.configMaps().inNamespace(NS).withName(CM).get();
  }

  /** A gate opened before a restart is still open after it. */
  @Test
  void gatesSurviveARestart() {
    String body = "{\"name\":\"podinfo\",\"namespace\":\"test\"}";
    ConfigMapGateStore first = store();
    try (TestServer before = TestServer.start(TestServer.config(Map.of()), first)) {
      assertThat(before.post("/gate/open", body).status()).isEqualTo(202);
      assertThat(before.post("/rollback/open", body).status()).isEqualTo(202);
    }
    first.close();
    try (TestServer after = TestServer.start(TestServer.config(Map.of()), store())) {
      assertThat(after.post("/gate/check", body)).isEqualTo(new Reply(200, "Approved"));
      assertThat(after.post("/rollback/check", body)).isEqualTo(new Reply(200, "Approved"));
      assertThat(after.post("/gate/close", body).status()).isEqualTo(202);
      assertThat(after.post("/gate/check", body)).isEqualTo(new Reply(403, "Forbidden"));
      assertThat(after.post("/rollback/check", body)).isEqualTo(new Reply(200, "Approved"));
    }
  }

  /** What one replica opens, another sees through its watch. */
  @Test
  void replicasShareOneConfigMap() {
    ConfigMapGateStore a = store();
    ConfigMapGateStore b = store();
    a.open(GateKey.gate("test", "podinfo"));
    b.open(GateKey.rollback("test", "podinfo"));
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> a.isOpen(GateKey.rollback("test", "podinfo")));
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> b.isOpen(GateKey.gate("test", "podinfo")));
    assertThat(configMap().getData())
        .containsOnly(
            Map.entry("gate_test_podinfo", "2026-11-27T10:00:00Z"),
            Map.entry("rollback_test_podinfo", "2026-11-27T10:00:00Z"));
  }

  @Test
  void unknownGatesAreClosedAndClosingIsIdempotent() {
    ConfigMapGateStore s = store();
    assertThat(s.isOpen(GateKey.gate("here", "nothing"))).isFalse();
    s.close(GateKey.gate("here", "nothing"));
    assertThat(configMap()).isNull();
  }

  /**
   * Flagger's key for the rollback gate of {@code x} in {@code y} is {@code rollback.x.y}, which is
   * also the promotion gate of a canary named {@code rollback.x} in {@code y}; here they are two.
   */
  @Test
  void gateKeysOfDifferentCanariesNeverCollide() {
    ConfigMapGateStore s = store();
    s.open(GateKey.rollback("y", "x"));
    assertThat(s.isOpen(GateKey.gate("y", "rollback.x"))).isFalse();
    s.open(GateKey.gate("x", "rollback"));
    assertThat(s.isOpen(GateKey.rollback("x", "rollback"))).isFalse();
    assertThat(s.isOpen(GateKey.gate("rollback", "x"))).isFalse();
    assertThat(configMap().getData())
        .containsOnlyKeys("rollback_y_x", "gate_x_rollback")
        .allSatisfy((k, v) -> assertThat(GateKey.fromDataKey(k)).isPresent());
  }

  /** Checks read the watched copy: a thousand checks send no request to the API server. */
  @Test
  void checksReadTheWatchedCopyNotTheApiServer() {
    ConfigMapGateStore s = store();
    s.open(GateKey.gate("test", "podinfo"));
    int before = api.requests().size();
    for (int i = 0; i < 1000; i++) {
      assertThat(s.isOpen(GateKey.gate("test", "podinfo"))).isTrue();
      assertThat(s.isOpen(GateKey.gate("test", "other"))).isFalse();
    }
    assertThat(api.requests().subList(before, api.requests().size())).isEmpty();
  }

  /** An edit made outside the load tester (kubectl, another version) reaches the copy. */
  @Test
  void editsOfTheConfigMapReachTheCopy() {
    ConfigMapGateStore s = store();
    createConfigMap(Map.of("gate_test_podinfo", "2026-11-27T09:00:00Z"));
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> s.isOpen(GateKey.gate("test", "podinfo")));
    client.configMaps().inNamespace(NS).withName(CM).delete();
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !s.isOpen(GateKey.gate("test", "podinfo")));
  }

  /** A check right after an open sees it, without waiting for the watch. */
  @Test
  void anOpenIsVisibleToTheNextCheckAtOnce() {
    ConfigMapGateStore s = store();
    for (int i = 0; i < 20; i++) {
      GateKey key = GateKey.gate("test", "app-" + i);
      s.open(key);
      assertThat(s.isOpen(key)).as(key.toString()).isTrue();
      s.close(key);
      assertThat(s.isOpen(key)).as(key.toString()).isFalse();
    }
  }

  /** Past the bound, a new gate is refused with the bound named; open gates stay usable. */
  @Test
  void refusesToGrowPastTheBound() {
    ConfigMapGateStore s = store(3);
    for (int i = 0; i < 3; i++) {
      s.open(GateKey.gate("test", "app-" + i));
    }
    assertThatThrownBy(() -> s.open(GateKey.rollback("test", "app-0")))
        .isInstanceOf(GateStoreFullException.class)
        .hasMessageStartingWith("gate store full: 3 open gates is the limit (loadtester.gates.max)")
        .hasMessageContaining("rollback app-0.test was not opened");
    s.open(GateKey.gate("test", "app-1"));
    s.close(GateKey.gate("test", "app-2"));
    s.open(GateKey.rollback("test", "app-0"));
    assertThat(configMap().getData()).hasSize(3);
  }

  /** The bound counts what every replica opened, not only this one. */
  @Test
  void theBoundCountsGatesOpenedByOtherReplicas() {
    ConfigMapGateStore a = store(2);
    ConfigMapGateStore b = store(2);
    a.open(GateKey.gate("test", "one"));
    b.open(GateKey.gate("test", "two"));
    assertThatThrownBy(() -> a.open(GateKey.gate("test", "three")))
        .isInstanceOf(GateStoreFullException.class);
    assertThat(configMap().getData()).containsOnlyKeys("gate_test_one", "gate_test_two");
  }

  /** Long names fill the 1 MiB a ConfigMap holds before the count bound: refused, not a 422. */
  @Test
  void refusesToGrowPastTheConfigMapSizeLimit() {
    Map<String, String> data = new HashMap<>();
    String tail = "x".repeat(200);
    int bytes = 0;
    for (int i = 0; ; i++) {
      String key = "gate_test_" + i + "-" + tail;
      int entry = key.length() + "2026-11-27T10:00:00Z".length();
      if (bytes + entry > ConfigMapGateStore.MAX_CONFIGMAP_BYTES - 100) {
        break;
      }
      data.put(key, "2026-11-27T10:00:00Z");
      bytes += entry;
    }
    createConfigMap(data);
    ConfigMapGateStore s = store();
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> s.isOpen(GateKey.gate("test", "0-" + tail)));
    assertThatThrownBy(() -> s.open(GateKey.gate("test", "one-more-" + tail)))
        .isInstanceOf(GateStoreFullException.class)
        .hasMessageContaining("over the 1 MiB (1048576 bytes) a ConfigMap may hold");
  }
}
