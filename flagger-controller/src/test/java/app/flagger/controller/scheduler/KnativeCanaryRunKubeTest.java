package app.flagger.controller.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.flagger.controller.StandardComponents;
import app.flagger.controller.kube.KnativeServices;
import app.flagger.controller.router.knative.KnativeFixtures;
import app.flagger.controller.router.knative.KnativeRouter;
import app.flagger.controller.support.CanaryFixture;
import app.flagger.controller.support.StandardRun;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.canary.CanarySpec;
import app.flagger.model.provider.Provider;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A {@code knative} Canary (Flagger's test/knative Canary shape: a Knative Service target, no
 * {@code spec.service}) end to end on the mock API server with Knative's Service and Revision CRDs:
 * the Knative controller and router, builtin Envoy metric checks against a Prometheus stub and
 * alerts to a Slack stub, all wired as in production by {@link StandardComponents}. The test plays
 * Knative after each tick: a new revision per template change and the Service's status.
 */
@EnableKubernetesMockClient(crud = true)
class KnativeCanaryRunKubeTest {
  KubernetesClient client;
  StandardRun run;
  KnativeFixtures knative;

  /** Knative's builtin duration query reads Envoy's milliseconds: 100 is 100ms. */
  @BeforeEach
  void setUp() throws Exception {
    KnativeFixtures.registerCrds(client);
    run = new StandardRun(client, "100");
    knative =
        new KnativeFixtures(client, CanaryFixture.NS, CanaryFixture.NAME)
            .create("ghcr.io/stefanprodan/podinfo:6.0.0");
    run.afterEachTick(knative::reconcile);
  }

  @AfterEach
  void tearDown() throws Exception {
    run.close();
  }

  /** Flagger's e2e: Initialized with podinfo-00001 as the primary, then a new revision. */
  private void initializeAndRelease() {
    CanarySpec base = run.spec("knative", null, 10, null, null, null);
    run.createCanary(
        KnativeFixtures.canarySpec(CanaryFixture.NAME, base.metricsServer(), base.analysis()));
    run.tick();
    assertThat(run.fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.INITIALIZED);
    assertThat(KnativeServices.primaryRevision(knative.service())).isEqualTo("podinfo-00001");
    assertThat(knative.specWeights()).containsExactly(100, 0);

    knative.release("ghcr.io/stefanprodan/podinfo:6.0.1");
    knative.reconcile();
    run.tick();
    assertThat(run.fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.PROGRESSING);
    run.events.clear();
  }

  @Test
  void promotesTheLatestRevisionWithHealthyMetrics() throws InterruptedException {
    initializeAndRelease();

    run.promoteInThreeSteps(knative::specWeights);

    assertThat(KnativeServices.primaryRevision(knative.service())).isEqualTo("podinfo-00002");
    assertThat(KnativeServices.specTraffic(knative.service()))
        .isEqualTo(KnativeServices.traffic("podinfo-00002", 100, 0));
    // the knative observer selects the latest created revision's Envoy cluster
    assertThat(run.prometheusQueries())
        .anySatisfy(
            q ->
                assertThat(q)
                    .contains("envoy_cluster_upstream_rq{")
                    .contains("envoy_cluster_name=~\"default/podinfo-00002\""))
        .anySatisfy(q -> assertThat(q).contains("envoy_cluster_upstream_rq_time_bucket"));
  }

  @Test
  void rollsBackToThePrimaryRevisionWhenTheSuccessRateIsTooLow() {
    initializeAndRelease();

    run.rollBackAfterTwoFailedChecks(knative::specWeights);

    assertThat(KnativeServices.primaryRevision(knative.service())).isEqualTo("podinfo-00001");
    assertThat(KnativeServices.specTraffic(knative.service()))
        .isEqualTo(KnativeServices.traffic("podinfo-00001", 100, 0));
  }

  /** Blue/green: all traffic on the new revision for two iterations, then promotion. */
  @Test
  void blueGreenSwitchesAllTrafficToTheLatestRevisionThenPromotes() {
    CanarySpec base = run.spec("knative", null, null, 2, null, null);
    run.createCanary(
        KnativeFixtures.canarySpec(CanaryFixture.NAME, base.metricsServer(), base.analysis()));
    run.tick();
    knative.release("ghcr.io/stefanprodan/podinfo:6.0.1");
    knative.reconcile();

    List<List<Integer>> seen = run.runToPromotion(knative::specWeights);

    assertThat(run.fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.SUCCEEDED);
    assertThat(seen).contains(List.of(0, 100));
    assertThat(run.events.messages()).contains("Advance podinfo.default canary iteration 1/2");
    assertThat(KnativeServices.specTraffic(knative.service()))
        .isEqualTo(KnativeServices.traffic("podinfo-00002", 100, 0));
  }

  /** revertOnDeletion: the annotation goes, the traffic stays pinned, the Canary goes away. */
  @Test
  void revertOnDeletionRemovesThePrimaryRevisionAnnotation() {
    CanarySpec base = run.spec("knative", null, 10, null, null, null);
    run.createCanary(
        CanaryFixture.with(
            KnativeFixtures.canarySpec(CanaryFixture.NAME, base.metricsServer(), base.analysis()),
            null,
            true,
            null));
    run.tick();
    assertThat(KnativeServices.primaryRevision(knative.service())).isEqualTo("podinfo-00001");

    client.resources(Canary.class).inNamespace(CanaryFixture.NS).withName("podinfo").delete();
    run.controller.handler().sync(run.fixture.get());

    await().atMost(Duration.ofSeconds(30)).until(() -> run.fixture.get() == null);
    assertThat(run.events.messages())
        .contains("Terminating canary podinfo.default", "Terminated canary podinfo.default");
    assertThat(KnativeServices.primaryRevision(knative.service())).isNull();
    assertThat(KnativeServices.specTraffic(knative.service()))
        .isEqualTo(KnativeServices.traffic("podinfo-00001", 100, 0));
  }

  @Test
  void standardComponentsRegisterTheKnativeRouter() {
    assertThat(StandardComponents.routers(client).meshRouter(new Provider("knative")))
        .isInstanceOf(KnativeRouter.class);
  }
}
