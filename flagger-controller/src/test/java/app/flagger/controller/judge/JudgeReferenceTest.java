package app.flagger.controller.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.math3.stat.inference.MannWhitneyUTest;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The judge's statistics against reference values computed by SciPy and R ({@code
 * src/test/resources/judge/reference.py} wrote {@code reference.json}; its header says what each
 * value is). Tolerances: p-values to 1e-9 relative (same formulas; the Brown-Forsythe p also to
 * 1e-12 absolute, as Commons Math computes the F distribution's upper tail as 1 - cdf); the
 * Hodges-Lehmann interval to 2e-4 absolute (R's uniroot stops at 1e-4, this judge finds the exact
 * jump); the estimate exactly as the median of the pairwise differences, and R's within the stretch
 * where the statistic is 0 (R returns any point of it).
 */
class JudgeReferenceTest {
  private static final JsonObject REFERENCE = read();

  record Case(String name, JsonObject json) {
    double[] canary() {
      return doubles(json.getJsonArray("canary"));
    }

    double[] baseline() {
      return doubles(json.getJsonArray("baseline"));
    }

    double confidence() {
      return json.getJsonNumber("confidence").doubleValue();
    }

    double get(String object, String key) {
      return json.getJsonObject(object).getJsonNumber(key).doubleValue();
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return REFERENCE.getJsonArray("cases").getValuesAs(JsonObject.class).stream()
        .map(o -> new Case(o.getString("name"), o));
  }

  /** One case's samples, for the behaviour tests. */
  static Case reference(String name) {
    return cases().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
  }

  static Stream<JsonObject> fisherCases() {
    return REFERENCE.getJsonArray("fisher").getValuesAs(JsonObject.class).stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void mannWhitneyPValueIsScipysWithoutTieCorrection(Case c) {
    double p = new MannWhitneyUTest().mannWhitneyUTest(c.canary(), c.baseline());
    if (c.json().getBoolean("ties")) {
      // Commons Math leaves the tie correction out: its variance is larger, its p never smaller.
      assertThat(p).isGreaterThanOrEqualTo(c.get("mannWhitney", "pTiesCorrected"));
    } else {
      double expected = c.get("mannWhitney", "p");
      assertThat(p).isCloseTo(expected, within(1e-9 * Math.max(expected, 1e-300) + 1e-300));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void mannWhitneyUIsScipys(Case c) {
    double u = c.get("mannWhitney", "u");
    double other = (double) c.canary().length * c.baseline().length - u;
    // SciPy gives U of the first sample; Commons Math the larger of the two
    assertThat(new MannWhitneyUTest().mannWhitneyU(c.canary(), c.baseline()))
        .isEqualTo(Math.max(u, other));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void hodgesLehmannIntervalIsRs(Case c) {
    Estimate e = LocationShift.of(c.canary(), c.baseline(), c.confidence());
    Offset<Double> rootTolerance = within(2e-4);
    assertThat(e.low()).isCloseTo(c.get("hodgesLehmann", "low"), rootTolerance);
    assertThat(e.high()).isCloseTo(c.get("hodgesLehmann", "high"), rootTolerance);
    assertThat(e.value())
        .as("estimate = median of the pairwise differences")
        .isCloseTo(c.json().getJsonNumber("medianOfDifferences").doubleValue(), within(1e-9));
    double[] stretch = zeroStretch(c.canary(), c.baseline(), e.value());
    assertThat(c.get("hodgesLehmann", "estimate"))
        .as("R's estimate lies where the statistic is 0")
        .isBetween(stretch[0] - 1e-4, stretch[1] + 1e-4);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void brownForsytheIsScipysLeveneWithMedians(Case c) {
    double expected = c.get("brownForsythe", "p");
    // Commons Math takes the upper tail as 1 - cdf: below 1e-12 only the absolute error is small
    assertThat(ContinuousJudge.brownForsythe(c.canary(), c.baseline()))
        .isCloseTo(expected, within(1e-9 * expected + 1e-12));
  }

  @ParameterizedTest
  @MethodSource("fisherCases")
  void fisherExactIsScipys(JsonObject f) {
    double[] p =
        ProportionJudge.fisher(
            f.getInt("canaryEvents"),
            f.getInt("canaryTotal"),
            f.getInt("baselineEvents"),
            f.getInt("baselineTotal"));
    double greater = f.getJsonNumber("pGreater").doubleValue();
    double less = f.getJsonNumber("pLess").doubleValue();
    assertThat(p[0]).isCloseTo(greater, within(1e-9 * greater));
    assertThat(p[1]).isCloseTo(less, within(1e-9 * less));
  }

  /**
   * kayenta-mannwhitney/src/test/scala/com/netflix/kayenta/mannwhitney/MannWhitneySuite.scala,
   * "Mann-Whitney Confidence Interval & Estimate": experiment 10, 20, 30, 40 against control 1, 2,
   * 3, 4 at 95 %: interval [6, 39], estimate 22.5 (R agrees, see reference.json "kayenta-small").
   */
  @Test
  void kayentasPublishedIntervalIsReproduced() {
    Estimate e = LocationShift.of(new double[] {10, 20, 30, 40}, new double[] {1, 2, 3, 4}, 0.95);
    assertThat(List.of(e.low(), e.value(), e.high())).containsExactly(6.0, 22.5, 39.0);
  }

  /**
   * Newcombe (1998), "Interval estimation for the difference between independent proportions",
   * Statistics in Medicine 17:873-890, example (a): 56/70 - 48/80, method 10 (hybrid score) at 95
   * %: 0.0524 to 0.3339.
   */
  @Test
  void newcombeIntervalIsThePublishedOne() {
    Estimate e = ProportionJudge.newcombe(56, 70, 48, 80, 0.95);
    assertThat(e.value()).isCloseTo(0.2, within(1e-12));
    assertThat(e.low()).isCloseTo(0.0524, within(5e-5));
    assertThat(e.high()).isCloseTo(0.3339, within(5e-5));
  }

  /** The pairwise differences around {@code estimate}: the stretch where the statistic is 0. */
  private static double[] zeroStretch(double[] x, double[] y, double estimate) {
    double[] d = LocationShift.differences(x, y);
    int i = Arrays.binarySearch(d, estimate);
    if (i >= 0) {
      return new double[] {d[i], d[i]};
    }
    int insert = -i - 1;
    return new double[] {d[insert - 1], d[insert]};
  }

  private static double[] doubles(JsonArray a) {
    return a.getValuesAs(jakarta.json.JsonNumber.class).stream()
        .mapToDouble(jakarta.json.JsonNumber::doubleValue)
        .toArray();
  }

  private static JsonObject read() {
    try (InputStream in = JudgeReferenceTest.class.getResourceAsStream("/judge/reference.json");
        JsonReader r = Json.createReader(in)) {
      return r.readObject();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
