package app.flagger.controller.judge;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.model.canary.MetricComparison;
import org.junit.jupiter.api.Test;

/**
 * Kayenta's published classifier cases, with its settings (tolerance 0.10, confidence 0.95) and no
 * sample minimum (Kayenta has none): kayenta-judge/src/test/scala/com/netflix/kayenta/judge/
 * ClassifierSuite.scala, the "Mann-Whitney Classifier Test" cases named on each test. The samples
 * are that suite's.
 */
class KayentaCasesTest {
  private static final JudgeSettings KAYENTA =
      JudgeSettings.defaults().withConfidence(0.95).withMinSamples(1);

  private static final double[] PASS_EXPERIMENT = {
    9.7767343120109462, 10.587071850477695, 7.8375506388901766, 9.3243326886113884,
    8.3774505409784421, 8.9359264399606282, 8.2707663324728511, 9.7484308126716925,
    11.623746715547156, 9.2753442679633942, 8.1538047749171518, 10.562020975754294,
    13.498135575451835, 11.054419256110332, 6.9538903590055092, 12.521008342195479,
    9.0216358603546443, 4.9234856699531662, 11.251360203607172, 11.598449508040337,
    8.435232204668182, 11.110228516867279, 10.70063380164755, 8.9212773652115249,
    10.086167067942661, 11.42107515483087, 9.3792347813644952, 7.7980320148552593,
    10.62339807275746, 11.909642062063739
  };

  private static final double[] CONTROL = {
    11.1453586774086, 9.9618059885597017, 7.068574306369829, 7.3012661810483657,
    9.7944630265656727, 9.6037918603687302, 6.1867793350339388, 12.345599159550174,
    10.371891733859533, 8.6094300785016724, 9.913162673361084, 10.361375299003466,
    14.206800387518818, 10.946153754753301, 10.215876627044048, 11.739760899484603,
    10.907627468626439, 12.823353694464775, 8.1018609771732137, 8.4981616408804932,
    12.113441374697231, 13.272210809932028, 10.114579381663297, 6.9463958767978067,
    6.2105278541727778, 10.160401684903775, 8.3457712066455461, 8.383822063895833,
    7.0020205070083765, 10.755757401808442
  };

  private static final double[] HIGH_EXPERIMENT = {
    20.878412601720026, 21.78550581191622, 19.70828084717019, 15.859946903461562,
    19.510058772176841, 19.392005525270303, 22.926528314912101, 17.156530276709894,
    18.655117916226171, 23.422607911610392, 24.055817684156644, 22.62689958516501,
    21.979472967817678, 21.659318607218694, 20.067707574072426, 22.119570836305414,
    16.44037132663307, 21.559622826341268, 21.000181443489218, 17.779369411412663,
    17.806006358943584, 18.537200618386109, 20.555550300210797, 19.552928184468378,
    21.771118944087092, 21.809622806176627, 20.961762909905271, 20.977571577503021,
    19.106303205498794, 16.976918966987078
  };

  private static Verdict judge(String direction, double[] experiment, double[] control) {
    return Judge.judge(
            new MetricInput(
                "m",
                new MetricComparison(direction, 0.10, null, null, null),
                new MetricSamples.Series(experiment, control)),
            KAYENTA)
        .verdict();
  }

  /** "Pass Metric". */
  @Test
  void passMetricPasses() {
    assertThat(judge("either", PASS_EXPERIMENT, CONTROL)).isEqualTo(Verdict.PASS);
  }

  /** "High Metric" and "Directional Test: High Metric". */
  @Test
  void highMetricIsHigh() {
    assertThat(judge("either", HIGH_EXPERIMENT, CONTROL)).isEqualTo(Verdict.HIGH);
    assertThat(judge("increase", HIGH_EXPERIMENT, CONTROL)).isEqualTo(Verdict.HIGH);
  }

  /** "Low Metric" and the directional cases: a change in the harmless direction passes. */
  @Test
  void lowMetricIsLowUnlessLowerIsHarmless() {
    assertThat(judge("either", PASS_EXPERIMENT, HIGH_EXPERIMENT)).isEqualTo(Verdict.LOW);
    assertThat(judge("decrease", PASS_EXPERIMENT, HIGH_EXPERIMENT)).isEqualTo(Verdict.LOW);
    assertThat(judge("increase", PASS_EXPERIMENT, HIGH_EXPERIMENT)).isEqualTo(Verdict.PASS);
    assertThat(judge("decrease", HIGH_EXPERIMENT, CONTROL)).isEqualTo(Verdict.PASS);
  }

  /** "Tied Observations", "Identical Populations", "Leading Zero Identical Population". */
  @Test
  void tiedAndIdenticalPopulationsPass() {
    assertThat(judge("decrease", new double[] {1, 1, 1}, new double[] {1, 1}))
        .isEqualTo(Verdict.PASS);
    assertThat(judge("decrease", new double[] {1, 2, 3, 4, 5}, new double[] {5, 4, 3, 2, 1}))
        .isEqualTo(Verdict.PASS);
    assertThat(judge("decrease", new double[] {0, 1, 1, 1, 1}, new double[] {1, 1, 1, 1, 1}))
        .isEqualTo(Verdict.PASS);
  }

  /** "Majority Tied Observations": one high value among ties is neither a shift nor a spread. */
  @Test
  void majorityTiedObservationsPass() {
    assertThat(judge("either", new double[] {1, 1, 1, 1, 10}, new double[] {1, 1, 1, 1, 1}))
        .isEqualTo(Verdict.PASS);
  }

  /** "Tied Ranks", "Tied Ranks With Zeros": each side one repeated value. */
  @Test
  void tiedRanksAreHigh() {
    assertThat(judge("either", new double[] {10, 10, 10, 10, 10}, new double[] {1, 1, 1, 1, 1}))
        .isEqualTo(Verdict.HIGH);
    assertThat(judge("either", new double[] {10, 10, 10, 10, 10}, new double[] {0, 0, 0, 0, 0}))
        .isEqualTo(Verdict.HIGH);
  }

  /** "Zero Mean": against a baseline of zeros the effect is unknown and the interval decides. */
  @Test
  void zeroBaselinesAreJudgedByTheIntervalAlone() {
    double[] zeros = {0, 0, 0, 0, 0};
    double[] high = {54.9, 54.5, 55.1, 55.6, 57.4};
    assertThat(judge("either", high, zeros)).isEqualTo(Verdict.HIGH);
    assertThat(judge("either", zeros, high)).isEqualTo(Verdict.LOW);
    assertThat(judge("either", zeros, zeros)).isEqualTo(Verdict.PASS);
  }
}
