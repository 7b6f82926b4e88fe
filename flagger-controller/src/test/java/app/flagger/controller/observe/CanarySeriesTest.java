package app.flagger.controller.observe;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.canary.DeploymentStrategy;
import app.flagger.model.metrics.FlaggerMetrics;
import io.helidon.metrics.api.MeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The per-Canary families as {@code /metrics} renders them: the same lines Micrometer wrote for
 * them before ({@code observe/metrics-before.txt}, captured from the controller's {@code /metrics}
 * when Helidon's observer served them), removal, histograms and rendering while ticks write.
 */
class CanarySeriesTest {
  /** {@code name{labels} value}, labels as written: {@code k="v",} each. */
  private static final Pattern SAMPLE =
      Pattern.compile("([a-z_]+)\\{((?:[a-z_]+=\"(?:[^\"\\\\]|\\\\.)*\",)*)} (\\S+)");

  private static final Pattern LABEL = Pattern.compile("([a-z_]+)=\"((?:[^\"\\\\]|\\\\.)*)\",");

  final CanarySeries series = CanarySeries.isolated();
  final MeterRegistry registry = MeterRegistry.create();
  final CanaryMetricsRecorder recorder = new CanaryMetricsRecorder(registry, series);

  /** The values metrics-before.txt was captured with. */
  void recordTheCapturedValues() {
    recorder.setInfo("0.1.0", "istio");
    recorder.setTotal("test", 2);
    recorder.setStatus("podinfo", "test", CanaryPhase.PROGRESSING);
    recorder.setWeight("podinfo", "test", 90, 10);
    recorder.setDuration("podinfo", "test", Duration.ofMillis(30));
    recorder.setDuration("podinfo", "test", Duration.ofMillis(3000));
    recorder.setDuration("podinfo", "test", Duration.ofSeconds(30));
    recorder.setAnalysis("podinfo", "test", "request-success-rate", 99.5);
    recorder.setAnalysis("podinfo", "test", "request-duration", 0.025);
    recorder.setJudgeScore("podinfo", "test", 87.5);
    recorder.setJudgeVerdict("podinfo", "test", "request-duration", -1);
    recorder.incSuccesses("podinfo", "test", DeploymentStrategy.CANARY, false);
    recorder.incSuccesses("podinfo", "test", DeploymentStrategy.CANARY, true);
    recorder.incFailures("podinfo", "test", DeploymentStrategy.BLUE_GREEN);
    String odd = "b\"q\\x\ny";
    recorder.setStatus(odd, "other", CanaryPhase.FAILED);
    recorder.setAnalysis(odd, "other", "m", Double.NaN);
    recorder.setAnalysis(odd, "other", "big", 1.0e12);
    recorder.setAnalysis(odd, "other", "neg", Double.NEGATIVE_INFINITY);
    recorder.setAnalysis(odd, "other", "small", 1.0e-7);
    recorder.setAnalysis(odd, "other", "int", 123456789.0);
  }

  String render() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new MetricsEndpoint("/metrics", series, () -> registry).render(out);
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void everyPerCanaryLineIsTheOneMicrometerWrote() throws IOException {
    recordTheCapturedValues();
    Map<String, List<String>> before = byFamily(before());
    Map<String, List<String>> now = byFamily(render());

    for (CanarySeries.Family f : CanarySeries.Family.values()) {
      String family = f.metric.name();
      assertThat(now.get(family)).as(family).isNotNull();
      // HELP and TYPE first, word for word
      assertThat(now.get(family).subList(0, 2))
          .as(family)
          .isEqualTo(before.get(family).subList(0, 2));
      // every sample field by field: name, labels in order, value
      assertThat(samples(now.get(family)))
          .as(family)
          .containsExactlyInAnyOrderElementsOf(samples(before.get(family)));
      // and byte for byte
      assertThat(now.get(family))
          .as(family)
          .containsExactlyInAnyOrderElementsOf(before.get(family));
    }
    // Micrometer still serves the rest: flagger_info and flagger_canary_total among them
    for (String family : List.of("flagger_info", "flagger_canary_total")) {
      assertThat(now.get(family)).as(family).containsAll(before.get(family));
    }
    // Micrometer's decaying maximum of the tick duration is not rendered any more
    assertThat(now).doesNotContainKey("flagger_canary_duration_seconds_max");
  }

  @Test
  void aHistogramHasCumulativeBucketsThenInfCountAndSum() throws IOException {
    recorder.setDuration("podinfo", "test", Duration.ofMillis(5));
    recorder.setDuration("podinfo", "test", Duration.ofMillis(6));
    recorder.setDuration("podinfo", "test", Duration.ofSeconds(11));
    recorder.setDuration("podinfo", "test", Duration.ofMillis(-1));
    List<Sample> s = samples(byFamily(render()).get(FlaggerMetrics.CANARY_DURATION.name()));

    List<String> le = new ArrayList<>();
    List<String> counts = new ArrayList<>();
    s.stream()
        .filter(x -> x.name().endsWith("_bucket"))
        .forEach(
            x -> {
              le.add(x.labels().get("le"));
              counts.add(x.value());
            });
    assertThat(le)
        .containsExactly(
            "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "10.0",
            "+Inf");
    assertThat(counts)
        .containsExactly(
            "1.0", "2.0", "2.0", "2.0", "2.0", "2.0", "2.0", "2.0", "2.0", "2.0", "2.0", "3.0");
    assertThat(s.get(12).name()).isEqualTo("flagger_canary_duration_seconds_count");
    assertThat(s.get(12).value()).isEqualTo("3.0");
    assertThat(s.get(13).name()).isEqualTo("flagger_canary_duration_seconds_sum");
    assertThat(s.get(13).value()).isEqualTo("11.011");
    assertThat(s.get(0).labels())
        .containsExactly(
            Map.entry("name", "podinfo"),
            Map.entry("namespace", "test"),
            Map.entry("scope", "application"),
            Map.entry("le", "0.005"));
  }

  @Test
  void aFamilyIsWrittenOnlyWithSeriesAndItsHeaderOnce() throws IOException {
    recorder.setStatus("a", "test", CanaryPhase.SUCCEEDED);
    recorder.setStatus("b", "test", CanaryPhase.SUCCEEDED);
    String text = render();
    assertThat(text.split("# TYPE flagger_canary_status gauge", -1)).hasSize(2);
    assertThat(text).doesNotContain("flagger_canary_judge_score").doesNotContain("_successes");
  }

  @Test
  void removingACanaryRemovesEveryOneOfItsSeriesAndOnlyThose() throws IOException {
    recordTheCapturedValues();
    recorder.setStatus("podinfo", "prod", CanaryPhase.SUCCEEDED);
    recorder.setWeight("podinfo", "prod", 100, 0);
    recorder.setStatus("podinfo-b", "test", CanaryPhase.SUCCEEDED);

    recorder.removeCanary("podinfo", "test");

    String text = render();
    assertThat(text)
        .doesNotContainPattern(
            "flagger_canary_[a-z_]+\\{[^}]*namespace=\"test\"[^}]*name=\"podinfo\"");
    assertThat(text)
        .doesNotContainPattern("namespace=\"test\",scope=\"application\",workload=\"podinfo");
    assertThat(text)
        .contains(
            "flagger_canary_status{name=\"podinfo\",namespace=\"prod\",scope=\"application\",} 1.0")
        .contains(
            "flagger_canary_weight{namespace=\"prod\",scope=\"application\",workload=\"podinfo-primary\",} 100.0")
        .contains(
            "flagger_canary_status{name=\"podinfo-b\",namespace=\"test\",scope=\"application\",} 1.0")
        .doesNotContain("flagger_canary_duration_seconds")
        .doesNotContain("flagger_canary_successes_total")
        .contains("flagger_canary_metric_analysis{metric=\"big\"");
    assertThat(series.series("flagger_canary_status")).hasSize(3);
  }

  @Test
  void aSecondRecorderOnTheSameSeriesTakesItsSeriesOver() {
    new CanaryMetricsRecorder(registry, series).setStatus("podinfo", "ns1", CanaryPhase.FAILED);
    recorder.setStatus("podinfo", "ns1", CanaryPhase.PROGRESSING);
    assertThat(series.value("flagger_canary_status", Map.of("name", "podinfo", "namespace", "ns1")))
        .isEqualTo(0.0);
    recorder.removeCanary("podinfo", "ns1");
    assertThat(series.series("flagger_canary_status")).isEmpty();
  }

  /**
   * A render running while ticks write sees whole lines only, and each histogram whole: buckets
   * never decrease, {@code +Inf} equals {@code _count}.
   */
  @Test
  void aRenderWhileTicksWriteSeesWholeLinesAndWholeHistograms() throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    List<CompletableFuture<Void>> writers = new ArrayList<>();
    for (int w = 0; w < 2; w++) {
      int writer = w;
      writers.add(
          CompletableFuture.runAsync(
              () -> {
                for (long i = 0; !stop.get(); i++) {
                  String name = "app-" + (i % 50);
                  recorder.setDuration(name, "ns" + writer, Duration.ofMillis(i % 12_000));
                  recorder.setAnalysis(name, "ns" + writer, "rate", i * 0.5);
                  recorder.setWeight(name, "ns" + writer, (int) (100 - i % 100), (int) (i % 100));
                  if (i % 7 == 0) {
                    recorder.removeCanary(name, "ns" + writer);
                  }
                }
              }));
    }
    try {
      for (int r = 0; r < 300; r++) {
        checkWhole(render());
      }
    } finally {
      stop.set(true);
      CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get();
    }
  }

  static void checkWhole(String text) {
    Map<String, List<Sample>> histograms = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("#") || !line.startsWith("flagger_canary")) {
        continue;
      }
      assertThat(line).matches(SAMPLE);
      Sample s = sample(line);
      assertThat(Double.parseDouble(s.value().replace("Inf", "Infinity"))).isNotNull();
      if (s.name().startsWith("flagger_canary_duration_seconds")) {
        String key = s.labels().get("name") + "/" + s.labels().get("namespace");
        histograms.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
      }
    }
    histograms.forEach(
        (key, lines) -> {
          assertThat(lines).as(key).hasSize(14);
          double previous = 0;
          for (int i = 0; i < 12; i++) {
            double count = Double.parseDouble(lines.get(i).value());
            assertThat(count).as(key).isGreaterThanOrEqualTo(previous);
            previous = count;
          }
          assertThat(lines.get(12).value()).as(key).isEqualTo(lines.get(11).value());
        });
  }

  /** A sample line taken apart: name, labels in their order, value as written. */
  record Sample(String name, Map<String, String> labels, String value) {}

  static Sample sample(String line) {
    Matcher m = SAMPLE.matcher(line);
    assertThat(m.matches()).as(line).isTrue();
    Map<String, String> labels = new LinkedHashMap<>();
    Matcher l = LABEL.matcher(m.group(2));
    while (l.find()) {
      labels.put(l.group(1), l.group(2));
    }
    return new Sample(m.group(1), labels, m.group(3));
  }

  static List<Sample> samples(List<String> familyLines) {
    return familyLines.stream()
        .filter(l -> !l.startsWith("#"))
        .map(CanarySeriesTest::sample)
        .toList();
  }

  /** The lines of each family, HELP and TYPE first, by the name in its TYPE line. */
  static Map<String, List<String>> byFamily(String text) {
    Map<String, List<String>> families = new LinkedHashMap<>();
    String family = null;
    List<String> pending = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("# HELP ")) {
        pending = new ArrayList<>(List.of(line));
      } else if (line.startsWith("# TYPE ")) {
        family = line.split(" ")[2];
        pending.add(line);
        families.put(family, pending);
      } else if (!line.startsWith("#") && family != null) {
        families.get(family).add(line);
      }
    }
    return families;
  }

  static String before() throws IOException {
    try (InputStream in =
        CanarySeriesTest.class.getResourceAsStream("/observe/metrics-before.txt")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
