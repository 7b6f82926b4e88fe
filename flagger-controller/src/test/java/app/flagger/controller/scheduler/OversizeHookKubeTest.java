package app.flagger.controller.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.flagger.controller.support.CanaryFixture;
import app.flagger.controller.support.ControllerHarness;
import app.flagger.controller.support.Crds;
import app.flagger.controller.support.FakeDeploymentController;
import app.flagger.controller.support.GeneratedBody;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.canary.CanarySpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A webhook that answers with a 300 MB body costs one failed check of its own Canary, and nothing
 * else: the controller reads at most {@code flagger.http-response-limit} bytes of it, and another
 * Canary in the same controller keeps advancing.
 */
@EnableKubernetesMockClient(crud = true)
class OversizeHookKubeTest {
  static final String OTHER_NS = "other";
  static final long HUGE = 300L * 1024 * 1024;

  KubernetesClient client;
  MockWebServer hooks = new MockWebServer();
  final List<GeneratedBody> sent = new CopyOnWriteArrayList<>();
  final Map<String, Integer> codes = new ConcurrentHashMap<>();
  ControllerHarness h;
  CanaryFixture fixture;
  CanaryFixture otherFixture;
  FakeDeploymentController deployments;
  FakeDeploymentController otherDeployments;

  @BeforeEach
  void setUp() throws Exception {
    hooks.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest r) {
            String path = r.getUrl().encodedPath();
            if (!path.equals("/huge")) {
              return new MockResponse.Builder().code(200).build();
            }
            // made up while it is sent: the test never holds 300 MB either
            GeneratedBody body = GeneratedBody.chunked(HUGE);
            sent.add(body);
            return body.response(codes.getOrDefault(path, 403));
          }
        });
    hooks.start();
    Crds.register(client);
    fixture = new CanaryFixture(client).seed();
    deployments = new FakeDeploymentController(client, CanaryFixture.NS);
    otherDeployments = new FakeDeploymentController(client, OTHER_NS);
    otherFixture = new CanaryFixture(client, OTHER_NS).seed();
    h = ControllerHarness.create(client);
  }

  @AfterEach
  void tearDown() throws Exception {
    h.close();
    hooks.close();
  }

  /** A Canary with one rollout hook posting to {@code url}, stepWeight 50, threshold 5. */
  static CanarySpec withRolloutHook(String name, String url) {
    return CanaryFixture.spec(
        "istio",
        CanaryFixture.analysis(
            50, null, null, 5, List.of(CanaryFixture.hook(name, "rollout", url))));
  }

  Canary other() {
    return otherFixture.get();
  }

  /** One tick of both Canaries, then the fake deployment controllers finish every rollout. */
  void tick() {
    h.tick();
    h.controller.advancer().advance(CanaryFixture.NAME, OTHER_NS);
    deployments.reconcileAll();
    otherDeployments.reconcileAll();
  }

  /** Both Canaries initialized, then a new revision of both, now Progressing. */
  void startBoth() {
    fixture.create(withRolloutHook("huge", hooks.url("/huge").toString()));
    otherFixture.create(withRolloutHook("load-test", hooks.url("/load-test").toString()));
    h.sync();
    h.controller.handler().sync(other());
    // initialize: primaries created, then ready
    tick();
    tick();
    assertThat(fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.INITIALIZED);
    assertThat(other().getStatus().phase()).isEqualTo(CanaryPhase.INITIALIZED);
    fixture.rolloutNewRevision("ghcr.io/stefanprodan/podinfo:6.0.1");
    otherFixture.rolloutNewRevision("ghcr.io/stefanprodan/podinfo:6.0.1");
    // new revision detected: both Progressing
    tick();
    assertThat(fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.PROGRESSING);
    assertThat(other().getStatus().phase()).isEqualTo(CanaryPhase.PROGRESSING);
    h.events.clear();
  }

  /** A 403 with a 300 MB body: a failed check naming the limit; the other Canary advances. */
  @Test
  void aHugeErrorBodyFailsThatCheckAndNothingElse() {
    startBoth();
    String oversize =
        "Halt podinfo.default advancement external check huge failed 403 Forbidden: response body"
            + " from "
            + hooks.url("/huge")
            + " exceeds 1048576 bytes";

    // first analysis tick: both shift to 50 (rollout hooks run from the next tick on)
    tick();
    assertThat(fixture.get().getStatus().canaryWeightOrZero()).isEqualTo(50);
    assertThat(other().getStatus().canaryWeightOrZero()).isEqualTo(50);

    // the huge hook fails its Canary's check; the other Canary shifts to 100
    tick();
    assertThat(fixture.get().getStatus().failedChecksOrZero())
        .as(() -> h.events.all().toString())
        .isOne();
    assertThat(fixture.get().getStatus().canaryWeightOrZero()).isEqualTo(50);
    assertThat(h.events.all())
        .filteredOn(e -> e.type().equals("Warning"))
        .extracting(e -> e.message())
        .containsExactly(oversize);
    assertThat(other().getStatus().canaryWeightOrZero()).isEqualTo(100);
    assertThat(other().getStatus().failedChecksOrZero()).isZero();

    // the same again, and the other Canary is promoted
    tick();
    assertThat(fixture.get().getStatus().failedChecksOrZero()).isEqualTo(2);
    assertThat(fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.PROGRESSING);
    assertThat(other().getStatus().phase()).isEqualTo(CanaryPhase.PROMOTING);

    assertThat(sent).hasSize(2);
    await().atMost(Duration.ofSeconds(60)).until(() -> sent.stream().allMatch(b -> b.finished()));
    assertThat(sent)
        .as("the controller stopped reading each body early")
        .allSatisfy(b -> assertThat(b.written()).isLessThan(64L * 1024 * 1024));
  }

  /**
   * A 500 with a 300 MB body: retried statuses never surface their body (Flagger), so the check
   * fails with the status and the body is not read at all.
   */
  @Test
  void aHugeServerErrorBodyFailsThatCheckWithTheStatus() {
    codes.put("/huge", 500);
    startBoth();

    // first analysis tick: both shift to 50
    tick();
    // the huge hook fails its Canary's check; the other Canary shifts to 100
    tick();
    assertThat(fixture.get().getStatus().failedChecksOrZero())
        .as(() -> h.events.all().toString())
        .isOne();
    assertThat(h.events.all())
        .filteredOn(e -> e.type().equals("Warning"))
        .extracting(e -> e.message())
        .containsExactly(
            "Halt podinfo.default advancement external check huge failed POST "
                + hooks.url("/huge")
                + " giving up after 1 attempt(s): unexpected HTTP status 500 Internal Server"
                + " Error");
    assertThat(other().getStatus().canaryWeightOrZero()).isEqualTo(100);
    await().atMost(Duration.ofSeconds(60)).until(() -> sent.stream().allMatch(b -> b.finished()));
    assertThat(sent).singleElement().satisfies(b -> assertThat(b.written()).isLessThan(HUGE / 4));
  }
}
