package app.flagger.loadtester;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.loadtester.support.StubTarget;
import app.flagger.loadtester.support.TestServer;
import app.flagger.loadtester.support.TestServer.Reply;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Refused destinations and headers through the API: 400 naming the host or header. */
class DestinationsTest {
  private static TestServer server;
  private static TestServer narrowed;
  private static StubTarget target;

  @BeforeAll
  static void start() {
    server = TestServer.start(TestServer.config(Map.of()));
    narrowed =
        TestServer.start(
            TestServer.config(Map.of("destinations.allow", "*.svc.cluster.local,podinfo-*")));
    target = StubTarget.everyNthFails(1000);
  }

  @AfterAll
  static void stop() {
    server.close();
    narrowed.close();
    target.close();
  }

  private static Reply cmd(TestServer s, String cmd) {
    return s.post(
        "/",
        "{\"name\":\"podinfo\",\"namespace\":\"test\",\"metadata\":{\"cmd\":\""
            + cmd.replace("\"", "\\\"")
            + "\",\"blocking\":\"true\"}}");
  }

  private static void refused(Reply r, String start) {
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.body()).startsWith(start);
  }

  /** ghz and grpc_health_probe targets meet the same destination rules and limits. */
  @Test
  void grpcTargetsAreCheckedLikeLoadRuns() {
    refused(
        cmd(server, "ghz --insecure -n 10 169.254.169.254:50051"),
        "destination 169.254.169.254 refused: it is a cloud metadata endpoint");
    refused(
        cmd(server, "grpc_health_probe -addr=169.254.1.1:50051"),
        "destination 169.254.1.1 refused: it is a link-local address");
    Reply overLimit = cmd(server, "ghz --insecure -n 10 -c 2000 127.0.0.1:50051");
    assertThat(overLimit.status()).as(overLimit.body()).isEqualTo(400);
    assertThat(overLimit.body()).contains("1000");
  }

  @Test
  void metadataLinkLocalAndTheApiServerAreRefused() {
    refused(
        cmd(server, "hey -z 10s http://169.254.169.254/latest/meta-data/"),
        "destination 169.254.169.254 refused: it is a cloud metadata endpoint");
    refused(
        cmd(server, "wrk -d 10s http://169.254.1.1:8080/"),
        "destination 169.254.1.1 refused: it is a link-local address");
    refused(
        cmd(server, "hey -n 1 -c 1 http://[fd00:ec2::254]/"),
        "destination [fd00:ec2::254] refused: it is a cloud metadata endpoint");
    refused(
        cmd(server, "hey -n 1 -c 1 http://metadata.google.internal/computeMetadata/v1/"),
        "destination metadata.google.internal refused: it is a cloud metadata endpoint");
    refused(
        cmd(server, "hey -n 1 -c 1 https://kubernetes.default.svc/api"),
        "destination kubernetes.default.svc refused: it is the Kubernetes API server");
  }

  @Test
  void theLoadTestersOwnPortIsRefusedButOtherLoopbackPortsAreNot() {
    refused(
        cmd(server, "hey -n 1 -c 1 http://127.0.0.1:" + server.port() + "/gate/open"),
        "destination 127.0.0.1 refused: it is the load tester itself (port " + server.port() + ")");
    Reply ok = cmd(server, "hey -n 4 -c 1 " + target.uri("/"));
    assertThat(ok.status()).as(ok.body()).isEqualTo(200);
  }

  @Test
  void theAllowListNarrowsTheTargets() {
    refused(
        cmd(narrowed, "hey -n 4 -c 1 " + target.uri("/")),
        "destination 127.0.0.1 refused: it matches none of loadtester.destinations.allow");
  }

  @Test
  void framingHeadersAreRefusedByName() {
    refused(
        cmd(server, "hey -n 1 -c 1 -d x -H 'Content-Length: 100' " + target.uri("/")),
        "header Content-Length: refused");
    refused(
        cmd(server, "hey -n 1 -c 1 -H 'Transfer-Encoding: chunked' " + target.uri("/")),
        "header Transfer-Encoding: refused");
    refused(
        cmd(server, "hey -n 1 -c 1 -host kubernetes.default.svc " + target.uri("/")),
        "header Host: \"kubernetes.default.svc\" differs from the URL's host 127.0.0.1");
    Reply load =
        server.post(
            "/",
            "{\"name\":\"podinfo\",\"namespace\":\"test\",\"metadata\":{\"type\":\"load\",\"url\":\""
                + target.uri("/")
                + "\",\"requests\":\"1\",\"headers\":\"Upgrade: h2c\"}}");
    refused(load, "header Upgrade: refused");
  }
}
