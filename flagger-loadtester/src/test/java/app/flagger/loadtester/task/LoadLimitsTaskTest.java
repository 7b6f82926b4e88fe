package app.flagger.loadtester.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.model.webhook.CanaryWebhookPayload;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each per-run limit at its bound (accepted) and just over it (400 naming flag and limit). */
class LoadLimitsTaskTest {
  private static final TaskFactory FACTORY =
      new TaskFactory(
          new CommandPolicy(false, Set.of(), false), f -> new byte[0], List.of(), List.of());

  private static Task cmd(String cmd) {
    return FACTORY.create(new CanaryWebhookPayload("podinfo", "test", "", "", Map.of("cmd", cmd)));
  }

  private static Task load(Map<String, String> fields) {
    Map<String, String> md = new HashMap<>(fields);
    md.put("type", "load");
    md.put("url", "http://podinfo-canary.test:9898/");
    return FACTORY.create(new CanaryWebhookPayload("podinfo", "test", "", "", md));
  }

  private static void refused(Runnable r, String message) {
    assertThatThrownBy(r::run)
        .isInstanceOf(TaskRejected.class)
        .hasMessage(message)
        .extracting(e -> ((TaskRejected) e).status())
        .isEqualTo(400);
  }

  @Test
  void heyConnections() {
    assertThat(cmd("hey -z 1m -c 1000 http://podinfo-canary.test:9898/").connections())
        .isEqualTo(1000);
    refused(
        () -> cmd("hey -z 1m -c 20000 http://podinfo-canary.test:9898/"),
        "hey -c 20000: at most 1000 connections (loadtester limit max-connections)");
    refused(
        () -> cmd("hey -z 1m -c 1001 http://podinfo-canary.test:9898/"),
        "hey -c 1001: at most 1000 connections (loadtester limit max-connections)");
  }

  @Test
  void heyRateIsQTimesC() {
    LoadTask ok = (LoadTask) cmd("hey -z 1m -q 10 -c 1000 http://podinfo-canary.test:9898/");
    assertThat(ok.spec().rate()).isEqualTo(10_000);
    refused(
        () -> cmd("hey -z 1m -q 100 -c 101 http://podinfo-canary.test:9898/"),
        "hey -q 100 -c 101 (10100 requests per second in all): at most 10000 requests per second"
            + " (loadtester limit max-rate)");
  }

  @Test
  void heyDurationAndRequests() {
    assertThat(cmd("hey -z 1h -c 2 http://podinfo-canary.test:9898/")).isInstanceOf(LoadTask.class);
    refused(
        () -> cmd("hey -z 1h0m1s -c 2 http://podinfo-canary.test:9898/"),
        "hey -z 1h1s: at most 1h (loadtester limit max-duration)");
    refused(
        () -> cmd("hey -z 999999h -c 2 http://podinfo-canary.test:9898/"),
        "hey -z 999999h: at most 1h (loadtester limit max-duration)");
    assertThat(cmd("hey -n 10000000 -c 2 http://podinfo-canary.test:9898/"))
        .isInstanceOf(LoadTask.class);
    refused(
        () -> cmd("hey -n 10000001 -c 2 http://podinfo-canary.test:9898/"),
        "hey -n 10000001: at most 10000000 requests (loadtester limit max-requests)");
  }

  @Test
  void wrkConnectionsRateAndDuration() {
    assertThat(cmd("wrk -c 1000 -d 1h -R 10000 http://podinfo-canary.test:9898/").connections())
        .isEqualTo(1000);
    refused(
        () -> cmd("wrk -c 1001 -d 30s http://podinfo-canary.test:9898/"),
        "wrk -c 1001: at most 1000 connections (loadtester limit max-connections)");
    refused(
        () -> cmd("wrk -c 10 -d 30s -R 10001 http://podinfo-canary.test:9898/"),
        "wrk -R 10001: at most 10000 requests per second (loadtester limit max-rate)");
    refused(
        () -> cmd("wrk -c 10 -d 3601 http://podinfo-canary.test:9898/"),
        "wrk -d 1h1s: at most 1h (loadtester limit max-duration)");
  }

  @Test
  void loadTaskFields() {
    assertThat(load(Map.of("concurrency", "1000", "rate", "10000", "duration", "1h")).connections())
        .isEqualTo(1000);
    assertThat(load(Map.of("requests", "10000000"))).isInstanceOf(LoadTask.class);
    refused(
        () -> load(Map.of("concurrency", "1001", "duration", "1m")),
        "concurrency 1001: at most 1000 connections (loadtester limit max-connections)");
    refused(
        () -> load(Map.of("rate", "10000.5", "duration", "1m")),
        "rate 10000.50: at most 10000 requests per second (loadtester limit max-rate)");
    refused(
        () -> load(Map.of("duration", "61m")),
        "duration 1h1m: at most 1h (loadtester limit max-duration)");
    refused(
        () -> load(Map.of("requests", "10000001")),
        "requests 10000001: at most 10000000 requests (loadtester limit max-requests)");
  }
}
