package app.flagger.loadtester.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.loadtester.load.LoadGuard;
import app.flagger.loadtester.load.LoadLimits;
import app.flagger.model.webhook.CanaryWebhookPayload;
import io.helidon.webclient.api.WebClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flagger's ngrinder and concord task types against stand-ins for their REST APIs. */
class IntegrationRunnerTest {
  MockWebServer server = new MockWebServer();
  List<Duration> pauses = new ArrayList<>();
  IntegrationRunner runner =
      new IntegrationRunner(
          WebClient.builder().readTimeout(Duration.ofSeconds(10)).build(),
          (d, cancelled) -> {
            pauses.add(d);
            return !cancelled.getAsBoolean();
          });
  TaskFactory factory;
  @TempDir Path dir;

  @BeforeEach
  void start() throws Exception {
    server.start();
    factory =
        new TaskFactory(
            new CommandPolicy(false, java.util.Set.of(), false),
            f -> new byte[0],
            List.of(server.url("/ngrinder/").uri()),
            List.of(server.url("/").uri()),
            Optional.of(dir),
            new LoadGuard(LoadLimits.DEFAULT, null));
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  Task create(String type, Map<String, String> metadata) {
    Map<String, String> md = new HashMap<>(metadata);
    md.put("type", type);
    return factory.create(new CanaryWebhookPayload("podinfo", "test", "Progressing", "", md));
  }

  static MockResponse json(String body) {
    return new MockResponse.Builder()
        .code(200)
        .addHeader("Content-Type", "application/json")
        .body(body)
        .build();
  }

  Map<String, String> ngrinderMetadata() {
    return Map.of(
        "server", server.url("/ngrinder").toString(),
        "clone", "42",
        "username", "admin",
        "passwd", Base64.getEncoder().encodeToString("pa:ss".getBytes(StandardCharsets.UTF_8)),
        "pollInterval", "2s");
  }

  @Test
  void ngrinderClonesStartsAndPollsUntilFinished() throws Exception {
    server.enqueue(json("{\"success\":true,\"id\":7}"));
    server.enqueue(json("{\"status\":[{\"status_id\":\"TESTING\"}]}"));
    server.enqueue(json("{\"status\":[{\"status_id\":\"FINISHED\"}]}"));
    Task task = create("ngrinder", ngrinderMetadata());
    assertThat(task.blocking()).isFalse();
    assertThat(task.key()).isEqualTo("podinfo.test\nngrinder 42");
    assertThat(task.toString()).doesNotContain("pa:ss");

    TaskOutcome outcome = runner.ngrinder((NGrinderTask) task, () -> false);

    assertThat(outcome.result()).isEqualTo(TaskOutcome.Result.SUCCEEDED);
    String basic =
        "Basic "
            + Base64.getEncoder().encodeToString("admin:pa:ss".getBytes(StandardCharsets.UTF_8));
    RecordedRequest clone = server.takeRequest();
    assertThat(clone.getMethod()).isEqualTo("POST");
    assertThat(clone.getTarget()).isEqualTo("/ngrinder/perftest/api/42/clone_and_start");
    assertThat(clone.getHeaders().get("Authorization")).isEqualTo(basic);
    RecordedRequest poll = server.takeRequest();
    assertThat(poll.getMethod()).isEqualTo("GET");
    assertThat(poll.getTarget()).isEqualTo("/ngrinder/perftest/api/7/status");
    assertThat(poll.getHeaders().get("Authorization")).isEqualTo(basic);
    assertThat(pauses).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(2));
  }

  @Test
  void ngrinderFailsOnStopByErrorAndOnARefusedClone() {
    server.enqueue(json("{\"id\":8}"));
    server.enqueue(json("{\"status\":[{\"status_id\":\"STOP_BY_ERROR\"}]}"));
    NGrinderTask task = (NGrinderTask) create("ngrinder", ngrinderMetadata());
    assertThat(runner.ngrinder(task, () -> false).message())
        .isEqualTo("ngrinder test 8 ended with status STOP_BY_ERROR");

    server.enqueue(json("{\"success\":false,\"message\":\"no such test\"}"));
    TaskOutcome refused = runner.ngrinder(task, () -> false);
    assertThat(refused.result()).isEqualTo(TaskOutcome.Result.FAILED);
    assertThat(refused.message())
        .startsWith("failed to clone and start ngrinder test ")
        .contains("no such test")
        .doesNotContain("pa:ss");
  }

