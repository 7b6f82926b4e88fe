package app.flagger.loadtester.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.loadtester.support.TestServer;
import app.flagger.loadtester.support.TestServer.Reply;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Gate keys, names and the store's bound as the HTTP API shows them. */
class GateServiceTest {
  private static String payload(String name, String namespace) {
    return "{\"name\":\"" + name + "\",\"namespace\":\"" + namespace + "\"}";
  }

  /** {@code rollback.x} is both Flagger's rollback key of x and the gate of a canary "rollback". */
  @Test
  void aCanaryNamedRollbackDoesNotShareAGateWithTheRollbackGateOfAnother() {
    try (TestServer server = TestServer.start(TestServer.config(Map.of()))) {
      assertThat(server.post("/gate/open", payload("rollback", "x")).status()).isEqualTo(202);
      assertThat(server.post("/rollback/check", payload("x", "x")))
          .isEqualTo(new Reply(403, "Forbidden"));
      assertThat(server.post("/rollback/open", payload("podinfo", "test")).status()).isEqualTo(202);
      assertThat(server.post("/gate/check", payload("rollback.podinfo", "test")))
          .isEqualTo(new Reply(403, "Forbidden"));
      assertThat(server.post("/gate/check", payload("rollback", "x")))
          .isEqualTo(new Reply(200, "Approved"));
    }
  }

  @Test
  void namesThatAreNotKubernetesNamesAre400() {
    try (TestServer server = TestServer.start(TestServer.config(Map.of()))) {
      assertThat(server.post("/gate/open", payload("pod_info", "test")))
          .isEqualTo(
              new Reply(
                  400,
                  "name: expected a Kubernetes object name (lowercase letters, digits, '-' and"
                      + " '.', at most 253 characters), got 'pod_info'"));
      assertThat(server.post("/rollback/check", payload("podinfo", "te.st")))
          .isEqualTo(
              new Reply(
                  400,
                  "namespace: expected a Kubernetes namespace name (lowercase letters, digits and"
                      + " '-', at most 63 characters), got 'te.st'"));
    }
  }

  /** A full store answers 507 naming the bound; re-opening, closing and checking still work. */
  @Test
  void aFullStoreAnswers507NamingTheBound() {
    try (TestServer server =
        TestServer.start(TestServer.config(Map.of()), new InMemoryGateStore(2))) {
      assertThat(server.post("/gate/open", payload("a", "test")).status()).isEqualTo(202);
      assertThat(server.post("/rollback/open", payload("a", "test")).status()).isEqualTo(202);
      Reply full = server.post("/gate/open", payload("b", "test"));
      assertThat(full.status()).isEqualTo(507);
      assertThat(full.body())
          .startsWith("gate store full: 2 open gates is the limit (loadtester.gates.max); b.test")
          .contains("raise loadtester.gates.max");
      assertThat(server.post("/gate/open", payload("a", "test")).status()).isEqualTo(202);
      assertThat(server.post("/gate/check", payload("b", "test")).status()).isEqualTo(403);
      assertThat(server.post("/gate/close", payload("a", "test")).status()).isEqualTo(202);
      assertThat(server.post("/gate/open", payload("b", "test")).status()).isEqualTo(202);
    }
  }

  @Test
  void dataKeysReadBackToTheSameGate() {
    GateKey dotted = GateKey.gate("test", "rollback.podinfo");
    assertThat(dotted.dataKey()).isEqualTo("gate_test_rollback.podinfo");
    assertThat(GateKey.fromDataKey(dotted.dataKey())).contains(dotted);
    assertThat(GateKey.fromDataKey("rollback_test_podinfo"))
        .contains(GateKey.rollback("test", "podinfo"));
    // Flagger's keys, and anything else, are no gate of this store
    assertThat(GateKey.fromDataKey("podinfo.test")).isEmpty();
    assertThat(GateKey.fromDataKey("rollback.podinfo.test")).isEmpty();
    assertThat(GateKey.fromDataKey("other_test_podinfo")).isEmpty();
    assertThat(GateKey.fromDataKey("gate_test_pod_info")).isEmpty();
  }

  @Test
  void keysLongerThanAConfigMapKeyAreRefused() {
    String name = "a".repeat(240);
    assertThatThrownBy(() -> GateKey.rollback("test", name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("over the 253 a ConfigMap key may have");
  }
}
