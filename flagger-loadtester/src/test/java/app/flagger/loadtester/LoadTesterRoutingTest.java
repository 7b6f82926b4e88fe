package app.flagger.loadtester;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.loadtester.support.StubTarget;
import app.flagger.loadtester.support.TestServer;
import app.flagger.loadtester.support.TestServer.Reply;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every endpoint of Flagger's load tester API with its status codes and bodies. */
class LoadTesterRoutingTest {
  private static final String PODINFO = "{\"name\":\"podinfo\",\"namespace\":\"test\"}";
  private static TestServer server;
  private static StubTarget failing;

  @BeforeAll
  static void start() {
    server = TestServer.start(TestServer.config(Map.of("namespace-regexp", "^(test|dev)$")));
    failing = new StubTarget(i -> i % 2 == 0 ? 500 : 200);
  }

  @AfterAll
  static void stop() {
    server.close();
    failing.close();
  }

  private static String task(String name, String metadataJson) {
    return "{\"name\":\""
        + name
        + "\",\"namespace\":\"test\",\"phase\":\"Progressing\","
        + "\"checksum\":\"7c9f5d\",\"metadata\":"
        + metadataJson
        + "}";
  }

  @Test
  void healthz() {
    assertThat(server.get("/healthz")).isEqualTo(new Reply(200, "OK"));
  }

  @Test
  void approveAndHaltGates() {
    assertThat(server.post("/gate/approve", PODINFO)).isEqualTo(new Reply(200, "OK"));
    assertThat(server.post("/gate/halt", PODINFO)).isEqualTo(new Reply(403, "Forbidden"));
  }

  @Test
  void promotionGateOpensAndCloses() {
    String body = "{\"name\":\"gated\",\"namespace\":\"test\"}";
    assertThat(server.post("/gate/check", body)).isEqualTo(new Reply(403, "Forbidden"));
    assertThat(server.post("/gate/open", body)).isEqualTo(new Reply(202, ""));
    assertThat(server.post("/gate/check", body)).isEqualTo(new Reply(200, "Approved"));
    assertThat(server.post("/rollback/check", body)).isEqualTo(new Reply(403, "Forbidden"));
    assertThat(server.post("/gate/close", body)).isEqualTo(new Reply(202, ""));
    assertThat(server.post("/gate/check", body)).isEqualTo(new Reply(403, "Forbidden"));
  }

  @Test
  void rollbackGateOpensAndCloses() {
    String body = "{\"name\":\"rb\",\"namespace\":\"dev\"}";
    assertThat(server.post("/rollback/check", body)).isEqualTo(new Reply(403, "Forbidden"));
    assertThat(server.post("/rollback/open", body)).isEqualTo(new Reply(202, ""));
    assertThat(server.post("/rollback/check", body)).isEqualTo(new Reply(200, "Approved"));
    assertThat(server.post("/gate/check", body)).isEqualTo(new Reply(403, "Forbidden"));
    assertThat(server.post("/rollback/close", body)).isEqualTo(new Reply(202, ""));
    assertThat(server.post("/rollback/check", body)).isEqualTo(new Reply(403, "Forbidden"));
  }

  @Test
  void namespaceRegexpRefusesOtherNamespaces() {
    String prod = "{\"name\":\"podinfo\",\"namespace\":\"prod\"}";
    assertThat(server.post("/gate/open", prod)).isEqualTo(new Reply(403, "Forbidden"));
    assertThat(
            server.post("/", prod.replace("}", ",\"metadata\":{\"cmd\":\"hey -z 1s http://x/\"}}")))
        .isEqualTo(new Reply(403, "Forbidden"));
  }

  @Test
  void badPayloadsAre400() {
    assertThat(server.post("/gate/open", "{not json").status()).isEqualTo(400);
    assertThat(server.post("/gate/check", "").body()).contains("request body is empty");
    assertThat(server.post("/", "{\"namespace\":\"test\"}"))
        .isEqualTo(new Reply(400, "name: required, must be a non-empty string"));
    assertThat(server.post("/", PODINFO))
        .isEqualTo(new Reply(400, "metadata not found in payload"));
    assertThat(server.post("/", task("podinfo", "{\"type\":\"tester\",\"cmd\":\"x\"}")))
        .isEqualTo(new Reply(400, "unknown task type tester"));
    Reply badHey =
        server.post("/", task("podinfo", "{\"cmd\":\"hey -z 1fortnight -c 2 http://x/\"}"));
    assertThat(badHey.status()).isEqualTo(400);
    assertThat(badHey.body()).contains("invalid value \"1fortnight\" for flag -z");
    assertThat(
            server
                .post("/", task("podinfo", "{\"cmd\":\"hey -z 1m -c 2 http://x/\",\"type\":7}"))
                .body())
        .contains("metadata.type: must be a string");
    assertThat(server.get("/healthz").status()).isEqualTo(200);
  }

