package app.flagger.model;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.model.alert.AlertSeverity;
import app.flagger.model.canary.CanaryAnalysis;
import app.flagger.model.canary.CanaryMetric;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.canary.CanarySpec;
import app.flagger.model.canary.CanaryWebhook;
import app.flagger.model.canary.ComparisonDirection;
import app.flagger.model.canary.ComparisonKind;
import app.flagger.model.canary.DeploymentStrategy;
import app.flagger.model.canary.MetricComparison;
import app.flagger.model.canary.SessionAffinity;
import app.flagger.model.canary.WebhookType;
import app.flagger.model.common.GoDuration;
import app.flagger.model.istio.HttpMatchRequest;
import app.flagger.model.provider.MeshProvider;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Flagger's defaults, each in one place. */
class DefaultsTest {
  private static CanaryAnalysis analysis(String interval, Integer threshold, Integer maxWeight) {
    return new CanaryAnalysis(
        interval, threshold, maxWeight, null, null, null, null, null, null, null, null, null, null,
        null, null, null);
  }

  @ParameterizedTest
  @CsvSource({"'',60", "1m,60", "30s,30", "5s,10", "1x,60", "2m30s,150", "0s,60"})
  void analysisIntervalDefaultsTo60sWithA10sFloor(String interval, long seconds) {
    assertThat(analysis(interval, null, null).intervalOrDefault())
        .isEqualTo(Duration.ofSeconds(seconds));
  }

  @Test
  void thresholdAtOrBelowZeroIsOne() {
    assertThat(analysis("1m", 0, null).thresholdOrDefault()).isEqualTo(1);
    assertThat(analysis("1m", -3, null).thresholdOrDefault()).isEqualTo(1);
    assertThat(analysis("1m", null, null).thresholdOrDefault()).isEqualTo(1);
    assertThat(analysis("1m", 5, null).thresholdOrDefault()).isEqualTo(5);
  }

  @Test
  void maxWeightDefaultsTo100AndFollowsStepWeights() {
    assertThat(analysis("1m", 1, null).maxWeightOrDefault()).isEqualTo(100);
    assertThat(analysis("1m", 1, 50).maxWeightOrDefault()).isEqualTo(50);
    var steps =
        new CanaryAnalysis(
            "1m",
            1,
            30,
            null,
            List.of(1, 5, 80),
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null);
    assertThat(steps.maxWeightOrDefault()).isEqualTo(80);
    assertThat(steps.usesStepWeights()).isTrue();
  }

  @Test
  void readyThresholdsDefaultTo100() {
    assertThat(analysis("1m", 1, null).primaryReadyThresholdOrDefault()).isEqualTo(100);
    assertThat(analysis("1m", 1, null).canaryReadyThresholdOrDefault()).isEqualTo(100);
  }

