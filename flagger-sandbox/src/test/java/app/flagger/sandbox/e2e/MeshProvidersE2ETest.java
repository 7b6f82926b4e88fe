package app.flagger.sandbox.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.events.CanaryEvent;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.support.RepoRoot;
import app.flagger.sandbox.Footprint;
import app.flagger.sandbox.SandboxProvider;
import app.flagger.sandbox.SandboxStack;
import app.flagger.sandbox.Story;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The sandbox's scenarios on the other routing providers, end to end on one sandbox with the real
 * Prometheus: in namespace {@code gatewayapi} the Gateway API example (provider {@code
 * gatewayapi:v1}, an HTTPRoute for {@code app.example.com}) promotes a good release and rolls back
 * a faulty one; in {@code linkerd} the Linkerd example (an SMI TrafficSplit) promotes a good
 * release. The two run at the same time. Each asserts the messages, the weights the routing object
 * held, the split of the users' and the load test's requests the mesh actually made at those
 * weights, and the provider's telemetry in Prometheus.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MeshProvidersE2ETest {
  private static final Path ROOT = RepoRoot.find();
  private static final Duration LONG = Duration.ofMinutes(5);
  private static final Map<String, Object> ANALYSIS = Map.of("interval", "10s", "threshold", 3);
  private static final List<String> STEPS =
      List.of(
          "Advance %s canary weight 10",
          "Advance %s canary weight 20",
          "Advance %s canary weight 30",
          "Advance %s canary weight 40",
          "Advance %s canary weight 50");

  private final List<CanaryEvent> events = new CopyOnWriteArrayList<>();
  private final Footprint footprint = new Footprint();
  private Instant started;
  private SandboxStack stack;
  private Story story;
  private ScenarioChecks checks;
  private SplitObserver gateway;
  private SplitObserver linkerd;

  @BeforeAll
  void startSandboxAndReleases() throws Exception {
    Clock clock = Clock.systemUTC();
    started = clock.instant();
    footprint.start();
    stack =
        ScenarioChecks.startStack(
            ROOT, Path.of("target/e2e-mesh-providers").toAbsolutePath(), 11, events::add, clock);
    story = new Story(stack, ROOT, clock);
    checks = new ScenarioChecks(stack, story);
    story.install("gatewayapi", SandboxProvider.GATEWAYAPI_V1, ANALYSIS);
    story.install("linkerd", SandboxProvider.LINKERD, ANALYSIS);
    for (String ns : List.of("gatewayapi", "linkerd")) {
      story.awaitPhase(ns, LONG, CanaryPhase.INITIALIZED);
    }
    gateway =
        new SplitObserver(
            "gatewayapi", checks::httpRouteWeights, stack.sandbox().mesh().telemetry());
    linkerd =
        new SplitObserver(
            "linkerd", checks::trafficSplitWeights, stack.sandbox().mesh().telemetry());
    story.release("gatewayapi", SandboxE2ETest.GOOD, Map.of());
    story.release("linkerd", SandboxE2ETest.GOOD, Map.of());
  }

  @AfterAll
  void stop() {
    footprint.sample();
    footprint.close();
    for (AutoCloseable c : new AutoCloseable[] {gateway, linkerd, stack}) {
      if (c != null) {
        try {
          c.close();
        } catch (Exception e) {
          // keep stopping the rest
        }
      }
    }
    ScenarioChecks.report("e2e mesh providers", started, footprint);
  }

  @Test
  @Order(1)
  void gatewayApiShiftsTheGatewaysTrafficStepByStepAndPromotes() {
    assertPromoted("gatewayapi", checks::httpRouteWeights, gateway);
    // the load test reached the canary through the Gateway's host (hey -host app.example.com),
    // and the gateway reported the canary's Envoy cluster
    checks.awaitPositive(
        "sum(envoy_cluster_upstream_rq{envoy_cluster_name=\"gatewayapi_podinfo-canary_9898\"})");
    checks.awaitPositive(
        "sum(istio_requests_total{source_workload=\"flagger-loadtester\",reporter=\"destination\","
            + "destination_workload=\"podinfo\",destination_workload_namespace=\"gatewayapi\"})");
  }

  @Test
  @Order(2)
  void gatewayApiHaltsAFaultyReleaseAndRollsBack() {
    story.awaitPhase("gatewayapi", LONG, CanaryPhase.SUCCEEDED);
    int before = messages("podinfo.gatewayapi").size();
    story.release(
        "gatewayapi", SandboxE2ETest.FAULTY, Map.of("ERROR_RATE", "0.2", "RANDOM_SEED", "7"));
    story.awaitPhase("gatewayapi", LONG, CanaryPhase.PROGRESSING, CanaryPhase.FAILED);
    assertThat(story.awaitPhase("gatewayapi", LONG, CanaryPhase.SUCCEEDED, CanaryPhase.FAILED))
        .as("messages: %s", messages("podinfo.gatewayapi"))
        .isEqualTo(CanaryPhase.FAILED);
    List<String> all = messages("podinfo.gatewayapi");
    List<String> release2 = all.subList(before, all.size());
    assertThat(release2)
        .containsSubsequence(
            "New revision detected! Scaling up podinfo.gatewayapi",
            "Advance podinfo.gatewayapi canary weight 10",
            "Rolling back podinfo.gatewayapi failed checks threshold reached 3",
            "Canary failed! Scaling down podinfo.gatewayapi");
    assertThat(release2)
        .anyMatch(
            m ->
                m.matches(
                    "Halt podinfo\\.gatewayapi advancement success rate \\d+\\.\\d\\d% < 99%"));
    assertThat(checks.httpRouteWeights("gatewayapi"))
        .isEqualTo(Map.of("podinfo-primary", 100, "podinfo-canary", 0));
    assertThat(checks.image("gatewayapi", "podinfo-primary")).isEqualTo(SandboxE2ETest.GOOD);
    checks.awaitValue("flagger_canary_status{namespace=\"gatewayapi\",name=\"podinfo\"}", 2);
    checks.awaitPositive(
        "sum(envoy_cluster_upstream_rq{envoy_cluster_name=\"gatewayapi_podinfo-canary_9898\","
            + "envoy_response_code=\"500\"})");
  }

  @Test
  @Order(3)
  void linkerdSplitsTheServiceStepByStepAndPromotes() {
    assertPromoted("linkerd", checks::trafficSplitWeights, linkerd);
    // what the builtin checks read: the canary pods' inbound responses, the load test's meshed
    checks.awaitPositive(
        "sum(response_total{namespace=\"linkerd\",deployment=\"podinfo\",direction=\"inbound\","
            + "classification=\"success\",tls=\"true\"})");
  }

  /**
   * Release 1 went through every step and was promoted: the messages, the routing object's weights
   * (seen in turn, and back at 100/0), the split, the status in Prometheus and the load tester's
   * requests.
   */
  private void assertPromoted(
      String ns, Function<String, Map<String, Integer>> weights, SplitObserver observer) {
    String key = "podinfo." + ns;
    assertThat(story.awaitPhase(ns, LONG, CanaryPhase.SUCCEEDED, CanaryPhase.FAILED))
        .as("phase after release 1; messages: %s", messages(key))
        .isEqualTo(CanaryPhase.SUCCEEDED);
    List<String> expected =
        new java.util.ArrayList<>(
            List.of(
                "Initialization done! " + key,
                "New revision detected! Scaling up " + key,
                "Starting canary analysis for " + key,
                "Pre-rollout check acceptance-test passed"));
    STEPS.forEach(s -> expected.add(s.formatted(key)));
    expected.add("Copying " + key + " template spec to podinfo-primary." + ns);
    expected.add("Routing all traffic to primary");
    expected.add("Promotion completed! Scaling down " + key);
    assertThat(messages(key)).containsSubsequence(expected);
    assertThat(story.canary(ns).getStatus().canaryWeightOrZero()).isZero();
    assertThat(checks.image(ns, "podinfo-primary")).isEqualTo(SandboxE2ETest.GOOD);
    checks.awaitValue("flagger_canary_status{namespace=\"" + ns + "\",name=\"podinfo\"}", 1);
    assertThat(weights.apply(ns)).isEqualTo(Map.of("podinfo-primary", 100, "podinfo-canary", 0));
    assertSplit(observer, key);
    checks.awaitPositive(
        "sum(flagger_loadtester_requests_total{canary=\"" + key + "\",code=\"200\"})");
  }

  /**
   * The object held the weights 10 to 50 in turn, then 0, and the requests the mesh split (the
   * users' and the load test's, over a thousand) went to the canary in the share those weights
   * promised: within 5 points, over three standard deviations. The users alone, who call at 5
   * requests a second and reach the canary only through the split, must have reached it.
   */
  private static void assertSplit(SplitObserver observer, String key) {
    assertThat(observer.weightsSeen()).as(key).containsSubsequence(0, 10, 20, 30, 40, 50, 0);
    System.out.printf(
        "e2e %s: requests to the canary %.1f%% while its weights promised %.1f%% (%d requests;"
            + " per weight: %s)%n",
        key,
        observer.observedCanaryShare(),
        observer.expectedCanaryShare(),
        observer.shiftedRequests(),
        observer.stretches());
    assertThat(observer.shiftedRequests()).as(key).isGreaterThan(600);
    assertThat(observer.shiftedUserRequests()).as(key).isGreaterThan(150);
    assertThat(observer.stretches().stream().mapToLong(s -> s.users().canary()).sum())
        .as("%s: the users' requests the canary answered", key)
        .isPositive();
    assertThat(observer.observedCanaryShare())
        .as("%s: the share of the split requests the canary answered", key)
        .isCloseTo(observer.expectedCanaryShare(), Assertions.within(5.0));
  }

  private List<String> messages(String key) {
    return ScenarioChecks.messages(events, key);
  }
}
