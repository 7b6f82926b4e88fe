package app.flagger.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.controller.kube.Shard;
import app.flagger.controller.notifier.NotifierSecretFiles;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ControllerConfigTest {
  static Config config(Map<String, String> m) {
    return Config.builder()
        .disableEnvironmentVariablesSource()
        .disableSystemPropertiesSource()
        .sources(ConfigSources.create(m))
        .build();
  }

  @Test
  void defaultsAreFlaggers() {
    ControllerConfig c = ControllerConfig.defaults();
    assertThat(c.meshProvider()).isEqualTo("istio");
    assertThat(c.metricsServer()).isEqualTo("http://prometheus:9090");
    assertThat(c.selectorLabels()).containsExactly("app", "name", "app.kubernetes.io/name");
    assertThat(c.controlLoopInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.threadiness()).isEqualTo(2);
    assertThat(c.enableConfigTracking()).isTrue();
    assertThat(c.enableLeaderElection()).isFalse();
    assertThat(c.leaderElectionNamespace()).isEqualTo("kube-system");
    assertThat(c.kubeconfigQps()).isEqualTo(100);
    assertThat(c.kubeconfigBurst()).isEqualTo(250);
    assertThat(c.notifiers().slackUser()).isEqualTo("flagger");
    assertThat(c.allNamespaces()).isTrue();
    assertThat(c.httpResponseLimit()).isEqualTo(1024 * 1024);
    assertThat(c.ingressAnnotationsPrefix()).isEqualTo("nginx.ingress.kubernetes.io");
  }

  @Test
  void readsTheIngressAnnotationsPrefixAndTreatsBlankAsUnset() {
    ControllerConfig custom =
        ControllerConfig.from(
            config(Map.of("flagger.ingress-annotations-prefix", "custom.ingress.io")), Map.of());
    assertThat(custom.ingressAnnotationsPrefix()).isEqualTo("custom.ingress.io");
    assertThat(custom.withKubeClientLimits(1, 1).ingressAnnotationsPrefix())
        .isEqualTo("custom.ingress.io");
    assertThat(
            ControllerConfig.from(
                    config(Map.of("flagger.ingress-annotations-prefix", " ")), Map.of())
                .ingressAnnotationsPrefix())
        .isEqualTo("nginx.ingress.kubernetes.io");
  }

  @Test
  void readsEveryKey() {
    ControllerConfig c =
        ControllerConfig.from(
            config(
                Map.ofEntries(
                    Map.entry("flagger.mesh-provider", "kubernetes"),
                    Map.entry("flagger.metrics-server", "http://prom:9090"),
                    Map.entry("flagger.selector-labels", "app, component"),
                    Map.entry("flagger.include-label-prefix", "app.kubernetes.io,team"),
                    Map.entry("flagger.namespace", "test"),
                    Map.entry("flagger.control-loop-interval", "5s"),
                    Map.entry("flagger.threadiness", "4"),
                    Map.entry("flagger.enable-leader-election", "true"),
                    Map.entry("flagger.event-webhook", "http://events"),
                    Map.entry("flagger.slack.url", "https://hooks.slack.com/x"),
                    Map.entry("flagger.slack.channel", "general"),
                    Map.entry("flagger.msteams.url", "https://teams/x"),
                    Map.entry("flagger.kubeconfig-qps", "20"),
                    Map.entry("flagger.kubeconfig-burst", "40"),
                    Map.entry("flagger.http-response-limit", "64Ki"))),
            Map.of());
    assertThat(c.meshProvider()).isEqualTo("kubernetes");
    assertThat(c.selectorLabels()).containsExactly("app", "component");
    assertThat(c.includeLabelPrefix()).isEqualTo(List.of("app.kubernetes.io", "team"));
    assertThat(c.namespace()).isEqualTo("test");
    assertThat(c.leaderElectionNamespace())
        .as("replaced by the watched namespace")
        .isEqualTo("test");
    assertThat(c.controlLoopInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.threadiness()).isEqualTo(4);
    assertThat(c.eventWebhook()).isEqualTo("http://events");
    assertThat(c.notifiers().slackChannel()).isEqualTo("general");
    assertThat(c.kubeconfigQps()).isEqualTo(20);
    assertThat(c.kubeconfigBurst()).isEqualTo(40);
    assertThat(c.httpResponseLimit()).isEqualTo(65536);
  }

  /** Flagger's {@code -ingress-class}: empty by default, the Contour HTTPProxy's class when set. */
  @Test
  void ingressClassIsEmptyByDefaultAndReadFromItsKey() {
    assertThat(ControllerConfig.defaults().ingressClass()).isEmpty();
    assertThat(
            ControllerConfig.from(config(Map.of("flagger.ingress-class", "contour")), Map.of())
                .ingressClass())
        .isEqualTo("contour");
  }

  @Test
  void flaggersEnvironmentVariablesWin() {
    ControllerConfig c =
        ControllerConfig.from(
            config(Map.of("flagger.event-webhook", "http://from-config")),
            Map.of("EVENT_WEBHOOK_URL", "http://from-env", "SLACK_URL", "https://slack/env"));
    assertThat(c.eventWebhook()).isEqualTo("http://from-env");
    assertThat(c.notifiers().slackUrl()).isEqualTo("https://slack/env");
  }

  @Test
  void secretsNeverAppearInToString() {
    ControllerConfig c =
        ControllerConfig.from(
            config(
                Map.of(
                    "flagger.slack.url",
                    "https://hooks.slack.com/secret",
                    "flagger.slack.token",
                    "xoxb-secret")),
            Map.of());
    assertThat(c.toString()).doesNotContain("secret").contains("slack=true");
  }

  /** Notifier secrets as files (a mounted Secret), next to the plain values Flagger's flags set. */
  @Test
  void readsTheNotifierSecretFileKeys(@TempDir Path dir) throws Exception {
    Path url = Files.writeString(dir.resolve("slack-url"), "https://hooks.slack.com/from-file");
    ControllerConfig c =
        ControllerConfig.from(
            config(
                Map.of(
                    "flagger.slack.url", "https://hooks.slack.com/plain",
                    "flagger.slack.channel", "general",
                    "flagger.slack.url-file", url.toString(),
                    "flagger.slack.token-file", dir.resolve("slack-token").toString(),
                    "flagger.slack.proxy-url-file", dir.resolve("slack-proxy-url").toString(),
                    "flagger.msteams.url-file", dir.resolve("msteams-url").toString(),
                    "flagger.msteams.proxy-url-file", dir.resolve("msteams-proxy-url").toString())),
            Map.of());

    assertThat(c.notifiers().slackUrl()).isEqualTo("https://hooks.slack.com/plain");
    assertThat(c.notifiers().files())
        .isEqualTo(
            new NotifierSecretFiles(
                url.toString(),
                dir.resolve("slack-token").toString(),
                dir.resolve("slack-proxy-url").toString(),
                dir.resolve("msteams-url").toString(),
                dir.resolve("msteams-proxy-url").toString()));
    assertThat(c.notifiers().resolve().slackUrl()).isEqualTo("https://hooks.slack.com/from-file");
    assertThat(c.notifiers().resolve().msteamsUrl()).isEmpty();
    assertThat(c.toString()).doesNotContain("from-file").doesNotContain("plain");
  }

  @Test
  void plainNotifierValuesNeedNoFiles() {
    ControllerConfig c =
        ControllerConfig.from(
            config(Map.of("flagger.slack.url", "https://hooks.slack.com/plain")), Map.of());

    assertThat(c.notifiers().slackUrl()).isEqualTo("https://hooks.slack.com/plain");
    assertThat(c.notifiers().files()).isEqualTo(NotifierSecretFiles.NONE);
  }

  @Test
  void aNotifierFileThatIsNotAFileNamesTheKey(@TempDir Path dir) {
    assertThatThrownBy(
            () ->
                ControllerConfig.from(
                    config(Map.of("flagger.msteams.url-file", dir.toString())), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("flagger.msteams.url-file: cannot read " + dir + ": expected a readable file");
  }

  @Test
  void badDurationNamesTheKey() {
    assertThatThrownBy(
            () ->
                ControllerConfig.from(
                    config(Map.of("flagger.control-loop-interval", "soon")), Map.of()))
        .hasMessageContaining("flagger.control-loop-interval")
        .hasMessageContaining("soon");
  }

  @Test
  void aBurstBelowOneNamesTheKey() {
    assertThatThrownBy(
            () -> ControllerConfig.from(config(Map.of("flagger.kubeconfig-burst", "0")), Map.of()))
        .hasMessageContaining("flagger.kubeconfig-burst")
        .hasMessageContaining("at least 1, got 0");
  }

  @Test
  void aBadResponseLimitNamesTheKey() {
    assertThatThrownBy(
            () ->
                ControllerConfig.from(
                    config(Map.of("flagger.http-response-limit", "1MB")), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "flagger.http-response-limit: expected a size in bytes from 1 to 1Gi, like 1048576 or"
                + " 1Mi, got '1MB'");
  }

  @Test
  void concurrencyLimitsAreOffAndTheDecisionLogKeepsTwentyByDefault() {
    ControllerConfig c = ControllerConfig.defaults();
    assertThat(c.maxConcurrentCanaries()).isZero();
    assertThat(c.maxConcurrentCanariesPerNamespace()).isZero();
    assertThat(c.decisionLogSize()).isEqualTo(20);
  }

  @Test
  void readsTheConcurrencyLimitsAndTheDecisionLogSize() {
    ControllerConfig c =
        ControllerConfig.from(
            config(
                Map.of(
                    "flagger.max-concurrent-canaries", "5",
                    "flagger.max-concurrent-canaries-per-namespace", "2",
                    "flagger.decision-log-size", "0")),
            Map.of());
    assertThat(c.maxConcurrentCanaries()).isEqualTo(5);
    assertThat(c.maxConcurrentCanariesPerNamespace()).isEqualTo(2);
    assertThat(c.decisionLogSize()).isZero();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "max-concurrent-canaries",
        "max-concurrent-canaries-per-namespace",
        "decision-log-size"
      })
  void aNegativeOrNonNumericCountNamesTheKey(String key) {
    for (String bad : List.of("-1", "two")) {
      assertThatThrownBy(
              () -> ControllerConfig.from(config(Map.of("flagger." + key, bad)), Map.of()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("flagger." + key + ": expected a whole number of at least 0")
          .hasMessageEndingWith("got '" + bad + "'");
    }
  }

  @Test
  void noWorkersNamesTheKey() {
    assertThatThrownBy(
            () -> ControllerConfig.from(config(Map.of("flagger.threadiness", "0")), Map.of()))
        .hasMessage("flagger.threadiness: expected a number of workers of at least 1, got 0");
  }

  @Test
  void anUnknownMeshProviderNamesTheKey() {
    assertThatThrownBy(
            () -> ControllerConfig.from(config(Map.of("flagger.mesh-provider", "istoi")), Map.of()))
        .hasMessageStartingWith("flagger.mesh-provider: unknown provider 'istoi', expected one of");
  }

  @ParameterizedTest
  @ValueSource(strings = {"istio", "kubernetes", "gatewayapi:v1", "osm", "smi:v1alpha3:linkerd"})
  void theMeshProviderFormsFlaggerTakesAreAccepted(String provider) {
    assertThat(
            ControllerConfig.from(config(Map.of("flagger.mesh-provider", provider)), Map.of())
                .meshProvider())
        .isEqualTo(provider);
  }

  @Test
  void noShardingByDefault() {
    assertThat(ControllerConfig.defaults().shard()).isEqualTo(Shard.ALL);
  }

  @Test
  void readsTheShard() {
    ControllerConfig c =
        ControllerConfig.from(
            config(Map.of("flagger.shard-index", "2", "flagger.shard-count", "3")), Map.of());
    assertThat(c.shard()).isEqualTo(new Shard(2, 3));
    assertThat(c.toString()).contains("shard=shard 2 of 3");
  }

  @Test
  void aShardOutsideTheCountNamesTheKeyAndTheRange() {
    assertThatThrownBy(
            () ->
                ControllerConfig.from(
                    config(Map.of("flagger.shard-index", "3", "flagger.shard-count", "3")),
                    Map.of()))
        .hasMessage(
            "flagger.shard-index: expected a shard index from 0 to 2 (flagger.shard-count is 3),"
                + " got 3");
    assertThatThrownBy(
            () -> ControllerConfig.from(config(Map.of("flagger.shard-count", "0")), Map.of()))
        .hasMessage("flagger.shard-count: expected a number of shards of at least 1, got 0");
    assertThatThrownBy(
            () -> ControllerConfig.from(config(Map.of("flagger.shard-index", "one")), Map.of()))
        .hasMessage("flagger.shard-index: expected a whole number, got 'one'");
  }
}
