package app.flagger.sandbox.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.events.CanaryEvent;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.support.RepoRoot;
import app.flagger.sandbox.Footprint;
import app.flagger.sandbox.SandboxProvider;
import app.flagger.sandbox.SandboxStack;
import app.flagger.sandbox.Story;
import app.flagger.sandbox.mesh.MeshTelemetry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
 * release; in {@code nginx} the NGINX example (a canary Ingress of {@code nginx.example.com})
 * promotes a good release; in {@code nginx-ab} the same example as an A/B test (header {@code
 * x-canary: insider}) promotes after three iterations. The four run at the same time. Each asserts
 * the messages, the weights or annotations the routing object held, the split of the users' and the
 * load test's requests the mesh actually made, and the provider's telemetry in Prometheus.
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
  private SplitObserver nginx;
  private final Set<Map<String, String>> abAnnotations = new CopyOnWriteArraySet<>();
  private final ScheduledExecutorService abSampler =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().daemon().name("e2e-nginx-ab-annotations").unstarted(r));

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
    story.install("nginx", SandboxProvider.NGINX, ANALYSIS);
    story.install("nginx-ab", SandboxProvider.NGINX, ANALYSIS, MeshProvidersE2ETest::abTest);
    for (String ns : List.of("gatewayapi", "linkerd", "nginx", "nginx-ab")) {
      story.awaitPhase(ns, LONG, CanaryPhase.INITIALIZED);
    }
    gateway =
        new SplitObserver(
            "gatewayapi", checks::httpRouteWeights, stack.sandbox().mesh().telemetry());
    linkerd =
        new SplitObserver(
            "linkerd", checks::trafficSplitWeights, stack.sandbox().mesh().telemetry());
    nginx = new SplitObserver("nginx", checks::ingressWeights, stack.sandbox().mesh().telemetry());
    abSampler.scheduleWithFixedDelay(
        () -> {
          try {
            abAnnotations.add(checks.canaryIngressAnnotations("nginx-ab"));
          } catch (RuntimeException e) {
            // the API server is busy or stopping: the next sample will tell
          }
        },
        0,
        250,
        TimeUnit.MILLISECONDS);
    story.release("gatewayapi", SandboxE2ETest.GOOD, Map.of());
    story.release("linkerd", SandboxE2ETest.GOOD, Map.of());
    story.release("nginx", SandboxE2ETest.GOOD, Map.of());
    story.release("nginx-ab", SandboxE2ETest.GOOD, Map.of());
  }

  /**
   * The NGINX example as an A/B test: three iterations for the requests with {@code x-canary:
   * insider}, which the load test sends.
   */
  static String abTest(String example) {
    String out =
        example
            .replace(
                "    maxWeight: 50\n    stepWeight: 10\n",
                "    iterations: 3\n    match:\n      - headers:\n          x-canary:\n"
                    + "            exact: insider\n")
            .replace(
                "hey -z 1m -q 10 -c 2 -host", "hey -z 1m -q 10 -c 2 -H 'X-Canary: insider' -host");
    if (out.equals(example) || out.contains("stepWeight")) {
      throw new IllegalStateException("canary-nginx.yaml changed: cannot make it an A/B test");
    }
    return out;
  }

  @AfterAll
  void stop() {
    footprint.sample();
    footprint.close();
    abSampler.shutdownNow();
    for (AutoCloseable c : new AutoCloseable[] {gateway, linkerd, nginx, stack}) {
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

  @Test
  @Order(4)
  void nginxShiftsTheIngressTrafficStepByStepAndPromotes() {
    assertPromoted("nginx", checks::ingressWeights, nginx);
    assertThat(checks.canaryIngressAnnotations("nginx"))
        .containsEntry("canary", "true")
        .containsEntry("canary-weight", "0");
    // what the builtin checks read: the ingress controller's requests of the canary's upstream
    checks.awaitPositive(
        "sum(nginx_ingress_controller_requests{namespace=\"nginx\",ingress=\"podinfo\","
            + "service=\"podinfo\",canary=\"nginx-podinfo-canary-9898\",status=\"200\"})");
    checks.awaitPositive(
        "sum(nginx_ingress_controller_response_duration_seconds_count{namespace=\"nginx\","
            + "ingress=\"podinfo\",canary!=\"\"})");
  }

  @Test
  @Order(5)
  void nginxAbTestRoutesTheHeaderToTheCanaryThenPromotes() {
    String key = "podinfo.nginx-ab";
    assertThat(story.awaitPhase("nginx-ab", LONG, CanaryPhase.SUCCEEDED, CanaryPhase.FAILED))
        .as("messages: %s", messages(key))
        .isEqualTo(CanaryPhase.SUCCEEDED);
    assertThat(messages(key))
        .containsSubsequence(
            "Initialization done! " + key,
            "New revision detected! Scaling up " + key,
            "Starting canary analysis for " + key,
            "Pre-rollout check acceptance-test passed",
            "Advance " + key + " canary iteration 1/3",
            "Advance " + key + " canary iteration 2/3",
            "Advance " + key + " canary iteration 3/3",
            "Copying " + key + " template spec to podinfo-primary.nginx-ab",
            "Routing all traffic to primary",
            "Promotion completed! Scaling down " + key);
    assertThat(checks.image("nginx-ab", "podinfo-primary")).isEqualTo(SandboxE2ETest.GOOD);
    checks.awaitValue("flagger_canary_status{namespace=\"nginx-ab\",name=\"podinfo\"}", 1);
    // the router wrote the header match during the analysis, and reset it at promotion
    assertThat(abAnnotations)
        .as("canary Ingress annotations seen")
        .anyMatch(
            a ->
                "x-canary".equals(a.get("canary-by-header"))
                    && "insider".equals(a.get("canary-by-header-value")));
    assertThat(checks.canaryIngressAnnotations("nginx-ab"))
        .doesNotContainKey("canary-by-header")
        .containsEntry("canary-weight", "0");
    // the split: the load test's "X-Canary: insider" reached the canary through the Ingress, the
    // users (no header) never did
    MeshTelemetry telemetry = stack.sandbox().mesh().telemetry();
    assertThat(telemetry.ingressRequests("nginx-ab", "podinfo", true)).isGreaterThan(100);
    assertThat(
            telemetry.requests(
                s ->
                    s.sourceWorkload().equals("unknown")
                        && s.destinationNamespace().equals("nginx-ab")
                        && s.destinationWorkload().equals("podinfo")))
        .as("users' requests the canary answered")
        .isZero();
    assertThat(
            telemetry.requests(
                s ->
                    s.sourceWorkload().equals("unknown")
                        && s.destinationNamespace().equals("nginx-ab")
                        && s.destinationWorkload().equals("podinfo-primary")))
        .as("users' requests the primary answered")
        .isGreaterThan(150);
    checks.awaitPositive(
        "sum(nginx_ingress_controller_requests{namespace=\"nginx-ab\",ingress=\"podinfo\","
            + "canary=\"nginx-ab-podinfo-canary-9898\"})");
    checks.awaitPositive(
        "sum(flagger_loadtester_requests_total{canary=\"" + key + "\",code=\"200\"})");
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
