package app.flagger.sandbox.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.flagger.controller.events.CanaryEvent;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.support.RepoRoot;
import app.flagger.sandbox.Footprint;
import app.flagger.sandbox.SandboxStack;
import app.flagger.sandbox.Story;
import app.flagger.sandbox.prometheus.SandboxPrometheus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The sandbox's scenarios end to end, on one sandbox with the real Prometheus: in namespace {@code
 * test} the Istio canary of the demo (a good release promoted, then a faulty one rolled back), in
 * {@code bluegreen} the Kubernetes blue/green example behind a manual gate, in {@code ab} the Istio
 * A/B example (cookie match). The three namespaces run at the same time; each test waits for its
 * own outcome and asserts events, phases, weights, Prometheus series, event-webhook payloads and
 * the load tester's traffic. Every panel query of the Istio and controller dashboards must then
 * return data.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SandboxE2ETest {
  static final String GOOD = "ghcr.io/stefanprodan/podinfo:6.0.1";
  static final String FAULTY = "ghcr.io/stefanprodan/podinfo:6.0.2";
  private static final Path ROOT = RepoRoot.find();
  private static final Duration LONG = Duration.ofMinutes(5);

  private final List<CanaryEvent> events = new CopyOnWriteArrayList<>();
  private final Footprint footprint = new Footprint();
  private Instant started;
  private SandboxStack stack;
  private Story story;
  private SandboxPrometheus prometheus;
  private ScenarioChecks checks;
  private final HttpClient http =
      HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();

  @BeforeAll
  void startSandboxAndReleases() throws Exception {
    Clock clock = Clock.systemUTC();
    started = clock.instant();
    footprint.start();
    stack =
        ScenarioChecks.startStack(
            ROOT, Path.of("target/e2e-sandbox").toAbsolutePath(), 7, events::add, clock);
    prometheus = stack.sandbox().prometheus().orElseThrow();
    story = new Story(stack, ROOT, clock);
    checks = new ScenarioChecks(stack, story);
    story.install("test", "canary-istio.yaml", Map.of("interval", "10s", "threshold", 3));
    story.install(
        "bluegreen",
        "canary-kubernetes-bluegreen.yaml",
        Map.of("interval", "10s", "threshold", 3, "iterations", 3));
    story.install(
        "ab", "canary-istio-ab.yaml", Map.of("interval", "10s", "threshold", 3, "iterations", 3));
    for (String ns : List.of("test", "bluegreen", "ab")) {
      story.awaitPhase(ns, LONG, CanaryPhase.INITIALIZED);
    }
    story.release("test", GOOD, Map.of());
    story.release("ab", GOOD, Map.of());
    story.release("bluegreen", GOOD, Map.of());
    // the blue/green example waits for a manual gate: the rollout halts until it is opened
    story.awaitPhase("bluegreen", LONG, CanaryPhase.WAITING);
    HttpResponse<String> opened =
        http.send(
            HttpRequest.newBuilder(URI.create(stack.loadTester().url() + "/gate/open"))
                .header("Authorization", stack.loadTester().authorization())
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"podinfo\",\"namespace\":\"bluegreen\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(opened.statusCode()).isEqualTo(202);
  }

  @AfterAll
  void stop() {
    footprint.sample();
    footprint.close();
    if (stack != null) {
      stack.close();
    }
    http.close();
    ScenarioChecks.report("e2e", started, footprint);
  }

  @Test
  @Order(1)
  void aGoodReleaseIsAnalysedOnRealMetricsAndPromoted() throws Exception {
    assertThat(story.awaitPhase("test", LONG, CanaryPhase.SUCCEEDED, CanaryPhase.FAILED))
        .as("phase after release 1; messages: %s", messages("podinfo.test"))
        .isEqualTo(CanaryPhase.SUCCEEDED);
    assertThat(messages("podinfo.test"))
        .containsSubsequence(
            "Initialization done! podinfo.test",
            "New revision detected! Scaling up podinfo.test",
            "Starting canary analysis for podinfo.test",
            "Pre-rollout check acceptance-test passed",
            "Advance podinfo.test canary weight 10",
            "Advance podinfo.test canary weight 20",
            "Advance podinfo.test canary weight 30",
            "Advance podinfo.test canary weight 40",
            "Advance podinfo.test canary weight 50",
            "Copying podinfo.test template spec to podinfo-primary.test",
            "Routing all traffic to primary",
            "Promotion completed! Scaling down podinfo.test");
    assertThat(story.canary("test").getStatus().canaryWeightOrZero()).isZero();
    assertThat(checks.vsWeights("test"))
        .isEqualTo(Map.of("podinfo-primary", 100, "podinfo-canary", 0));
    assertThat(checks.image("test", "podinfo-primary")).isEqualTo(GOOD);
    checks.awaitValue("flagger_canary_status{namespace=\"test\",name=\"podinfo\"}", 1);
    checks.awaitValue(
        "flagger_canary_weight{namespace=\"test\",workload=\"podinfo-primary\"}", 100);
    checks.awaitValue("flagger_canary_weight{namespace=\"test\",workload=\"podinfo\"}", 0);
    assertThat(checks.webhookMessages("test"))
        .containsSubsequence(
            "New revision detected! Scaling up podinfo.test",
            "Advance podinfo.test canary weight 10",
            "Promotion completed! Scaling down podinfo.test");
    checks.awaitPositive(
        "sum(flagger_loadtester_requests_total{canary=\"podinfo.test\",code=\"200\"})");
    // the load test went through the mesh as the flagger-loadtester workload, both reporters
    checks.awaitPositive(
        "sum(istio_requests_total{reporter=\"source\",source_workload=\"flagger-loadtester\","
            + "destination_workload=\"podinfo\",destination_workload_namespace=\"test\"})");
  }

  @Test
  @Order(2)
  void aFaultyReleaseIsHaltedAndRolledBack() throws Exception {
    story.awaitPhase("test", LONG, CanaryPhase.SUCCEEDED);
    int before = events.size();
    story.release("test", FAULTY, Map.of("ERROR_RATE", "0.2", "RANDOM_SEED", "7"));
    story.awaitPhase("test", LONG, CanaryPhase.PROGRESSING, CanaryPhase.FAILED);
    assertThat(story.awaitPhase("test", LONG, CanaryPhase.SUCCEEDED, CanaryPhase.FAILED))
        .as("phase after release 2; messages: %s", messages("podinfo.test"))
        .isEqualTo(CanaryPhase.FAILED);
    List<String> release2 = messages("podinfo.test").subList(countBefore(before), messagesCount());
    assertThat(release2)
        .containsSubsequence(
            "New revision detected! Scaling up podinfo.test",
            "Starting canary analysis for podinfo.test",
            "Advance podinfo.test canary weight 10",
            "Rolling back podinfo.test failed checks threshold reached 3",
            "Canary failed! Scaling down podinfo.test");
    assertThat(release2)
        .anyMatch(
            m -> m.matches("Halt podinfo\\.test advancement success rate \\d+\\.\\d\\d% < 99%"));
    assertThat(story.canary("test").getStatus().canaryWeightOrZero()).isZero();
    assertThat(checks.vsWeights("test"))
        .isEqualTo(Map.of("podinfo-primary", 100, "podinfo-canary", 0));
    assertThat(checks.image("test", "podinfo-primary"))
        .as("the primary keeps release 1")
        .isEqualTo(GOOD);
    assertThat(story.deployment("test", "podinfo").getSpec().getReplicas()).isZero();
    checks.awaitValue("flagger_canary_status{namespace=\"test\",name=\"podinfo\"}", 2);
    checks.awaitPositive(
        "sum(flagger_loadtester_requests_total{canary=\"podinfo.test\",code=\"500\"})");
    assertThat(checks.webhookMessages("test"))
        .contains("Rolling back podinfo.test failed checks threshold reached 3");
    // the example's alerts: on-call (severity error) on Slack, dev-team (info) on Teams
    await()
        .atMost(Duration.ofMinutes(1))
        .untilAsserted(
            () -> {
              assertThat(stack.events().received("/alerts/slack")).isNotEmpty();
              assertThat(stack.events().received("/alerts/msteams")).isNotEmpty();
            });
  }

  @Test
  @Order(3)
  void blueGreenWaitsForTheGateThenPromotes() throws Exception {
    assertThat(story.awaitPhase("bluegreen", LONG, CanaryPhase.SUCCEEDED, CanaryPhase.FAILED))
        .as("messages: %s", messages("podinfo.bluegreen"))
        .isEqualTo(CanaryPhase.SUCCEEDED);
    assertThat(messages("podinfo.bluegreen"))
        .containsSubsequence(
            "Halt podinfo.bluegreen advancement waiting for approval gate",
            "Confirm-rollout check gate passed",
            "New revision detected! Scaling up podinfo.bluegreen",
            "Starting canary analysis for podinfo.bluegreen",
            "Advance podinfo.bluegreen canary iteration 1/3",
            "Advance podinfo.bluegreen canary iteration 2/3",
            "Advance podinfo.bluegreen canary iteration 3/3",
            "Copying podinfo.bluegreen template spec to podinfo-primary.bluegreen",
            "Promotion completed! Scaling down podinfo.bluegreen");
    assertThat(checks.image("bluegreen", "podinfo-primary")).isEqualTo(GOOD);
    assertThat(story.deployment("bluegreen", "podinfo").getSpec().getReplicas()).isZero();
    checks.awaitValue("flagger_canary_status{namespace=\"bluegreen\",name=\"podinfo\"}", 1);
    checks.awaitPositive("sum(flagger_loadtester_requests_total{canary=\"podinfo.bluegreen\"})");
  }

  @Test
  @Order(4)
  void abTestingRoutesTheCookieToTheCanaryThenPromotes() throws Exception {
    assertThat(story.awaitPhase("ab", LONG, CanaryPhase.SUCCEEDED, CanaryPhase.FAILED))
        .as("messages: %s", messages("podinfo.ab"))
        .isEqualTo(CanaryPhase.SUCCEEDED);
    assertThat(messages("podinfo.ab"))
        .containsSubsequence(
            "Starting canary analysis for podinfo.ab",
            "Advance podinfo.ab canary iteration 1/3",
            "Advance podinfo.ab canary iteration 3/3",
            "Promotion completed! Scaling down podinfo.ab");
    assertThat(checks.image("ab", "podinfo-primary")).isEqualTo(GOOD);
    // hey sent "Cookie: canary=always" to podinfo.ab: the header match took it to the canary
    checks.awaitPositive(
        "sum(istio_requests_total{reporter=\"destination\",destination_workload_namespace=\"ab\","
            + "destination_workload=\"podinfo\",source_workload=\"flagger-loadtester\"})");
    checks.awaitPositive(
        "sum(flagger_loadtester_requests_total{canary=\"podinfo.ab\",code=\"200\"})");
  }

  @Test
  @Order(5)
  void everyPanelOfTheIstioAndControllerDashboardsShowsData() throws Exception {
    // the Istio panels at a moment of release 1's analysis: canary pods alive, the load test
    // on the canary, the users on the primary
    Instant analysing =
        events.stream()
            .filter(e -> e.message().equals("Advance podinfo.test canary weight 40"))
            .map(CanaryEvent::time)
            .findFirst()
            .orElseThrow()
            .plusSeconds(5);
    List<String> empty = new ArrayList<>();
    Map<String, List<DashboardQueries.Query>> istio =
        ScenarioChecks.byPanel(
            DashboardQueries.of(
                "flagger-istio",
                Map.of("namespace", "test", "primary", "podinfo-primary", "canary", "podinfo"),
                SandboxStack.LOADTESTER));
    for (var panel : istio.entrySet()) {
      if (!checks.anyData(panel.getValue(), analysing)) {
        empty.add(panel.getKey() + " at " + analysing);
      }
    }
    // the controller's panels now, after a promotion and a rollback
    Map<String, List<DashboardQueries.Query>> controller =
        ScenarioChecks.byPanel(
            DashboardQueries.of(
                "flagger-controller",
                Map.of("namespace", "test", "canary", "podinfo"),
                SandboxStack.LOADTESTER));
    Instant now = Instant.now();
    for (var panel : controller.entrySet()) {
      // the judge's panel has data once a release is judged against a baseline, which this
      // scenario's Canary (thresholds only) never is
      if (panel.getKey().startsWith("flagger-controller / Judge score")) {
        continue;
      }
      if (!checks.anyData(panel.getValue(), now)) {
        empty.add(panel.getKey() + " at " + now);
      }
    }
    assertThat(istio.size() + controller.size()).isGreaterThan(25);
    assertThat(empty).as("panels whose every query returned no data").isEmpty();
  }

  private List<String> messages(String key) {
    return ScenarioChecks.messages(events, key);
  }

  private int messagesCount() {
    return messages("podinfo.test").size();
  }

  /** How many podinfo.test messages were among the first {@code n} events. */
  private int countBefore(int n) {
    return (int)
        events.subList(0, n).stream().filter(e -> e.canary().key().equals("podinfo.test")).count();
  }
}
