package app.flagger.cli;

import static app.flagger.cli.Fixtures.NAME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.control.ControlAction;
import app.flagger.model.control.ControlCommand;
import app.flagger.model.control.ControlStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** promote, abort, retry, pause, resume and approve against the mock API server. */
@EnableKubernetesMockClient(crud = true)
class SteerCommandsKubeTest {
  KubernetesClient client;
  @TempDir Path dir;
  MockCluster cluster;

  @AfterEach
  void tearDown() {
    cluster.close();
  }

  @BeforeEach
  void setUp() {
    cluster = new MockCluster(client, dir);
  }

  private ControlCommand annotation() {
    Canary c = cluster.get(NAME);
    return ControlCommand.parse(c.getMetadata().getAnnotations().get(ControlCommand.ANNOTATION));
  }

  @ParameterizedTest
  @CsvSource({
    "Progressing, promote, promote",
    "WaitingPromotion, promote --full, promote-full",
    "Progressing, abort, abort",
    "Failed, retry, retry",
    "Waiting, pause, pause",
    "Progressing, resume, resume",
  })
  void eachCommandWritesItsAnnotation(String phase, String command, String action) {
    cluster.create(
        Fixtures.canary(
            NAME, Fixtures.canaryAnalysis(), Fixtures.status(CanaryPhase.of(phase), 20)));
    String[] words = command.split(" ");
    String[] args = new String[words.length + 1];
    args[0] = words[0];
    args[1] = NAME;
    System.arraycopy(words, 1, args, 2, words.length - 1);

    MockCluster.Result r = cluster.run(args);

    assertThat(r.code()).as(r.err()).isZero();
    ControlCommand cmd = annotation();
    assertThat(cmd.action()).isEqualTo(ControlAction.parse(action).orElseThrow());
    assertThat(cmd.gate()).isNull();
    assertThat(cmd.user()).isEqualTo("alice");
    assertThat(cmd.requestedAt()).isEqualTo("2026-12-06T10:05:00Z");
    assertThat(r.out())
        .isEqualTo(command + " requested for canary podinfo.test (id " + cmd.id() + ")\n");
  }

  @Test
  void aNewCommandGetsAFreshIdAndLeavesTheSpecAndOtherAnnotationsAlone() {
    Canary c =
        Fixtures.canary(
            NAME, Fixtures.canaryAnalysis(), Fixtures.status(CanaryPhase.PROGRESSING, 20));
    c.getMetadata().setAnnotations(java.util.Map.of("team", "web"));
    Canary created = cluster.create(c);

    cluster.run("pause", NAME);
    String first = annotation().id();
    cluster.run("resume", NAME);

    Canary after = cluster.get(NAME);
    assertThat(annotation().id()).isNotEqualTo(first);
    assertThat(annotation().action()).isEqualTo(ControlAction.RESUME);
    assertThat(after.getMetadata().getAnnotations()).containsEntry("team", "web");
    assertThat(after.getSpec()).isEqualTo(created.getSpec());
    assertThat(after.getStatus()).isEqualTo(created.getStatus());
  }

  @ParameterizedTest
  @CsvSource({
    "Waiting, '', confirm-rollout",
    "WaitingPromotion, '', confirm-promotion",
    "Progressing, confirm-traffic-increase, confirm-traffic-increase",
    "Succeeded, confirm-rollout, confirm-rollout",
  })
  void approveOpensTheNamedGateOrTheOneTheReleaseWaitsAt(
      String phase, String gate, String expected) {
    cluster.create(
        Fixtures.canary(
            NAME, Fixtures.canaryAnalysis(), Fixtures.status(CanaryPhase.of(phase), 0)));

    MockCluster.Result r =
        gate.isEmpty() ? cluster.run("approve", NAME) : cluster.run("approve", NAME, gate);

    assertThat(r.code()).as(r.err()).isZero();
    ControlCommand cmd = annotation();
    assertThat(cmd.action()).isEqualTo(ControlAction.APPROVE);
    assertThat(cmd.gate()).isEqualTo(expected);
    assertThat(r.out())
        .startsWith("approve " + expected + " requested for canary podinfo.test (id ");
  }

  @Test
  void approveWithoutAGateIsAUsageErrorWhenTheReleaseIsNotKnownToWait() {
    cluster.create(
        Fixtures.canary(
            NAME, Fixtures.canaryAnalysis(), Fixtures.status(CanaryPhase.PROGRESSING, 20)));

    MockCluster.Result r = cluster.run("approve", NAME);

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .contains(
            "GATE: canary podinfo.test is Progressing and not known to wait at a gate; name one"
                + " of confirm-rollout, confirm-traffic-increase, confirm-promotion")
        .contains("Usage: kubectl flagger approve");
    assertThat(cluster.get(NAME).getMetadata().getAnnotations()).isNullOrEmpty();
  }

