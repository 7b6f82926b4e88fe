package app.flagger.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.model.support.RepoRoot;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The examples rewritten for another namespace and a shorter analysis. */
class StoryTest {

  @Test
  void rewritesNamespacesAndClusterNamesOnly() throws Exception {
    String yaml =
        Files.readString(RepoRoot.find().resolve("k8s/examples/canary-kubernetes-bluegreen.yaml"));
    String out = Story.rewrite(yaml, "bluegreen");
    assertThat(out)
        .contains("  namespace: bluegreen\n")
        .contains("url: http://flagger-loadtester.bluegreen/gate/check")
        .contains("http://podinfo-canary.bluegreen:9898/token")
        .doesNotContain(".test")
        .doesNotContain("namespace: test");
    assertThat(Story.rewrite(yaml, "test")).isEqualTo(yaml);
  }

  @Test
  void setsAnalysisKeysInPlaceOrAddsThem() throws Exception {
    String yaml = Files.readString(RepoRoot.find().resolve("k8s/examples/canary-istio.yaml"));
    String out = Story.withAnalysis(yaml, Map.of("interval", "10s", "iterations", 3));
    assertThat(out).contains("  analysis:\n    iterations: 3\n    interval: 10s\n");
    assertThat(out).doesNotContain("    interval: 1m\n    threshold");
    // the metrics' own intervals stay
    assertThat(out).contains("        interval: 1m\n");
  }
}
