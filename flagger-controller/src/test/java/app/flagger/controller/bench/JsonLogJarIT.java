package app.flagger.controller.bench;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.support.Crds;
import app.flagger.controller.support.MockApiServer;
import app.flagger.model.support.ZapJsonLog;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import jakarta.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * The controller as it ships writes nothing but Flagger's JSON log lines: its packaged jar, started
 * as the image starts it ({@link ControllerJvm#shipped}: the Dockerfile's entry point and {@code
 * ENV}, the Deployment's limits), against fabric8's mock API server with the podinfo Deployment and
 * its Canary (the benchmark's, {@link BenchApiServer#seed}) and a fake deployment controller. Every
 * line of its stdout and stderr, from the first to the last after SIGTERM, must parse as one JSON
 * object with {@code level}, {@code ts}, {@code caller} and {@code msg} in zap's format.
 *
 * <p>A {@code *JarIT}: failsafe runs it in the {@code integration-test} phase, after {@code
 * package} built the jar and {@code target/libs}, so {@code make test} runs it on the jar it just
 * built.
 */
class JsonLogJarIT {
  static final Path MODULE = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
  static final String CANARY = "app-0";
  static final String CANARY_KEY = CANARY + "." + BenchApiServer.NS;

  /**
   * Flagger's messages the run must log, in this order (each a prefix of a {@code msg}): Main's,
   * the leader election's, then the tick's event.
   */
  static final List<String> IN_ORDER =
      List.of(
          "Starting flagger version",
          "Acting as elected leader",
          "Initialization done! " + CANARY_KEY);

  @Test
  void startupASyncAndATickAreLoggedAsFlaggersJsonLinesOnly() throws Exception {
    Path dir = MODULE.resolve("target/json-log-it/running");
    List<String> log;
    ExecutorService writer = Executors.newSingleThreadExecutor();
    try (MockApiServer api = MockApiServer.start();
        KubernetesClient client = new KubernetesClientBuilder().withConfig(api.config(0)).build()) {
      Crds.register(client);
      BenchApiServer.seed(client, CANARY);
      BenchApiServer.finishRollouts(client, writer);
      Map<String, String> env = env(dir, client.getConfiguration().getMasterUrl());
      try (ControllerProcess controller =
          ControllerProcess.start(CanaryBenchIT.jar(MODULE), shipped(), env, dir)) {
        // the tick that initializes it
        controller.awaitLogged("Initialization done!", Duration.ofMinutes(3));
      }
      log = java.nio.file.Files.readAllLines(dir.resolve(ControllerProcess.LOG));
    } finally {
      writer.shutdownNow();
    }

    List<JsonObject> lines = ZapJsonLog.everyLine(log);
    assertThat(ZapJsonLog.messages(lines, IN_ORDER))
        .as("Flagger's messages, in order")
        .containsSubsequence(IN_ORDER);
    JsonObject initialized = ZapJsonLog.first(lines, "Initialization done!");
    assertThat(initialized.getString("canary")).isEqualTo(CANARY_KEY);
    assertThat(initialized.getString("level")).isEqualTo("info");
    assertThat(initialized.getString("caller")).matches("events/LogEventSink\\.java:\\d+");
    assertThat(ZapJsonLog.first(lines, "Starting flagger version").getString("caller"))
        .matches("controller/Main\\.java:\\d+");
    assertThat(lines)
        .as("fabric8's own warning, through slf4j-jdk14")
        .anySatisfy(
            o -> {
              assertThat(o.getString("msg")).contains("unstable version 'v1beta1'");
              assertThat(o.getString("level")).isEqualTo("warn");
            });
  }

  @Test
  void aControllerThatCannotStartSaysWhyInOneJsonErrorLineWithItsStackTrace() throws Exception {
    Path dir = MODULE.resolve("target/json-log-it/bad-config");
    Map<String, String> env = new java.util.HashMap<>(env(dir, "http://127.0.0.1:1"));
    env.put("FLAGGER_KUBECONFIG_BURST", "0");
    List<String> log;
    try (ControllerProcess controller =
        ControllerProcess.start(CanaryBenchIT.jar(MODULE), shipped(), env, dir)) {
      assertThat(controller.awaitExit(Duration.ofMinutes(2)))
          .as("the exit code; its log:\n%s", controller.logTail(40))
          .hasValue(1);
      log = controller.log();
    }

    JsonObject error =
        ZapJsonLog.first(ZapJsonLog.everyLine(log), "uncaught exception in thread main");
    assertThat(error.getString("level")).isEqualTo("error");
    assertThat(error.getString("msg"))
        .endsWith(
            "IllegalArgumentException: flagger.kubeconfig-burst: expected a number of requests of"
                + " at least 1, got 0");
    assertThat(error.getString("stacktrace"))
        .startsWith("java.lang.IllegalArgumentException: flagger.kubeconfig-burst")
        .contains("\tat app.flagger.controller.Main.main(Main.java:");
  }

  /** The JVM as the image runs it, under the controller container's limits. */
  static ControllerJvm shipped() throws Exception {
    return ControllerJvm.shipped(
        MODULE.resolve("Dockerfile"),
        MODULE.resolve("../k8s/controller/050-Deployment-flagger.yaml").normalize(),
        "");
  }

  /** The pod's configuration, with a kubeconfig for the API server at {@code url}. */
  static Map<String, String> env(Path dir, String url) throws Exception {
    Path kubeconfig = ControllerProcess.kubeconfig(dir, url, CanaryBenchIT.LEASE_NAMESPACE);
    return Map.of(
        "KUBECONFIG",
        kubeconfig.toString(),
        "FLAGGER_MESH_PROVIDER",
        "kubernetes",
        "FLAGGER_ENABLE_LEADER_ELECTION",
        "true",
        "FLAGGER_LEADER_ELECTION_NAMESPACE",
        CanaryBenchIT.LEASE_NAMESPACE);
  }
}
