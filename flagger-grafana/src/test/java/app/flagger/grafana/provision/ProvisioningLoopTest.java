package app.flagger.grafana.provision;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.grafana.GrafanaConfig;
import app.flagger.grafana.dashboard.Dashboards;
import app.flagger.grafana.support.FakeGrafana;
import app.flagger.grafana.support.ManualScheduler;
import app.flagger.grafana.support.MutableClock;
import app.flagger.grafana.support.TestConfigs;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The retry, backoff, reconfigure and resync behaviour, driven by a manual scheduler. */
class ProvisioningLoopTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final FakeGrafana grafana = new FakeGrafana(TestConfigs.basicAuth());
  private final MockWebServer server = new MockWebServer();
  private final List<ProvisioningState> completed = new ArrayList<>();
  private ProvisioningLoop loop;
  private GrafanaConfig config;

  @BeforeEach
  void start() throws Exception {
    server.setDispatcher(grafana);
    server.start();
    config =
        TestConfigs.grafana(
            server.url("/").toString(),
            "retry.initial-backoff",
            "PT1S",
            "retry.max-backoff",
            "PT4S",
            "resync-interval",
            "PT5M");
    loop =
        new ProvisioningLoop(
            ApiProvisionerTest::provisioner,
            c -> DesiredState.of(c, Dashboards.all()),
            scheduler,
            clock,
            completed::add);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** Grafana answers 503 four times: backoff 1s, 2s, 4s, 4s (capped), then it is provisioned. */
  @Test
  void waitsWithBackoffUntilGrafanaIsReady() {
    grafana.unavailableFor(4);
    loop.start(config);
    assertThat(loop.state()).isInstanceOf(ProvisioningState.Starting.class);

    List<Duration> waits = new ArrayList<>();
    for (int attempt = 1; attempt <= 4; attempt++) {
      scheduler.runNext(); // attempt n: 503
      assertThat(loop.state()).isInstanceOf(ProvisioningState.Waiting.class);
      ProvisioningState.Waiting w = (ProvisioningState.Waiting) loop.state();
      assertThat(w.attempt()).isEqualTo(attempt);
      assertThat(w.reason()).contains("not ready yet");
      waits.add(w.retryIn());
    }
    assertThat(waits).containsExactly(secs(1), secs(2), secs(4), secs(4));
    assertThat(grafana.writes()).isEmpty();

    scheduler.runNext(); // attempt 5: Grafana is up
    assertThat(loop.state()).isInstanceOf(ProvisioningState.Ready.class);
    assertThat(((ProvisioningState.Ready) loop.state()).at())
        .isEqualTo(Instant.parse("2026-11-27T10:00:11Z"));
    assertThat(grafana.dashboards()).hasSize(Dashboards.all().size());
    assertThat(scheduler.pendingDelays()).containsExactly(Duration.ofMinutes(5));
    assertThat(completed).hasSize(5);
  }

  /** Nothing listens on Grafana's port yet (connection refused); once it starts, provisioned. */
  @Test
  void waitsThroughConnectionRefusedUntilGrafanaStarts() throws Exception {
    int port = server.getPort();
    server.close();
    loop.start(config);

    scheduler.runNext(); // connection refused
    assertThat(loop.state())
        .isInstanceOfSatisfying(
            ProvisioningState.Waiting.class,
            w -> assertThat(w.reason()).contains("connection refused: Grafana is not up yet"));
    scheduler.runNext(); // still refused

    try (MockWebServer restarted = new MockWebServer()) {
      restarted.setDispatcher(grafana);
      restarted.start(port);
      scheduler.runNext(); // Grafana is up
      assertThat(loop.state()).isInstanceOf(ProvisioningState.Ready.class);
    }
    assertThat(grafana.dashboards()).hasSize(Dashboards.all().size());
  }

  /** 401: failed (not waiting), with the explanation, and retried at the backoff pace. */
  @Test
  void wrongCredentialsFailWithExplanation() {
    loop.start(TestConfigs.grafana(server.url("/").toString(), "password", "wrong"));

    scheduler.runNext();

    assertThat(loop.state()).isInstanceOf(ProvisioningState.Failed.class);
    assertThat(((ProvisioningState.Failed) loop.state()).reason())
        .contains("check the admin user and password");
    assertThat(scheduler.pendingDelays()).containsExactly(Duration.ofSeconds(1));
  }

  /** A changed configuration (new Prometheus URL) re-provisions at once; an equal one does not. */
  @Test
  void reprovisionsWhenTheConfigurationChanges() {
    loop.start(config);
    scheduler.runNext();
    assertThat(loop.state()).isInstanceOf(ProvisioningState.Ready.class);

    assertThat(
            loop.reconfigure(
                TestConfigs.grafana(
                    server.url("/").toString(),
                    "retry.initial-backoff",
                    "PT1S",
                    "retry.max-backoff",
                    "PT4S",
                    "resync-interval",
                    "PT5M")))
        .isFalse();
    boolean changed =
        loop.reconfigure(
            TestConfigs.grafana(
                server.url("/").toString(), "prometheus-url", "http://prometheus.monitoring:9090"));

    assertThat(changed).isTrue();
    assertThat(scheduler.pendingDelays()).containsExactly(Duration.ZERO);
    scheduler.runNext();
    ProvisioningState.Ready ready = (ProvisioningState.Ready) loop.state();
    assertThat(ready.report().datasource()).isEqualTo(Change.UPDATED);
    assertThat(grafana.datasources().get("flagger-prometheus").getString("url"))
        .isEqualTo("http://prometheus.monitoring:9090");
  }

  /** The periodic resync finds nothing to do and writes nothing. */
  @Test
  void resyncIsIdempotent() {
    loop.start(config);
    scheduler.runNext();
    int writes = grafana.writes().size();

    scheduler.runNext(); // resync after 5 minutes

    assertThat(((ProvisioningState.Ready) loop.state()).report().changed()).isFalse();
    assertThat(grafana.writes()).hasSize(writes);
  }

  private static Duration secs(long s) {
    return Duration.ofSeconds(s);
  }
}
