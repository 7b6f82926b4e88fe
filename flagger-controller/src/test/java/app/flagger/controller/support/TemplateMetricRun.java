package app.flagger.controller.support;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.model.canary.CanaryAnalysis;
import app.flagger.model.canary.CanaryMetric;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.canary.CanarySpec;
import app.flagger.model.canary.ThresholdRange;
import app.flagger.model.common.NamedReference;
import app.flagger.model.common.SecretReference;
import app.flagger.model.metric.MetricTemplate;
import app.flagger.model.metric.MetricTemplateProvider;
import app.flagger.model.metric.MetricTemplateSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;

/**
 * A blue/green Canary (kubernetes provider, 3 iterations) of a {@link StandardRun} whose only
 * metric is a MetricTemplate {@code template} of a non-Prometheus provider: the metric-provider
 * end-to-end tests ({@code *MetricsCanaryRunKubeTest}) create the template, then run the Canary to
 * promotion or to a rollback.
 */
public final class TemplateMetricRun {
  public static final String TEMPLATE = "provider-check";

  private TemplateMetricRun() {}

  /** Creates the MetricTemplate {@link #TEMPLATE} in the Canary's namespace. */
  public static void createTemplate(
      StandardRun run, String type, String address, String secret, String query) {
    MetricTemplate template = new MetricTemplate();
    template.setMetadata(
        new ObjectMetaBuilder().withName(TEMPLATE).withNamespace(CanaryFixture.NS).build());
    template.setSpec(
        new MetricTemplateSpec(
            new MetricTemplateProvider(
                type,
                address,
                null,
                secret == null ? null : new SecretReference(secret),
                null,
                null),
            query));
    run.client.resources(MetricTemplate.class).resource(template).create();
  }

  /** The Canary: 3 blue/green iterations, threshold 2, the template metric at least {@code min}. */
  public static CanarySpec spec(StandardRun run, double min) {
    CanarySpec base = run.spec("kubernetes", null, null, 3, null, null);
    CanaryAnalysis a = base.analysis();
    CanaryAnalysis analysis =
        new CanaryAnalysis(
            a.interval(),
            a.threshold(),
            a.maxWeight(),
            a.stepWeight(),
            a.stepWeights(),
            a.stepWeightPromotion(),
            a.iterations(),
            a.primaryReadyThreshold(),
            a.canaryReadyThreshold(),
            a.mirror(),
            a.mirrorWeight(),
            a.match(),
            List.of(
                new CanaryMetric(
                    TEMPLATE,
                    "1m",
                    null,
                    new ThresholdRange(min, null),
                    null,
                    new NamedReference(TEMPLATE, null),
                    null)),
            a.webhooks(),
            a.alerts(),
            a.sessionAffinity());
    return new CanarySpec(
        base.provider(),
        base.metricsServer(),
        base.targetRef(),
        base.autoscalerRef(),
        base.ingressRef(),
        base.routeRef(),
        base.upstreamRef(),
        base.service(),
        analysis,
        base.canaryAnalysis(),
        base.progressDeadlineSeconds(),
        base.skipAnalysis(),
        base.revertOnDeletion(),
        base.suspend());
  }

  /** Runs the rolled-out Canary to promotion: every iteration's check passed. */
  public static void promotes(StandardRun run) {
    run.runToPromotion(() -> run.fixture.get().getStatus().phase());

    assertThat(run.fixture.get().getStatus().phase())
        .as(run.events.messages().toString())
        .isEqualTo(CanaryPhase.SUCCEEDED);
    assertThat(run.events.messages())
        .containsSubsequence(
            "Starting canary analysis for podinfo.default",
            "Advance podinfo.default canary iteration 1/3",
            "Promotion completed! Scaling down podinfo.default");
  }

  /** Ticks the rolled-out Canary, its check failing, until it is rolled back. */
  public static void rollsBack(StandardRun run, String halt) {
    for (int i = 0; i < 6 && run.fixture.get().getStatus().phase() != CanaryPhase.FAILED; i++) {
      run.tick();
    }

    assertThat(run.fixture.get().getStatus().phase())
        .as(run.events.messages().toString())
        .isEqualTo(CanaryPhase.FAILED);
    assertThat(run.events.messages())
        .anySatisfy(m -> assertThat(m).contains(halt))
        .contains(
            "Rolling back podinfo.default failed checks threshold reached 2",
            "Canary failed! Scaling down podinfo.default");
    assertThat(run.slackPosts).isNotEmpty();
  }
}
