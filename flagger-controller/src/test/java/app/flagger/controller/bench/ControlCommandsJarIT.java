package app.flagger.controller.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.flagger.controller.support.Crds;
import app.flagger.controller.support.HookServer;
import app.flagger.controller.support.MockApiServer;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryAnalysis;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.canary.CanarySpec;
import app.flagger.model.canary.CanaryWebhook;
import app.flagger.model.control.ControlStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The kubectl plugin steering the controller as both ship: the launcher {@code
 * flagger-cli/target/kubectl-flagger} (built before this module: flagger-cli is a test dependency)
 * against the packaged controller started as the image starts it, on fabric8's mock API server with
 * a fake deployment controller. A release is aborted, retried, held at a closed confirm-promotion
 * gate until approved, and a full promotion asked while the controller is down is carried out by
 * the next controller process. Each command is acknowledged in {@code status.control} and takes
 * effect within a tick or two (10 s interval).
 */
class ControlCommandsJarIT {
  private static final String NS = BenchApiServer.NS;
  private static final String NAME = JsonLogJarIT.CANARY;
  private static final Path LAUNCHER =
      JsonLogJarIT.MODULE.resolve("../flagger-cli/target/kubectl-flagger").normalize();

  @Test
  void promoteAbortRetryAndApproveTakeEffectAndSurviveARestart() throws Exception {
    assertThat(LAUNCHER)
        .as("the plugin's launcher (build flagger-cli first, e.g. make build)")
        .isExecutable();
    Path dir = JsonLogJarIT.MODULE.resolve("target/control-commands-it");
    ExecutorService writer = Executors.newSingleThreadExecutor();
    try (MockApiServer api = MockApiServer.start();
        KubernetesClient client = new KubernetesClientBuilder().withConfig(api.config(0)).build();
        HookServer gate = new HookServer()) {
      gate.respond("gate-check", 403);
      Crds.register(client);
      BenchApiServer.seed(client, NAME);
      withConfirmPromotionGate(client, gate.url("gate-check"));
      BenchApiServer.finishRollouts(client, writer);
      Map<String, String> env = JsonLogJarIT.env(dir, client.getConfiguration().getMasterUrl());
      Path kubeconfig = dir.resolve("kubeconfig");

      try (ControllerProcess controller = start(dir, env)) {
        controller.awaitLogged("Initialization done!", Duration.ofMinutes(3));
        newRevision(client, "podinfo:2");
        awaitPhase(client, controller, CanaryPhase.PROGRESSING);

        Cli abort = cli(kubeconfig, "abort", NAME, "--wait", "--timeout", "60s");
        assertThat(abort.exit()).as(abort.output()).isZero();
        awaitPhase(client, controller, CanaryPhase.FAILED);
        assertThat(control(client).lastCommandResult()).isEqualTo(ControlStatus.ACCEPTED);
        assertThat(events(client)).anyMatch(m -> m.startsWith("Rollback requested by "));

        Cli retry = cli(kubeconfig, "retry", NAME, "--wait", "--timeout", "60s");
        assertThat(retry.exit()).as(retry.output()).isZero();
        awaitPhase(client, controller, CanaryPhase.PROGRESSING);

        // two iterations, then the closed gate holds it
        awaitPhase(client, controller, CanaryPhase.WAITING_PROMOTION);
        Cli approve = cli(kubeconfig, "approve", NAME, "confirm-promotion", "--wait");
        assertThat(approve.exit()).as(approve.output()).isZero();
        awaitPhase(client, controller, CanaryPhase.SUCCEEDED);
        assertThat(events(client))
            .anyMatch(m -> m.startsWith("Gate confirm-promotion approved by "));

        newRevision(client, "podinfo:3");
        awaitPhase(client, controller, CanaryPhase.PROGRESSING);
      }

      // the controller is down: the command waits in the annotation
      Cli full = cli(kubeconfig, "promote", NAME, "--full");
      assertThat(full.exit()).as(full.output()).isZero();
      assertThat(control(client).lastCommandAction())
          .as("the last command handled is still the approval")
          .isEqualTo("approve");

      try (ControllerProcess controller = start(dir.resolve("restarted"), env)) {
        awaitPhase(client, controller, CanaryPhase.SUCCEEDED);
        assertThat(control(client).lastCommandAction()).isEqualTo("promote-full");
        assertThat(control(client).lastCommandResult()).isEqualTo(ControlStatus.ACCEPTED);
        assertThat(events(client))
            .filteredOn(m -> m.startsWith("Full promotion requested by "))
            .hasSize(1);
      }
    } finally {
      writer.shutdownNow();
    }
  }