  /** The payload byte for byte as Flagger's rollout webhook posts it. */
  @Test
  void acceptsARolloutWebhookExactlyAsFlaggerSendsIt() {
    String flagger =
        "{\"name\":\"podinfo\",\"namespace\":\"test\",\"phase\":\"Progressing\",\"checksum\":\"5d8f7b6c9d\","
            + "\"metadata\":{\"cmd\":\"hey -z 1m -q 10 -c 2 http://127.0.0.1:9/\",\"type\":\"cmd\"}}";
    assertThat(server.post("/", flagger)).isEqualTo(new Reply(202, ""));
    // the same canary and command again: deduplicated, still 202 as in Flagger
    assertThat(server.post("/", flagger)).isEqualTo(new Reply(202, ""));
  }

  @Test
  void refusedExternalCommandIs403WithTheSetting() {
    Reply r =
        server.post(
            "/", task("podinfo", "{\"type\":\"bash\",\"cmd\":\"wget -qO- http://x | grep ok\"}"));
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.body()).contains("loadtester.commands.bash.enabled=true");
    Reply kubectl =
        server.post("/", task("podinfo", "{\"type\":\"kubectl\",\"cmd\":\"get pods\"}"));
    assertThat(kubectl.status()).isEqualTo(403);
    assertThat(kubectl.body()).contains("loadtester.commands.enabled=true");
    Reply ngrinder =
        server.post(
            "/",
            task(
                "podinfo",
                "{\"type\":\"ngrinder\",\"server\":\"http://ngrinder:8080\",\"clone\":\"1\","
                    + "\"username\":\"admin\",\"passwd\":\"YWRtaW4=\"}"));
    assertThat(ngrinder.status()).isEqualTo(403);
    assertThat(ngrinder.body()).contains("loadtester.ngrinder.servers");
  }

  /** A blocking load check whose criteria fail halts the canary with the reason. */
  @Test
  void failingLoadCheckAnswersNon2xxWithTheReason() {
    String md =
        "{\"type\":\"load\",\"url\":\""
            + failing.uri("/")
            + "\",\"requests\":\"40\","
            + "\"concurrency\":\"2\",\"maxErrorRate\":\"1\"}";
    Reply r = server.post("/", task("podinfo", md));
    assertThat(r.status()).as(r.body()).isEqualTo(412);
    assertThat(r.body())
        .isEqualTo(
            "load check failed for podinfo.test: error rate 50.00% (20 of 40 failed) is above maxErrorRate 1%");
  }

  @Test
  void passingLoadCheckReturnsTheReportWhenAsked() {
    String md =
        "{\"type\":\"load\",\"url\":\""
            + failing.uri("/")
            + "\",\"requests\":\"10\","
            + "\"concurrency\":\"1\",\"minRequests\":\"10\",\"returnCmdOutput\":\"true\"}";
    Reply r = server.post("/", task("reporter", md));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).contains("Summary:", "Status code distribution:", "[500]\t5 responses");
  }

  /** Start the service, run a load task, scrape /metrics. */
  @Test
  void exposesLoadResultsAtMetrics() {
    String md =
        "{\"type\":\"load\",\"url\":\""
            + failing.uri("/")
            + "\",\"requests\":\"20\","
            + "\"concurrency\":\"2\"}";
    Reply r = server.post("/", task("scraped", md));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    String metrics = server.get("/metrics").body();
    assertThat(metrics)
        .contains("flagger_loadtester_requests_total{canary=\"scraped.test\",code=\"500\"")
        .contains("flagger_loadtester_requests_total{canary=\"scraped.test\",code=\"200\"")
        .contains("flagger_loadtester_request_duration_seconds_bucket{canary=\"scraped.test\"")
        .contains("flagger_loadtester_request_duration_seconds_count{canary=\"scraped.test\"");
  }
}