  @Test
  void ngrinderStopsTheTestWhenTheTaskTimesOut() throws Exception {
    server.enqueue(json("{\"id\":9}"));
    server.enqueue(json("{\"status\":[{\"status_id\":\"TESTING\"}]}"));
    server.enqueue(json("{\"success\":true}"));
    AtomicInteger polls = new AtomicInteger();
    NGrinderTask task = (NGrinderTask) create("ngrinder", ngrinderMetadata());

    TaskOutcome outcome = runner.ngrinder(task, () -> polls.incrementAndGet() > 1);

    assertThat(outcome.result()).isEqualTo(TaskOutcome.Result.TIMED_OUT);
    server.takeRequest();
    server.takeRequest();
    RecordedRequest stop = server.takeRequest();
    assertThat(stop.getMethod()).isEqualTo("PUT");
    assertThat(stop.getTarget()).isEqualTo("/ngrinder/perftest/api/9?action=stop");
  }

  @Test
  void ngrinderMetadataIsCheckedAndOnlyListedServersAreCalled() {
    assertThatThrownBy(() -> create("ngrinder", Map.of("server", "http://x/")))
        .isInstanceOf(TaskRejected.class)
        .hasMessage("server, clone, username and passwd are required metadata");
    Map<String, String> md = new HashMap<>(ngrinderMetadata());
    md.put("clone", "forty-two");
    assertThatThrownBy(() -> create("ngrinder", md))
        .hasMessage("clone: expected an integer test id, got \"forty-two\"");
    md.put("clone", "1");
    md.put("passwd", "not base64!");
    assertThatThrownBy(() -> create("ngrinder", md))
        .hasMessage("passwd: expected the password in base64");
    md.put("server", "http://169.254.169.254/latest/");
    TaskRejected refused = (TaskRejected) catchRejected(() -> create("ngrinder", md));
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.getMessage())
        .contains("loadtester.ngrinder.servers", "LOADTESTER_NGRINDER_SERVERS");
    md.put("server", server.url("/other").toString());
    assertThat(((TaskRejected) catchRejected(() -> create("ngrinder", md))).status())
        .as("a path outside the listed prefix")
        .isEqualTo(403);
  }

  static Throwable catchRejected(Runnable r) {
    try {
      r.run();
    } catch (TaskRejected e) {
      return e;
    }
    throw new AssertionError("expected a TaskRejected");
  }

  Map<String, String> concordMetadata(Path key) {
    return Map.of(
        "server", server.url("/").toString(),
        "org", "myorg",
        "project", "myproject",
        "repo", "myrepo",
        "entrypoint", "smoke",
        "apiKeyPath", key.toString(),
        "endpoint", "http://podinfo-canary.test:9898/",
        "arguments.users", "10",
        "pollInterval", "3",
        "pollTimeout", "9");
  }

  @Test
  void concordStartsAProcessWithFlaggersFormAndWaitsForIt() throws Exception {
    Path key = dir.resolve("api-key");
    Files.writeString(key, "c0nc0rd-key\n");
    server.enqueue(json("{\"instanceId\":\"abc-1\",\"ok\":true}"));
    server.enqueue(json("{\"instanceId\":\"abc-1\",\"status\":\"RUNNING\"}"));
    server.enqueue(json("{\"instanceId\":\"abc-1\",\"status\":\"FINISHED\"}"));
    ConcordTask task = (ConcordTask) create("concord", concordMetadata(key));
    assertThat(task.blocking()).isTrue();

    TaskOutcome outcome = runner.concord(task, () -> false);

    assertThat(outcome.result()).as(outcome.message()).isEqualTo(TaskOutcome.Result.SUCCEEDED);
    RecordedRequest start = server.takeRequest();
    assertThat(start.getMethod()).isEqualTo("POST");
    assertThat(start.getTarget()).isEqualTo("/api/v1/process");
    assertThat(start.getHeaders().get("Authorization")).isEqualTo("c0nc0rd-key");
    assertThat(start.getHeaders().get("Content-Type")).startsWith("multipart/form-data; boundary=");
    String form = start.getBody().utf8();
    assertThat(form)
        .contains("name=\"org\"\r\n\r\nmyorg\r\n")
        .contains("name=\"project\"\r\n\r\nmyproject\r\n")
        .contains("name=\"repo\"\r\n\r\nmyrepo\r\n")
        .contains("name=\"entryPoint\"\r\n\r\nsmoke\r\n")
        .contains("name=\"arguments.endpoint\"\r\n\r\nhttp://podinfo-canary.test:9898/\r\n")
        .contains("name=\"arguments.users\"\r\n\r\n10\r\n");
    RecordedRequest poll = server.takeRequest();
    assertThat(poll.getTarget()).isEqualTo("/api/v1/process/abc-1");
    assertThat(poll.getHeaders().get("Authorization")).isEqualTo("c0nc0rd-key");
    assertThat(pauses).containsExactly(Duration.ofSeconds(3), Duration.ofSeconds(3));
  }

  @Test
  void concordFailsOnAFailedProcessAndAfterThePollTimeout() throws Exception {
    Path key = dir.resolve("api-key");
    Files.writeString(key, "k");
    ConcordTask task = (ConcordTask) create("concord", concordMetadata(key));
    server.enqueue(json("{\"instanceId\":\"p2\"}"));
    server.enqueue(json("{\"status\":\"FAILED\"}"));
    assertThat(runner.concord(task, () -> false).message())
        .isEqualTo("concord instanceID: p2 failed with status FAILED");

    server.enqueue(json("{\"instanceId\":\"p3\"}"));
    for (int i = 0; i < 3; i++) {
      server.enqueue(json("{\"status\":\"RUNNING\"}"));
    }
    TaskOutcome slow = runner.concord(task, () -> false);
    assertThat(slow.result()).isEqualTo(TaskOutcome.Result.FAILED);
    assertThat(slow.message()).isEqualTo("concord process timed out, after 9 seconds");
  }

  @Test
  void concordMetadataIsChecked() {
    Map<String, String> md = new HashMap<>(concordMetadata(dir.resolve("missing")));
    assertThatThrownBy(() -> create("concord", md))
        .hasMessage("apiKeyPath: file " + dir.resolve("missing") + " does not exist");
    md.remove("org");
    assertThatThrownBy(() -> create("concord", md))
        .hasMessage("`org` is required with type concord");
    md.put("org", "o");
    md.put("arguments.endpoint", "http://elsewhere/");
    assertThatThrownBy(() -> create("concord", md)).hasMessageStartingWith("arguments.endpoint:");
  }

  @Test
  void concordApiKeysAreReadOnlyFromTheConfiguredDirectory() throws Exception {
    Path outside = Files.createTempFile("token", "");
    try {
      TaskRejected e =
          (TaskRejected) catchRejected(() -> create("concord", concordMetadata(outside)));
      assertThat(e.status()).isEqualTo(400);
      assertThat(e)
          .hasMessage("apiKeyPath: " + outside + " is outside loadtester.concord.api-key-dir");
      Map<String, String> escape = new HashMap<>(concordMetadata(dir.resolve("../../etc/passwd")));
      assertThat(catchRejected(() -> create("concord", escape)))
          .hasMessageContaining("is outside loadtester.concord.api-key-dir");
      TaskFactory withoutDir =
          new TaskFactory(
              new CommandPolicy(false, java.util.Set.of(), false),
              f -> new byte[0],
              List.of(),
              List.of(server.url("/").uri()));
      Files.writeString(dir.resolve("api-key"), "k");
      TaskRejected refused =
          (TaskRejected)
              catchRejected(
                  () ->
                      withoutDir.create(
                          new CanaryWebhookPayload(
                              "podinfo",
                              "test",
                              "",
                              "",
                              withType("concord", concordMetadata(dir.resolve("api-key"))))));
      assertThat(refused.status()).isEqualTo(403);
      assertThat(refused).hasMessageContaining("loadtester.concord.api-key-dir");
    } finally {
      Files.delete(outside);
    }
  }

  private static Map<String, String> withType(String type, Map<String, String> md) {
    Map<String, String> out = new HashMap<>(md);
    out.put("type", type);
    return out;
  }

  @Test
  void withoutListedServersBothTypesAre403() {
    TaskFactory closed =
        new TaskFactory(new CommandPolicy(false, java.util.Set.of(), false), f -> new byte[0]);
    TaskRejected e =
        (TaskRejected)
            catchRejected(
                () ->
                    closed.create(
                        new CanaryWebhookPayload(
                            "podinfo",
                            "test",
                            "",
                            "",
                            Map.of(
                                "type",
                                "ngrinder",
                                "server",
                                "http://ngrinder/",
                                "clone",
                                "1",
                                "username",
                                "u",
                                "passwd",
                                "cA=="))));
    assertThat(e.status()).isEqualTo(403);
  }
}
