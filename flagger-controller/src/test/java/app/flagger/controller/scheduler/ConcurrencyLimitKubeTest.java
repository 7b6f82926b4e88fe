package app.flagger.controller.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.ControllerConfig;
import app.flagger.controller.support.CanaryFixture;
import app.flagger.controller.support.ControllerHarness;
import app.flagger.controller.support.Crds;
import app.flagger.controller.support.FakeDeploymentController;
import app.flagger.controller.support.FakeMeshRouter;
import app.flagger.controller.support.MutableClock;
import app.flagger.controller.support.TestControllers;
import app.flagger.controller.tick.ConcurrencyLimit;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.canary.CanarySpec;
import app.flagger.model.common.Condition;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.metrics.api.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The concurrency limit with the controller running on the mock API server: blue/green Canaries on
 * the kubernetes provider (podinfo in namespaces q1, q2, ...) whose new revisions arrive together;
 * rounds of ticks, one tick of each Canary per round on a manual clock.
 */
@EnableKubernetesMockClient(crud = true)
class ConcurrencyLimitKubeTest {
  private static final Set<CanaryPhase> RUNNING = ConcurrencyLimit.RUNNING;

  KubernetesClient client;
  final MutableClock clock = MutableClock.atEpochDay();
  final MeterRegistry registry = MeterRegistry.create();
  final Map<String, CanaryFixture> fixtures = new LinkedHashMap<>();
  final Map<String, FakeDeploymentController> deployments = new LinkedHashMap<>();

  /** Namespaces in the order their Canary started its release. */
  final List<String> started = new ArrayList<>();

  ControllerConfig config;
  ControllerHarness h;

  @AfterEach
  void tearDown() {
    if (h != null) {
      h.close();
    }
  }

  private void start(int limit, String... namespaces) {
    config =
        ControllerConfig.from(
            Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(
                    ConfigSources.create(
                        Map.of("flagger.max-concurrent-canaries", String.valueOf(limit))))
                .build(),
            Map.of());
    Crds.register(client);
    for (String ns : namespaces) {
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .create();
      fixtures.put(ns, new CanaryFixture(client, ns).seed());
      deployments.put(ns, new FakeDeploymentController(client, ns));
    }
    h = harness();
    for (String ns : namespaces) {
      fixtures.get(ns).create(blueGreen());
      h.awaitCaches();
      h.controller.handler().sync(fixtures.get(ns).get());
    }
    round();
    round();
    fixtures.keySet().forEach(ns -> assertThat(phase(ns)).isEqualTo(CanaryPhase.INITIALIZED));
  }

  private ControllerHarness harness() {
    return new ControllerHarness(
        client, config, clock, new FakeMeshRouter(), registry, TestControllers.NO_METRICS);
  }

  /** A controller restart: a new controller with nothing in memory, on the same cluster. */
  private void restart() {
    h.close();
    h = harness();
    h.awaitCaches();
  }

  private static CanarySpec blueGreen() {
    return CanaryFixture.spec("kubernetes", CanaryFixture.analysis(null, null, 2, 2, List.of()));
  }

  /** One tick of every Canary still there, in namespace order, ten seconds after the last round. */
  private void round() {
    clock.advance(Duration.ofSeconds(10));
    for (String ns : fixtures.keySet()) {
      h.awaitCaches();
      if (fixtures.get(ns).get() == null) {
        continue;
      }
      h.controller.advancer().advance(CanaryFixture.NAME, ns);
      deployments.get(ns).reconcileAll();
      if (RUNNING.contains(phase(ns)) && !started.contains(ns)) {
        started.add(ns);
      }
      assertThat(running().size()).as("releases running").isLessThanOrEqualTo(limit());
    }
  }

  private int limit() {
    return config.maxConcurrentCanaries();
  }

  private void rollOut(String... namespaces) {
    for (String ns : namespaces) {
      fixtures.get(ns).rolloutNewRevision("ghcr.io/stefanprodan/podinfo:6.0.1");
    }
  }

  private List<String> running() {
    return fixtures.keySet().stream()
        .filter(ns -> fixtures.get(ns).get() != null && RUNNING.contains(phase(ns)))
        .toList();
  }

  private CanaryPhase phase(String ns) {
    return fixtures.get(ns).get().getStatus().phaseOrNone();
  }

  private Canary canary(String ns) {
    return fixtures.get(ns).get();
  }

  private String queuedSince(String ns) {
    return canary(ns).getStatus().controlOrEmpty().queuedSince();
  }

  private String queuedMessage(String ns) {
    List<Condition> conditions = canary(ns).getStatus().conditions();
    return conditions.stream()
        .filter(c -> c.type().equals("Queued"))
        .map(c -> c.status() + " " + c.reason() + ": " + c.message())
        .findFirst()
        .orElse(null);
  }

