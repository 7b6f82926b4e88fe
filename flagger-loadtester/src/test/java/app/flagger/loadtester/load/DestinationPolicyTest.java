package app.flagger.loadtester.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Refused destinations, with a made-up resolver, own addresses and API server. */
class DestinationPolicyTest {
  private static final int OWN_PORT = 8080;
  private static final Set<String> POD_IPS = Set.of("10.1.2.3", "fd00:10::3");

  /** Names resolve from the map, literals parse; each lookup is recorded. */
  private final List<String> lookups = new ArrayList<>();

  private final Map<String, List<String>> dns =
      Map.of(
          "podinfo-canary.test", List.of("10.0.0.7"),
          "kubernetes.default.svc", List.of("10.96.0.1"),
          "imds.attacker.example", List.of("169.254.169.254"),
          "api.attacker.example", List.of("10.96.0.1"),
          "mixed.attacker.example", List.of("10.0.0.8", "169.254.169.254"),
          "metadata.google.internal", List.of("10.0.0.9"),
          "self.test", List.of("10.1.2.3"));

  private InetAddress[] resolve(String host) throws UnknownHostException {
    lookups.add(host);
    List<String> addresses = dns.get(host);
    if (addresses == null) {
      if (!host.matches("[0-9.]+|[0-9a-f:.]*:[0-9a-f:.]*")) {
        throw new UnknownHostException(host);
      }
      return new InetAddress[] {literal(host)};
    }
    List<InetAddress> out = new ArrayList<>();
    for (String a : addresses) {
      out.add(InetAddress.getByAddress(host, literal(a).getAddress()));
    }
    return out.toArray(InetAddress[]::new);
  }

  /** An IP literal, parsed without any lookup. */
  private static InetAddress literal(String ip) throws UnknownHostException {
    return InetAddress.getByName(ip);
  }

  private DestinationPolicy policy(List<String> allow, List<String> virtualHosts) {
    return new DestinationPolicy(
        allow,
        virtualHosts,
        this::resolve,
        a -> a.isLoopbackAddress() || POD_IPS.contains(a.getHostAddress()),
        () -> OWN_PORT,
        Optional.of("10.96.0.1"));
  }

  private final DestinationPolicy policy = policy(List.of(), List.of());

  /** {@code target} is the host, optionally followed by the refused address in parentheses. */
  private void refused(String target, int port, String why) {
    String host = target.replaceFirst(" \\(.*\\)$", "");
    assertThatThrownBy(() -> policy.check(host, port))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("destination " + target + " refused: " + why);
  }

  @Test
  void linkLocalAddressesAreRefused() {
    refused("169.254.10.1", 80, "it is a link-local address");
    refused("[fe80::1]", 80, "it is a link-local address");
  }

  @Test
  void cloudMetadataIsRefusedByAddressAndName() {
    refused("169.254.169.254", 80, "it is a cloud metadata endpoint");
    refused("[fd00:ec2::254]", 80, "it is a cloud metadata endpoint");
    refused("100.100.100.200", 80, "it is a cloud metadata endpoint");
    // by name, whatever it resolves to, and without a lookup
    refused("metadata.google.internal", 80, "it is a cloud metadata endpoint");
    refused("Metadata.Google.Internal.", 80, "it is a cloud metadata endpoint");
    assertThat(lookups).doesNotContain("metadata.google.internal");
    // a name that resolves to the metadata address
    refused("imds.attacker.example (169.254.169.254)", 80, "it is a cloud metadata endpoint");
    // the IPv4 address inside a NAT64 or IPv4-compatible IPv6 address
    refused("[64:ff9b::a9fe:a9fe]", 80, "it is a cloud metadata endpoint");
    refused("[::169.254.169.254]", 80, "it is a cloud metadata endpoint");
  }

  @Test
  void theKubernetesApiServerIsRefusedByNameAndAddress() {
    refused("kubernetes.default.svc", 443, "it is the Kubernetes API server");
    refused("kubernetes.default.svc.cluster.local", 443, "it is the Kubernetes API server");
    refused("kubernetes", 443, "it is the Kubernetes API server");
    // KUBERNETES_SERVICE_HOST, on any port
    refused("10.96.0.1", 443, "it is the Kubernetes API server");
    refused("10.96.0.1", 80, "it is the Kubernetes API server");
    // a name that resolves to the API server's address
    refused("api.attacker.example (10.96.0.1)", 443, "it is the Kubernetes API server");
  }

  @Test
  void theLoadTestersOwnPortIsRefusedOnItsOwnAddressesOnly() {
    refused("127.0.0.1", OWN_PORT, "it is the load tester itself (port 8080)");
    refused("10.1.2.3", OWN_PORT, "it is the load tester itself (port 8080)");
    refused("self.test (10.1.2.3)", OWN_PORT, "it is the load tester itself (port 8080)");
    refused("[::1]", OWN_PORT, "it is the load tester itself (port 8080)");
    // loopback on another port stays allowed: local test servers, sidecars
    assertThat(policy.check("127.0.0.1", 9898).getHostAddress()).isEqualTo("127.0.0.1");
    // another pod on the same port is not the load tester
    assertThat(policy.check("podinfo-canary.test", OWN_PORT).getHostAddress())
        .isEqualTo("10.0.0.7");
  }

  @Test
  void everyAddressOfAHostIsCheckedAndTheFirstIsReturned() {
    refused("mixed.attacker.example (169.254.169.254)", 80, "it is a cloud metadata endpoint");
    InetAddress a = policy.check("podinfo-canary.test", 9898);
    assertThat(a.getHostAddress()).isEqualTo("10.0.0.7");
    assertThat(lookups.stream().filter("podinfo-canary.test"::equals)).hasSize(1);
  }

  @Test
  void unknownHostsAreRefused() {
    assertThatThrownBy(() -> policy.check("no-such-host.test", 80))
        .hasMessage("destination no-such-host.test: no such host");
  }

  @Test
  void theAllowListNarrowsTheTargets() {
    DestinationPolicy narrow =
        policy(List.of("*.svc.cluster.local", "podinfo-canary.*"), List.of());
    assertThat(narrow.check("podinfo-canary.test", 9898).getHostAddress()).isEqualTo("10.0.0.7");
    assertThatThrownBy(() -> narrow.check("10.0.0.7", 9898))
        .hasMessageContaining(
            "destination 10.0.0.7 refused: it matches none of loadtester.destinations.allow"
                + " [*.svc.cluster.local, podinfo-canary.*]");
    assertThatThrownBy(() -> narrow.check("podinfo.test", 9898))
        .hasMessageContaining("matches none of loadtester.destinations.allow");
    // allowed names are still checked for what they resolve to
    DestinationPolicy wide = policy(List.of("*.attacker.example"), List.of());
    assertThatThrownBy(() -> wide.check("imds.attacker.example", 80))
        .hasMessageContaining("it is a cloud metadata endpoint");
  }

  @Test
  void virtualHostsMatchTheirPatterns() {
    DestinationPolicy p = policy(List.of(), List.of("app.example.com", "*.example.org"));
    assertThat(p.virtualHostAllowed("app.example.com")).isTrue();
    assertThat(p.virtualHostAllowed("App.Example.com:8080")).isTrue();
    assertThat(p.virtualHostAllowed("www.example.org")).isTrue();
    assertThat(p.virtualHostAllowed("kubernetes.default.svc")).isFalse();
  }
}
