package app.flagger.controller.leader;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.StandardHttpRequest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which requests the fence lets through while this replica leads and while it does not. */
class WriteFenceTest {
  static final String CANARY =
      "https://api:6443/apis/flagger.app/v1beta1/namespaces/default/canaries/podinfo";
  static final String LEASE =
      "https://api:6443/apis/coordination.k8s.io/v1/namespaces/default/leases/"
          + LeaderElection.LEASE_NAME;

  final Leadership leadership = new Leadership();
  final WriteFence fence = new WriteFence(leadership);

  static HttpRequest request(String method, String uri) {
    return new StandardHttpRequest(Map.of(), java.net.URI.create(uri), method, "{}");
  }

  void send(HttpRequest r) {
    fence.before(null, r, null);
  }

  @Test
  void aLeaderWrites() {
    leadership.acquired();
    for (String method : new String[] {"POST", "PUT", "PATCH", "DELETE"}) {
      assertThatCode(() -> send(request(method, CANARY))).doesNotThrowAnyException();
    }
  }

  @Test
  void aReplicaThatDoesNotLeadOnlyReads() {
    for (String method : new String[] {"POST", "PUT", "PATCH", "DELETE"}) {
      assertThatThrownBy(() -> send(request(method, CANARY + "/status")))
          .isInstanceOf(NotLeaderException.class)
          .isInstanceOf(KubernetesClientException.class)
          .hasMessage(
              "not the leader: refusing "
                  + method
                  + " /apis/flagger.app/v1beta1/namespaces/default/canaries/podinfo/status"
                  + " (the Lease is held elsewhere)");
    }
    assertThatCode(() -> send(request("GET", CANARY))).doesNotThrowAnyException();
  }

  @Test
  void theLeaseItselfIsNeverFenced() {
    assertThatCode(() -> send(request("PUT", LEASE))).doesNotThrowAnyException();
    assertThatCode(() -> send(request("POST", LEASE))).doesNotThrowAnyException();
  }

  /** fabric8 runs a retry on its own scheduler, where a refusal would leave the caller waiting. */
  @Test
  void aRetryOfAWriteSentWhileLeadingPasses() {
    leadership.acquired();
    HttpRequest sent = request("PATCH", CANARY);
    send(sent);
    leadership.lost();
    assertThatCode(() -> send(sent)).doesNotThrowAnyException();
    assertThatThrownBy(() -> send(request("PATCH", CANARY))).isInstanceOf(NotLeaderException.class);
  }
}
