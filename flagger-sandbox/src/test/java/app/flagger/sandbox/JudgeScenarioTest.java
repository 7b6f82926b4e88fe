package app.flagger.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryMetric;
import app.flagger.model.canary.CanaryWebhook;
import app.flagger.model.canary.ComparisonDirection;
import app.flagger.model.metric.MetricTemplate;
import app.flagger.model.support.RepoRoot;
import app.flagger.model.validation.CanaryValidator;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code make demo JUDGE=1}: the judged Canary, and the providers that can run it. */
class JudgeScenarioTest {
  private static final Path ROOT = RepoRoot.find();

  @Test
  void theExampleGetsABaselineAComparedLatencyAndTheBaselinesLoadTest() throws Exception {
    KubernetesSerialization yaml = new KubernetesSerialization();
    for (SandboxProvider p :
        new SandboxProvider[] {SandboxProvider.ISTIO, SandboxProvider.GATEWAYAPI_V1}) {
      String example =
          Story.rewrite(Files.readString(ROOT.resolve("k8s/examples").resolve(p.example())), "ns");
      String text =
          Story.withAnalysis(
              JudgeScenario.canary(p.canary(example, "ns"), "ns", "http://127.0.0.1:9090"),
              JudgeScenario.ANALYSIS);
      String[] docs = text.split("(?m)^---\\s*$");
      assertThat(docs).hasSize(2);
      Canary canary = yaml.unmarshal(docs[0], Canary.class);

      assertThat(new CanaryValidator().validate(canary)).as(p.value()).isEmpty();
      var analysis = canary.getSpec().analysis();
      assertThat(analysis.usesBaseline()).isTrue();
      assertThat(analysis.thresholdOrDefault()).isEqualTo(5);
      assertThat(analysis.interval()).isEqualTo("10s");
      // the example's P99 threshold stays a threshold; the share of fast responses is compared
      assertThat(analysis.metricsOrEmpty())
          .filteredOn(CanaryMetric::compared)
          .singleElement()
          .satisfies(
              m -> {
                assertThat(m.name()).isEqualTo("fast-responses");
                assertThat(m.interval()).isEqualTo("30s");
                assertThat(m.templateRef().name()).isEqualTo("fast-responses");
                assertThat(m.thresholdRange()).isNull();
                assertThat(m.threshold()).isNull();
                assertThat(m.comparison().directionOrDefault())
                    .isEqualTo(ComparisonDirection.DECREASE);
              });
      assertThat(analysis.metricsOrEmpty())
          .filteredOn(m -> m.name().equals("request-duration"))
          .singleElement()
          .satisfies(
              m -> {
                assertThat(m.thresholdRange().max()).isEqualTo(500.0);
                assertThat(m.compared()).isFalse();
              });
      assertThat(analysis.webhooks())
          .extracting(CanaryWebhook::name)
          .contains("load-test-baseline", "load-test");
      assertThat(docs[0])
          .contains("url: http://flagger-loadtester.ns/")
          .contains("cmd: \"hey -z 1m -q 10 -c 2 http://podinfo-baseline.ns:9898/\"");

      MetricTemplate template = yaml.unmarshal(docs[1], MetricTemplate.class);
      assertThat(template.getMetadata().getNamespace()).isEqualTo("ns");
      assertThat(template.getSpec().provider().address()).isEqualTo("http://127.0.0.1:9090");
      assertThat(template.getSpec().query())
          .isEqualTo(
              "sum(rate(http_request_duration_seconds_bucket{kubernetes_namespace=\"{{ namespace"
                  + " }}\",kubernetes_pod_name=~\"{{ target }}-[0-9a-zA-Z]+(-[0-9a-zA-Z]+)\","
                  + "path=\"/\",le=\"0.1\"}[{{ interval }}]))\n"
                  + "/ sum(rate(http_request_duration_seconds_count{kubernetes_namespace=\"{{"
                  + " namespace }}\",kubernetes_pod_name=~\"{{ target"
                  + " }}-[0-9a-zA-Z]+(-[0-9a-zA-Z]+)\",path=\"/\"}[{{ interval }}])) * 100\n");
    }
  }

  @Test
  void anExampleWithoutTheEditedBlocksIsRefused() {
    assertThatThrownBy(
            () -> JudgeScenario.canary("kind: Canary\n", "test", "http://127.0.0.1:9090"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot compare its latency with a baseline");
  }

  @Test
  void onlyProvidersThatRunABaselineTellTheJudgesStory() {
    assertThat(SandboxMain.judge(new String[] {"--judge"}, SandboxProvider.ISTIO)).isTrue();
    assertThat(SandboxMain.judge(new String[] {"--judge"}, SandboxProvider.GATEWAYAPI_V1BETA1))
        .isTrue();
    assertThat(SandboxMain.judge(new String[] {"--stay"}, SandboxProvider.LINKERD)).isFalse();
    assertThatThrownBy(
            () ->
                SandboxMain.judge(
                    new String[] {"--provider=linkerd", "--judge"}, SandboxProvider.LINKERD))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "--judge (JUDGE=1) needs a same-age baseline, which only the istio and gatewayapi"
                + " providers run; got provider linkerd");
    assertThatThrownBy(() -> SandboxMain.judge(new String[] {"--judge"}, SandboxProvider.NGINX))
        .hasMessageEndingWith("got provider nginx");
  }
}
