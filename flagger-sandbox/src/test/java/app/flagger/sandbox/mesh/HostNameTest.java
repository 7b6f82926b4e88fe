package app.flagger.sandbox.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Service host names as callers in a cluster write them. */
class HostNameTest {

  @ParameterizedTest
  @CsvSource({
    "podinfo-canary.test:9898, podinfo-canary, test",
    "podinfo.test, podinfo, test",
    "podinfo.test.svc, podinfo, test",
    "podinfo.test.svc.cluster.local:80, podinfo, test",
    "PODINFO.Test.svc.cluster.local., podinfo, test",
    "podinfo, podinfo, default",
  })
  void parsesClusterNames(String authority, String service, String namespace) {
    HostName h = HostName.parse(authority, "default").orElseThrow();
    assertThat(h.service()).isEqualTo(service);
    assertThat(h.namespace()).isEqualTo(namespace);
    assertThat(h.fqdn()).isEqualTo(service + "." + namespace + ".svc.cluster.local");
  }

  @ParameterizedTest
  @CsvSource({"app.example.com", "www.example.com:80", "[::1]:80"})
  void otherNamesAreNotServices(String authority) {
    assertThat(HostName.parse(authority, "default")).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
    "127.0.0.1:8080, 8080",
    "localhost:9090, 9090",
    "localhost, 0",
    "podinfo.test:9898, -1",
  })
  void knowsLoopbackAuthorities(String authority, int port) {
    assertThat(MeshHandler.loopbackPort(authority)).isEqualTo(port);
  }
}