  /** The Canaries in line, as their status says. */
  private long waiting() {
    return fixtures.keySet().stream()
        .filter(ns -> canary(ns) != null && queuedSince(ns) != null && !RUNNING.contains(phase(ns)))
        .count();
  }

  /** Rounds until every Canary succeeded again (at most 60). */
  private void runUntilAllSucceeded() {
    for (int i = 0; i < 60; i++) {
      if (fixtures.keySet().stream()
          .allMatch(ns -> canary(ns) == null || phase(ns) == CanaryPhase.SUCCEEDED)) {
        return;
      }
      round();
    }
    throw new AssertionError("not all succeeded: " + fixtures.keySet().stream().map(this::phase));
  }

  @Test
  void fiveReleasesUnderALimitOfTwoStartFirstComeFirstServedAcrossARestart() {
    start(2, "q1", "q2", "q3", "q4", "q5");
    rollOut("q1");
    round();
    rollOut("q2", "q5");
    round();
    assertThat(started).containsExactly("q1", "q2");
    assertThat(queuedMessage("q5"))
        .isEqualTo(
            "True ConcurrencyLimit: Waiting for a release slot: 1st in line, 2 of 2 running"
                + " cluster-wide");
    String q5Since = queuedSince("q5");
    assertThat(q5Since).isNotNull();

    rollOut("q3", "q4");
    round();
    assertThat(queuedMessage("q3"))
        .endsWith("Waiting for a release slot: 2nd in line, 2 of 2 running cluster-wide");
    assertThat(queuedMessage("q4"))
        .endsWith("Waiting for a release slot: 3rd in line, 2 of 2 running cluster-wide");
    assertThat(h.events.messages())
        .containsOnlyOnce(
            "Waiting for a release slot: 1st in line, 2 of 2 running cluster-wide",
            "Waiting for a release slot: 2nd in line, 2 of 2 running cluster-wide",
            "Waiting for a release slot: 3rd in line, 2 of 2 running cluster-wide");
    assertThat(waiting()).isEqualTo(3);
    assertThat(phase("q3")).isEqualTo(CanaryPhase.INITIALIZED);

    restart();
    round();
    assertThat(queuedSince("q5")).as("kept across the restart").isEqualTo(q5Since);
    assertThat(h.events.messages())
        .as("no place changed: no new event")
        .noneMatch(m -> m.startsWith("Waiting for a release slot"));

    runUntilAllSucceeded();

    // q1 ends a round before q2: its slot goes to q5, which came before q3 and q4 (whose names
    // sort first and who tick first in each round); q2's slot then goes to q3, and the next to q4
    assertThat(started).containsExactly("q1", "q2", "q5", "q3", "q4");
    for (String ns : fixtures.keySet()) {
      assertThat(queuedSince(ns)).as(ns).isNull();
      assertThat(queuedMessage(ns)).as(ns).isNull();
    }
    assertThat(waiting()).isZero();
  }

  @Test
  void deletingARunningCanaryFreesItsSlot() {
    start(2, "q1", "q2", "q3");
    rollOut("q1", "q2", "q3");
    round();
    assertThat(started).containsExactly("q1", "q2");
    assertThat(phase("q3")).isEqualTo(CanaryPhase.INITIALIZED);

    client.resources(Canary.class).inNamespace("q1").withName(CanaryFixture.NAME).delete();
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> h.controller.cache().canaries().get("q1", CanaryFixture.NAME) == null);
    round();

    assertThat(started).containsExactly("q1", "q2", "q3");
    assertThat(phase("q3")).isIn(RUNNING);
    assertThat(queuedSince("q3")).isNull();
  }

  @Test
  void threeReleasesAtOnceUnderALimitOfOneRunOneAfterTheOther() {
    start(1, "q1", "q2", "q3");
    rollOut("q1", "q2", "q3");
    List<List<String>> runningAfterEachRound = new ArrayList<>();
    for (int i = 0; i < 60 && (started.size() < 3 || !running().isEmpty()); i++) {
      round();
      runningAfterEachRound.add(running());
    }

    assertThat(started).containsExactly("q1", "q2", "q3");
    assertThat(runningAfterEachRound).allMatch(r -> r.size() <= 1);
    // each ran alone: q1's rounds, then q2's, then q3's
    List<String> order = new ArrayList<>();
    runningAfterEachRound.stream()
        .flatMap(List::stream)
        .forEach(
            ns -> {
              if (order.isEmpty() || !order.getLast().equals(ns)) {
                order.add(ns);
              }
            });
    assertThat(order).containsExactly("q1", "q2", "q3");
    fixtures.keySet().forEach(ns -> assertThat(phase(ns)).isEqualTo(CanaryPhase.SUCCEEDED));
    // the decision log went through the API server with the rest of the status
    assertThat(canary("q1").getStatus().decisionsOrEmpty())
        .extracting(d -> d.decision() + " " + d.iteration())
        .containsExactly("advance 0", "advance 1", "advance 2", "promote 3");
  }
}
