package app.flagger.sandbox.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.flagger.controller.events.CanaryEvent;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.support.RepoRoot;
import app.flagger.sandbox.Footprint;
import app.flagger.sandbox.JudgeScenario;
import app.flagger.sandbox.SandboxProvider;
import app.flagger.sandbox.SandboxStack;
import app.flagger.sandbox.Story;
import app.flagger.sandbox.prometheus.SandboxPrometheus;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The statistical judge end to end, on its own sandbox with the real Prometheus: the Istio Canary
 * of namespace {@code judge} runs a same-age baseline and compares its {@code request-duration}
 * (P99 from the mesh's Istio telemetry) with the baseline's, besides the example's {@code max: 500}
 * threshold ({@link JudgeScenario}). A release that answers like the running version is promoted;
 * one that answers 40 ms slower, still far under 500 ms, is rolled back by the judge. The baseline
 * Deployment takes as much traffic as the canary during each analysis and is deleted at its end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JudgeE2ETest {
  private static final Path ROOT = RepoRoot.find();
  private static final Duration LONG = Duration.ofMinutes(5);
  private static final String NS = "judge";
  private static final String KEY = "podinfo." + NS;

  /** What the sampler saw: the VirtualService's weights, and whether the baseline existed. */
  record Sample(Instant time, Map<String, Integer> weights, boolean baseline) {}

  private final List<CanaryEvent> events = new CopyOnWriteArrayList<>();
  private final List<Sample> samples = new CopyOnWriteArrayList<>();
  private final Footprint footprint = new Footprint();
  private final ScheduledExecutorService sampler =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().daemon().name("e2e-judge-sampler").unstarted(r));
  private Instant started;
  private SandboxStack stack;
  private Story story;
  private ScenarioChecks checks;

  @BeforeAll
  void startSandboxAndRelease() throws Exception {
    Clock clock = Clock.systemUTC();
    started = clock.instant();
    footprint.start();
    stack =
        ScenarioChecks.startStack(
            ROOT, Path.of("target/e2e-judge").toAbsolutePath(), 13, events::add, clock);
    story = new Story(stack, ROOT, clock);
    checks = new ScenarioChecks(stack, story);
    story.install(
        NS,
        SandboxProvider.ISTIO,
        JudgeScenario.ANALYSIS,
        text -> JudgeScenario.canary(text, NS, stack.sandbox().prometheus().orElseThrow().url()),
        JudgeScenario.STEADY);
    story.awaitPhase(NS, LONG, CanaryPhase.INITIALIZED);
    sampler.scheduleWithFixedDelay(
        () -> {
          try {
            samples.add(
                new Sample(
                    Instant.now(),
                    checks.vsWeights(NS),
                    story.deployment(NS, "podinfo-baseline") != null));
          } catch (RuntimeException e) {
            // the API server is busy or stopping: the next sample will tell
          }
        },
        0,
        250,
        TimeUnit.MILLISECONDS);
    sampler.scheduleWithFixedDelay(this::printDurations, 5, 5, TimeUnit.SECONDS);
    story.release(NS, SandboxE2ETest.GOOD, Map.of());
  }

  /**
   * For the record, every 5 s: the canary's weight, and per workload over the compared window the
   * share of fast responses (what the judge compares), podinfo's mean latency, the mesh's P99 (what
   * the threshold reads) and the request rate.
   */
  private void printDurations() {
    try {
      SandboxPrometheus prometheus = stack.sandbox().prometheus().orElseThrow();
      StringBuilder line =
          new StringBuilder("e2e judge: ")
              .append(Duration.between(started, Instant.now()).toSeconds())
              .append(" s ")
              .append(checks.vsWeights(NS));
      for (String w : List.of("podinfo", "podinfo-baseline", "podinfo-primary")) {
        String pods =
            "kubernetes_namespace=\""
                + NS
                + "\",kubernetes_pod_name=~\""
                + w
                + "-[0-9a-zA-Z]+(-[0-9a-zA-Z]+)\",path=\"/\"";
        String mesh =
            "reporter=\"destination\",destination_workload_namespace=\""
                + NS
                + "\",destination_workload=\""
                + w
                + "\"";
        line.append(
            String.format(
                Locale.ROOT,
                "; %s fast %.1f%%, mean %.1f ms, P99 %.1f ms, %.1f/s",
                w,
                value(
                    prometheus,
                    "sum(rate(http_request_duration_seconds_bucket{"
                        + pods
                        + ",le=\"0.1\"}[30s])) / sum(rate(http_request_duration_seconds_count{"
                        + pods
                        + "}[30s])) * 100"),
                value(
                    prometheus,
                    "sum(rate(http_request_duration_seconds_sum{"
                        + pods
                        + "}[30s])) / sum(rate(http_request_duration_seconds_count{"
                        + pods
                        + "}[30s])) * 1000"),
                value(
                    prometheus,
                    "histogram_quantile(0.99, sum(rate(istio_request_duration_milliseconds_bucket{"
                        + mesh
                        + "}[30s])) by (le))"),
                value(prometheus, "sum(rate(istio_requests_total{" + mesh + "}[30s]))")));
      }
      System.out.println(line);
    } catch (Exception e) {
      System.out.println("e2e judge: no durations: " + e);
    }
  }

  private static double value(SandboxPrometheus prometheus, String promql) throws Exception {
    return prometheus.queryValue(promql).orElse(Double.NaN);
  }

  @AfterAll
  void stop() {
    footprint.sample();
    footprint.close();
    sampler.shutdownNow();
    // for the record: the controller's messages, with their time since the start
    events.stream()
        .filter(e -> e.canary().key().equals(KEY))
        .forEach(
            e ->
                System.out.printf(
                    "e2e judge: %3d s %-7s %s%n",
                    Duration.between(started, e.time()).toSeconds(),
                    e.type().value(),
                    e.message()));
    if (stack != null) {
      stack.close();
    }
    ScenarioChecks.report("e2e judge", started, footprint);
  }

  @Test
  @Order(1)
  void aReleaseThatAnswersLikeTheBaselineIsPromoted() {
    assertThat(story.awaitPhase(NS, LONG, CanaryPhase.SUCCEEDED, CanaryPhase.FAILED))
        .as("phase after release 1; messages: %s", messages())
        .isEqualTo(CanaryPhase.SUCCEEDED);
    Instant promoted = Instant.now();
    assertThat(messages())
        .containsSubsequence(
            "New revision detected! Scaling up " + KEY,
            "Starting canary analysis for " + KEY,
            "Advance " + KEY + " canary weight 10",
            "Advance " + KEY + " canary weight 20",
            "Advance " + KEY + " canary weight 30",
            "Advance " + KEY + " canary weight 40",
            "Advance " + KEY + " canary weight 50",
            "Copying " + KEY + " template spec to podinfo-primary." + NS,
            "Promotion completed! Scaling down " + KEY);
    assertThat(checks.image(NS, "podinfo-primary")).isEqualTo(SandboxE2ETest.GOOD);
    assertThreeWaySplitUntil(promoted);
    awaitBaselineDeleted();
    // the baseline answered through the mesh as its own workload, and the judge passed a step
    checks.awaitPositive(
        "sum(istio_requests_total{reporter=\"destination\",destination_workload_namespace=\""
            + NS
            + "\",destination_workload=\"podinfo-baseline\"})");
    checks.awaitValue(
        "max(max_over_time(flagger_canary_judge_score{namespace=\"" + NS + "\"}[10m]))", 100);
  }

  @Test
  @Order(2)
  void aRelease40msSlowerUnderTheThresholdIsRolledBackByTheJudge() {
    story.awaitPhase(NS, LONG, CanaryPhase.SUCCEEDED);
    int before = messages().size();
    Instant released = Instant.now();
    story.release(NS, SandboxE2ETest.FAULTY, JudgeScenario.SLOWER);
    story.awaitPhase(NS, LONG, CanaryPhase.PROGRESSING, CanaryPhase.FAILED);
    assertThat(story.awaitPhase(NS, LONG, CanaryPhase.SUCCEEDED, CanaryPhase.FAILED))
        .as("phase after release 2; messages: %s", messages())
        .isEqualTo(CanaryPhase.FAILED);
    Instant failed = Instant.now();
    List<String> all = messages();
    List<String> release2 = all.subList(before, all.size());
    assertThat(release2)
        .containsSubsequence(
            "New revision detected! Scaling up " + KEY,
            "Starting canary analysis for " + KEY,
            "Advance " + KEY + " canary weight 10",
            "Rolling back " + KEY + " failed checks threshold reached 5",
            "Canary failed! Scaling down " + KEY);
    String judged = "Judge " + KEY + ": score ";
    assertThat(release2)
        .as("the judge's verdicts")
        .anyMatch(
            m ->
                m.matches(
                    "Judge podinfo\\.judge: score [0-9.]+ < 75, fast-responses worse by"
                        + " -\\d+% \\[-\\d+%, -\\d+%\\].*"));
    // the check that failed last, the one that reached the threshold, was the judge's
    int rollback = release2.indexOf("Rolling back " + KEY + " failed checks threshold reached 5");
    assertThat(release2.subList(0, rollback).reversed())
        .filteredOn(m -> m.startsWith("Halt ") || m.startsWith("Judge "))
        .first()
        .asString()
        .startsWith(judged);
    // the thresholds alone would have passed it: the P99 under 500 ms all along
    assertThat(release2).noneMatch(m -> m.contains("advancement request duration"));
    assertThat(checks.image(NS, "podinfo-primary"))
        .as("the primary keeps release 1")
        .isEqualTo(SandboxE2ETest.GOOD);
    assertThat(
            samples.stream()
                .filter(s -> s.time().isAfter(released) && s.time().isBefore(failed))
                .anyMatch(Sample::baseline))
        .as("the baseline Deployment existed during release 2's analysis")
        .isTrue();
    awaitBaselineDeleted();
    checks.awaitValue("flagger_canary_status{namespace=\"" + NS + "\",name=\"podinfo\"}", 2);
  }

  /**
   * Before {@code end} the VirtualService split the traffic three ways, the baseline taking the
   * canary's weight from the primary's share, while the baseline Deployment existed.
   */
  private void assertThreeWaySplitUntil(Instant end) {
    List<Sample> before = samples.stream().filter(s -> s.time().isBefore(end)).toList();
    assertThat(before)
        .as("samples of the VirtualService and the baseline")
        .anyMatch(
            s ->
                s.baseline()
                    && s.weights().getOrDefault("podinfo-canary", 0) > 0
                    && s.weights().get("podinfo-canary").equals(s.weights().get("podinfo-baseline"))
                    && s.weights().get("podinfo-primary")
                        == 100 - 2 * s.weights().get("podinfo-canary"));
  }

  private void awaitBaselineDeleted() {
    await()
        .atMost(Duration.ofMinutes(1))
        .untilAsserted(
            () -> {
              assertThat(story.deployment(NS, "podinfo-baseline")).isNull();
              assertThat(
                      stack
                          .sandbox()
                          .api()
                          .client()
                          .services()
                          .inNamespace(NS)
                          .withName("podinfo-baseline")
                          .get())
                  .isNull();
            });
    assertThat(checks.vsWeights(NS)).isEqualTo(Map.of("podinfo-primary", 100, "podinfo-canary", 0));
  }

  private List<String> messages() {
    return ScenarioChecks.messages(events, KEY);
  }
}