  @Test
  void progressDeadlineDefaultsTo600() {
    var spec =
        new CanarySpec(
            null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    assertThat(spec.progressDeadlineOrDefault()).isEqualTo(600);
    assertThat(spec.skipsAnalysis()).as("no analysis means skip").isTrue();
  }

  @Test
  void webhookTimeoutDefaultsTo10sAndBlankTypeIsRollout() {
    var hook = new CanaryWebhook("h", "", "http://x/", null, null, null, null, null);
    assertThat(hook.timeoutOrDefault()).isEqualTo(Duration.ofSeconds(10));
    assertThat(hook.webhookType()).contains(WebhookType.ROLLOUT);
    assertThat(hook.retriesOrDefault()).isZero();
  }

  @Test
  void metricIntervalDefaultsTo1m() {
    var m = new CanaryMetric("request-success-rate", null, null, null, null, null, null);
    assertThat(m.intervalOrDefault()).isEqualTo("1m");
    assertThat(m.intervalDuration()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void comparisonDefaultsAreKayentas() {
    var c = new MetricComparison(null, null, null, null, null);
    assertThat(c.directionOrDefault()).isEqualTo(ComparisonDirection.EITHER);
    assertThat(c.toleranceOrDefault()).isEqualTo(0.25);
    assertThat(c.criticalOrDefault()).isFalse();
    assertThat(c.weightOrDefault()).isEqualTo(1.0);
    assertThat(c.kindOrDefault()).isEqualTo(ComparisonKind.CONTINUOUS);
    assertThat(analysis("1m", 1, null).judgeOrDefault().passOrDefault()).isEqualTo(95);
    assertThat(analysis("1m", 1, null).judgeOrDefault().marginalOrDefault()).isEqualTo(75);
    assertThat(analysis("1m", 1, null).usesBaseline()).isFalse();
  }

  @Test
  void sessionCookieMaxAgeDefaultsToOneDay() {
    var s = new SessionAffinity("c", null, null, null, 0, null, null, null, null);
    assertThat(s.maxAgeOrDefault()).isEqualTo(86400);
  }

  @Test
  void strategyFollowsIterationsAndMatch() {
    assertThat(analysis("1m", 1, null).strategy()).isEqualTo(DeploymentStrategy.CANARY);
    var bg =
        new CanaryAnalysis(
            "1m", 1, null, null, null, null, 10, null, null, null, null, null, null, null, null,
            null);
    assertThat(bg.strategy()).isEqualTo(DeploymentStrategy.BLUE_GREEN);
    var match =
        new HttpMatchRequest(
            null, null, null, null, null, null, null, null, null, null, null, null, null);
    var ab =
        new CanaryAnalysis(
            "1m",
            1,
            null,
            null,
            null,
            null,
            10,
            null,
            null,
            null,
            null,
            List.of(match),
            null,
            null,
            null,
            null);
    assertThat(ab.strategy()).isEqualTo(DeploymentStrategy.AB_TESTING);
  }

  @Test
  void emptySeverityMeansInfoAndInfoReceivesEverything() {
    assertThat(AlertSeverity.parse("")).contains(AlertSeverity.INFO);
    assertThat(AlertSeverity.INFO.receives(AlertSeverity.ERROR)).isTrue();
    assertThat(AlertSeverity.ERROR.receives(AlertSeverity.WARN)).isFalse();
    assertThat(AlertSeverity.WARN.receives(AlertSeverity.WARN)).isTrue();
  }

  @Test
  void statusMetricValues() {
    assertThat(CanaryPhase.PROGRESSING.statusMetricValue()).isZero();
    assertThat(CanaryPhase.FAILED.statusMetricValue()).isEqualTo(2);
    assertThat(CanaryPhase.SUCCEEDED.statusMetricValue()).isEqualTo(1);
  }

  @ParameterizedTest
  @CsvSource({
    "istio,ISTIO",
    "smi:v1alpha3:linkerd,SMI",
    "gatewayapi:v1,GATEWAYAPI",
    "appmesh:v1beta2,APPMESH",
    "gloo,GLOO",
    "kubernetes,KUBERNETES"
  })
  void meshProvidersAreRecognisedByFamily(String text, MeshProvider expected) {
    assertThat(MeshProvider.parse(text)).contains(expected);
  }

  @Test
  void bareGatewayApiIsNotACrdValue() {
    assertThat(MeshProvider.isCrdValue("gatewayapi")).isFalse();
    assertThat(MeshProvider.parse("istoi")).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"30s,30000", "1m,60000", "1h30m,5400000", "500ms,500", "1.5s,1500", "0,0"})
  void goDurationsParse(String text, long millis) {
    assertThat(GoDuration.parse(text)).contains(Duration.ofMillis(millis));
  }

  @Test
  void goDurationsFormatLikeGo() {
    assertThat(GoDuration.format(Duration.ofMinutes(1))).isEqualTo("1m0s");
    assertThat(GoDuration.format(Duration.ofSeconds(30))).isEqualTo("30s");
    assertThat(GoDuration.parse("1x")).isEmpty();
  }
}