  @Test
  void aCommandInAPhaseWhereItMakesNoSenseIsRefusedWithTheReason() {
    cluster.create(
        Fixtures.canary(
            NAME, Fixtures.canaryAnalysis(), Fixtures.status(CanaryPhase.SUCCEEDED, 0)));

    MockCluster.Result promote = cluster.run("promote", NAME);
    MockCluster.Result retry = cluster.run("retry", NAME);

    assertThat(promote.code()).isEqualTo(1);
    assertThat(promote.err())
        .isEqualTo(
            "error: cannot promote canary podinfo.test: it is Succeeded; promote applies when it"
                + " is Waiting, Progressing or WaitingPromotion\n");
    assertThat(retry.code()).isEqualTo(1);
    assertThat(retry.err())
        .isEqualTo(
            "error: cannot retry canary podinfo.test: it is Succeeded; retry applies when it is"
                + " Failed\n");
    assertThat(cluster.get(NAME).getMetadata().getAnnotations()).isNullOrEmpty();
  }

  @Test
  void aMissingCanaryIsRefused() {
    MockCluster.Result r = cluster.run("abort", "nope");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo(
            "error: Error from server (NotFound): canaries.flagger.app \"nope\" not found in"
                + " namespace test\n");
  }

  @Test
  void theNamespaceFlagAndTheContextChooseWhereToLook() {
    cluster.create(
        Fixtures.canary(
            NAME, Fixtures.canaryAnalysis(), Fixtures.status(CanaryPhase.PROGRESSING, 20)));

    assertThat(cluster.run("pause", NAME, "-n", "test").code()).isZero();
    assertThat(cluster.run("pause", NAME, "--context", "other").code()).isEqualTo(1);
    assertThat(cluster.run("pause", NAME, "--context", "other", "-n", "test").code()).isZero();
    assertThat(annotation().user()).isEqualTo("bob");
    assertThat(cluster.run("pause", NAME, "--context", "nowhere").err())
        .isEqualTo("error: --context: no context nowhere in the kubeconfig\n");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "promote",
        "approve podinfo confirm-everything",
        "promote podinfo --bogus",
        "promote podinfo --wait --timeout soon",
        "get -o table",
        "get podinfo -A",
        "frobnicate podinfo",
        "''",
      })
  void usageErrorsExitWith2(String args) {
    cluster.create(
        Fixtures.canary(NAME, Fixtures.canaryAnalysis(), Fixtures.status(CanaryPhase.WAITING, 0)));

    MockCluster.Result r = cluster.run(args.isEmpty() ? new String[0] : args.split(" "));

    assertThat(r.code()).as(r.out() + r.err()).isEqualTo(2);
    assertThat(r.err()).containsAnyOf("Usage: kubectl flagger", "Did you mean");
    assertThat(cluster.get(NAME).getMetadata().getAnnotations()).isNullOrEmpty();
  }

  @Test
  void waitPrintsTheControllersAcknowledgement() {
    cluster.create(
        Fixtures.canary(
            NAME, Fixtures.canaryAnalysis(), Fixtures.status(CanaryPhase.PROGRESSING, 20)));

    CompletableFuture<MockCluster.Result> run =
        cluster.async(() -> cluster.run("promote", NAME, "--wait", "--timeout", "2m"));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                cluster.get(NAME).getMetadata().getAnnotations() != null
                    && cluster
                        .get(NAME)
                        .getMetadata()
                        .getAnnotations()
                        .containsKey(ControlCommand.ANNOTATION));
    String id = annotation().id();
    cluster.setStatus(
        NAME,
        Fixtures.status(
            CanaryPhase.PROGRESSING,
            20,
            0,
            0,
            new ControlStatus(
                id,
                "promote",
                ControlStatus.ACCEPTED,
                "Promotion requested by alice",
                "2026-12-06T10:05:01Z",
                null,
                null,
                true,
                null,
                null,
                List.of(),
                null),
            null));

    MockCluster.Result r = run.join();
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .isEqualTo(
            "promote requested for canary podinfo.test (id "
                + id
                + ")\nAccepted: Promotion requested by alice\n");
  }

  @Test
  void waitGivesUpAfterTheTimeout() {
    cluster.create(
        Fixtures.canary(
            NAME, Fixtures.canaryAnalysis(), Fixtures.status(CanaryPhase.PROGRESSING, 20)));

    MockCluster.Result r = cluster.run("abort", NAME, "--wait", "--timeout", "1s");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .startsWith("error: the controller did not acknowledge ")
        .contains("within 1s (is it running?)");
  }
}
