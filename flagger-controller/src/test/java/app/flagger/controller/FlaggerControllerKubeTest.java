package app.flagger.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.flagger.controller.leader.LeaderElection;
import app.flagger.controller.support.CacheSync;
import app.flagger.controller.support.CanaryFixture;
import app.flagger.controller.support.Crds;
import app.flagger.controller.support.Leases;
import app.flagger.controller.support.ManualJobScheduler;
import app.flagger.controller.support.MutableClock;
import app.flagger.controller.support.RegistryReader;
import app.flagger.controller.support.TestControllers;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.metrics.FlaggerMetrics;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.metrics.api.MeterRegistry;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The embeddable controller: informer → work queue → workers, timers, readiness, leader election.
 */
@EnableKubernetesMockClient(crud = true)
class FlaggerControllerKubeTest {
  KubernetesClient client;
  final ManualJobScheduler jobs = new ManualJobScheduler();
  FlaggerController controller;
  ReadinessState readiness;
  final MeterRegistry registry = MeterRegistry.create();

  @BeforeEach
  void setUp() {
    Crds.register(client);
    new CanaryFixture(client).seed();
  }

  @AfterEach
  void tearDown() {
    if (controller != null) {
      CacheSync.awaitWatching(controller.cache());
      controller.close();
    }
  }

  void start(boolean leaderElection) {
    start(leaderElection, LeaderElection.Timing.FLAGGER);
  }

  void start(boolean leaderElection, LeaderElection.Timing timing) {
    ControllerConfig config =
        ControllerConfig.from(
            Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(
                    ConfigSources.create(
                        Map.of(
                            "flagger.enable-leader-election", Boolean.toString(leaderElection),
                            "flagger.leader-election-namespace", "default",
                            "flagger.mesh-provider", "kubernetes")))
                .build(),
            Map.of());
    readiness = new ReadinessState(leaderElection);
    controller =
        TestControllers.builder(client)
            .config(config)
            .clock(MutableClock.atEpochDay())
            .jobScheduler(jobs)
            .readiness(readiness)
            .registry(registry)
            .leaderElectionTiming(timing)
            .build();
    controller.start();
  }

  /** The informer feeds the control loop, which schedules one job per Canary at its interval. */
  @Test
  void schedulesAJobPerCanaryAndStopsItOnDelete() {
    start(false);
    assertThat(readiness.ready()).isTrue();
    new CanaryFixture(client)
        .create(CanaryFixture.spec(null, CanaryFixture.analysis(null, null, 2, 1, List.of())));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> controller.scheduler().knows("podinfo.default"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> new CanaryFixture(client).get().getStatus() != null);
    assertThat(new CanaryFixture(client).get().getStatus().phase())
        .isEqualTo(CanaryPhase.INITIALIZING);
    jobs.run("control-loop");
    assertThat(jobs.entry("podinfo.default").interval()).isEqualTo(Duration.ofSeconds(10));
    RegistryReader scrape = new RegistryReader(registry);
    // the timer only queues the tick; a worker runs it
    jobs.run("podinfo.default");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                scrape.timer(FlaggerMetrics.CONTROLLER_TICK_DURATION.registrationName()) == 1
                    && controller.scheduler().idle());
    assertThat(client.apps().deployments().inNamespace("default").withName("podinfo-primary").get())
        .isNotNull();

    client.resources(Canary.class).inNamespace("default").withName("podinfo").delete();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !controller.scheduler().knows("podinfo.default"));
    jobs.run("control-loop");
    assertThat(jobs.names()).containsExactly("control-loop");
  }

  /** A replica that is not the leader runs no jobs and is not ready. */
  @Test
  void nonLeaderRunsNoJobs() {
    client
        .leases()
        .inNamespace("default")
        .resource(
            new LeaseBuilder()
                .withNewMetadata()
                .withName("flagger-leader-election")
                .withNamespace("default")
                .endMetadata()
                .withNewSpec()
                .withHolderIdentity("other-replica")
                .withLeaseDurationSeconds(3600)
                .withAcquireTime(ZonedDateTime.now())
                .withRenewTime(ZonedDateTime.now())
                .withLeaseTransitions(0)
                .endSpec()
                .build())
        .create();
    start(true);
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(10))
        .until(() -> !jobs.names().contains("control-loop") && !readiness.ready());
    assertThat(readiness.synced()).isTrue();
  }

  /** The leader runs the control loop and becomes ready. */
  @Test
  void leaderRunsTheControlLoop() {
    start(true);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> jobs.names().contains("control-loop") && readiness.ready());
  }

  /**
   * A leader whose Lease is taken over stops its jobs and reports not ready, then competes again
   * and takes the Lease back once the other holder lets it expire (Flagger exits instead).
   */
  @Test
  void aLeaderThatLosesTheLeaseStopsThenTakesItBack() {
    start(
        true,
        new LeaderElection.Timing(
            Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofMillis(500)));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> jobs.names().contains("control-loop") && readiness.ready());

    // another replica writes itself into the Lease; it never renews, so it expires after 4 s
    Leases.takeOver(client, "default", 4);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> !jobs.names().contains("control-loop") && !readiness.ready());

    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> jobs.names().contains("control-loop") && readiness.ready());
    assertThat(
            client
                .leases()
                .inNamespace("default")
                .withName(LeaderElection.LEASE_NAME)
                .get()
                .getSpec()
                .getHolderIdentity())
        .startsWith(ControllerConfig.defaults().hostname());
  }
}
