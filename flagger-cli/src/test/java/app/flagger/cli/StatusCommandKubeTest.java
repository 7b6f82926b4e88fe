package app.flagger.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryPhase;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code status} and {@code status --watch} against the mock API server. */
@EnableKubernetesMockClient(crud = true)
class StatusCommandKubeTest {
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

  private void createEvent(Event e) {
    client.v1().events().inNamespace(Fixtures.NS).resource(e).create();
  }

  @Test
  void statusPrintsThePageWithTheCanarysEventsOnly() {
    cluster.create(StatusViewTest.progressingPaused());
    StatusViewTest.events().forEach(this::createEvent);
    Event other =
        StatusViewTest.event("Normal", "Synced", "about another canary", "2026-12-06T10:04:59Z");
    other.getMetadata().setName("other");
    other.getInvolvedObject().setName("backend");
    createEvent(other);

    MockCluster.Result r = cluster.run("status", Fixtures.NAME);

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .isEqualTo(
            StatusView.render(
                StatusViewTest.progressingPaused(), StatusViewTest.events(), MockCluster.NOW));
  }

  @Test
  void statusOfAMissingCanaryIsRefused() {
    MockCluster.Result r = cluster.run("status", "nope");
    MockCluster.Result watch = cluster.run("status", "nope", "--watch");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("canaries.flagger.app \"nope\" not found");
    assertThat(watch.code()).isEqualTo(1);
    assertThat(watch.err()).contains("canaries.flagger.app \"nope\" not found");
  }

  /** Frames written so far: the output split at each clear-screen. */
  private static List<String> frames(StringWriter out) {
    String[] parts;
    synchronized (out) {
      parts = out.toString().split(java.util.regex.Pattern.quote(StatusWatch.CLEAR), -1);
    }
    return Arrays.asList(parts).subList(1, parts.length);
  }

  @Test
  void watchRedrawsOneFramePerChangeUntilTheCanaryIsDeleted() {
    Canary first =
        Fixtures.canary(
            Fixtures.NAME, Fixtures.canaryAnalysis(), Fixtures.status(CanaryPhase.PROGRESSING, 10));
    Canary second =
        Fixtures.canary(
            Fixtures.NAME, Fixtures.canaryAnalysis(), Fixtures.status(CanaryPhase.PROGRESSING, 20));
    Canary third = StatusViewTest.progressingPaused();
    cluster.create(first);
    StringWriter out = new StringWriter();
    CompletableFuture<Integer> watch =
        cluster.async(() -> cluster.run(new PrintWriter(out), "status", Fixtures.NAME, "--watch"));

    await().atMost(Duration.ofSeconds(60)).until(() -> frames(out).size() == 1);
    cluster.setStatus(Fixtures.NAME, second.getStatus());
    await().atMost(Duration.ofSeconds(60)).until(() -> frames(out).size() == 2);
    cluster.setStatus(Fixtures.NAME, third.getStatus());
    await().atMost(Duration.ofSeconds(60)).until(() -> frames(out).size() == 3);
    client.resources(Canary.class).inNamespace(Fixtures.NS).withName(Fixtures.NAME).delete();

    assertThat(watch.join()).isZero();
    List<String> frames = frames(out);
    assertThat(frames).hasSize(3);
    assertThat(frames.get(0)).isEqualTo(StatusView.render(first, List.of(), MockCluster.NOW));
    assertThat(frames.get(1)).isEqualTo(StatusView.render(second, List.of(), MockCluster.NOW));
    assertThat(frames.get(2))
        .isEqualTo(
            StatusView.render(third, List.of(), MockCluster.NOW)
                + "\ncanary podinfo.test was deleted\n");
    assertThat(frames.get(1)).contains("Progress:         step 2/5 (weight 20/50)");
  }

  @Test
  void watchRedrawsWhenAnEventAboutTheCanaryArrives() {
    cluster.create(StatusViewTest.progressingPaused());
    StringWriter out = new StringWriter();
    CompletableFuture<Integer> watch =
        cluster.async(() -> cluster.run(new PrintWriter(out), "status", Fixtures.NAME, "-w"));

    await().atMost(Duration.ofSeconds(60)).until(() -> frames(out).size() == 1);
    createEvent(StatusViewTest.events().get(0));
    await().atMost(Duration.ofSeconds(60)).until(() -> frames(out).size() == 2);
    client.resources(Canary.class).inNamespace(Fixtures.NS).withName(Fixtures.NAME).delete();

    assertThat(watch.join()).isZero();
    assertThat(frames(out).get(1)).contains("Warning   Synced   Halt podinfo.test advancement");
  }
}