  private static ControllerProcess start(Path dir, Map<String, String> env) throws Exception {
    return ControllerProcess.start(
        CanaryBenchIT.jar(JsonLogJarIT.MODULE), JsonLogJarIT.shipped(), env, dir);
  }

  /** Two iterations of the blue/green analysis, then a confirm-promotion gate at {@code url}. */
  private static void withConfirmPromotionGate(KubernetesClient client, String url) {
    editAnalysis(
        client,
        NAME,
        2,
        List.of(
            new CanaryWebhook("approval", "confirm-promotion", url, null, null, null, null, null)));
  }

  /**
   * The Canary {@code name} of the benchmark's seed with {@code iterations} and {@code webhooks}.
   */
  static void editAnalysis(
      KubernetesClient client, String name, int iterations, List<CanaryWebhook> webhooks) {
    client
        .resources(Canary.class)
        .inNamespace(NS)
        .withName(name)
        .edit(
            c -> {
              CanarySpec s = c.getSpec();
              CanaryAnalysis a = s.analysis();
              CanaryAnalysis gated =
                  new CanaryAnalysis(
                      a.interval(),
                      a.threshold(),
                      a.maxWeight(),
                      a.stepWeight(),
                      a.stepWeights(),
                      a.stepWeightPromotion(),
                      iterations,
                      a.primaryReadyThreshold(),
                      a.canaryReadyThreshold(),
                      a.mirror(),
                      a.mirrorWeight(),
                      a.match(),
                      a.metrics(),
                      webhooks,
                      a.alerts(),
                      a.sessionAffinity());
              c.setSpec(
                  new CanarySpec(
                      s.provider(),
                      s.metricsServer(),
                      s.targetRef(),
                      s.autoscalerRef(),
                      s.ingressRef(),
                      s.routeRef(),
                      s.upstreamRef(),
                      s.service(),
                      gated,
                      s.canaryAnalysis(),
                      s.progressDeadlineSeconds(),
                      s.skipAnalysis(),
                      s.revertOnDeletion(),
                      s.suspend()));
              return c;
            });
  }

  private static void newRevision(KubernetesClient client, String image) {
    newRevision(client, NAME, image);
  }

  /**
   * A new pod template for the Deployment {@code name}: a new revision to release. The edit is
   * tried again when the fake deployment controller wrote the Deployment's status in between (409).
   */
  static void newRevision(KubernetesClient client, String name, String image) {
    for (int attempt = 1; ; attempt++) {
      try {
        client
            .apps()
            .deployments()
            .inNamespace(NS)
            .withName(name)
            .edit(
                d -> {
                  d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(image);
                  return d;
                });
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 10) {
          throw e;
        }
      }
    }
  }

  private static void awaitPhase(
      KubernetesClient client, ControllerProcess controller, CanaryPhase phase) {
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () -> ProviderPromotionJarIT.assertInPhase(client, controller, NS, NAME, phase));
  }

  private static ControlStatus control(KubernetesClient client) {
    Canary c = client.resources(Canary.class).inNamespace(NS).withName(NAME).get();
    return c.getStatus().controlOrEmpty();
  }

  private static List<String> events(KubernetesClient client) {
    List<String> out = new ArrayList<>();
    for (Event e : client.v1().events().inNamespace(NS).list().getItems()) {
      out.add(e.getMessage());
    }
    return out;
  }

  private record Cli(int exit, String output) {}

  /** Runs the launcher as a user would, with this test's JDK as JAVA_HOME. */
  private static Cli cli(Path kubeconfig, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
    command.addAll(List.of(args));
    command.addAll(List.of("-n", NS, "--kubeconfig", kubeconfig.toString()));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    Path javaHome =
        Path.of(ProcessHandle.current().info().command().orElseThrow()).getParent().getParent();
    pb.environment().put("JAVA_HOME", javaHome.toString());
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("kubectl-flagger " + String.join(" ", args) + " did not exit");
    }
    return new Cli(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }
}
