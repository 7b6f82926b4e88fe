package app.flagger.controller.tick;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.model.canary.CanaryAnalysis;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Flagger's weight progression (scheduler_test.go): canary weights per tick until promotion. */
class StepWeightsTest {
  record Case(
      String name,
      Integer stepWeight,
      List<Integer> stepWeights,
      Integer maxWeight,
      List<Integer> weights) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("stepWeight 20 max 50 overshoots", 20, null, 50, List.of(20, 40, 60)),
        new Case("stepWeight 50 max 100", 50, null, 100, List.of(50, 100)),
        new Case("stepWeights 1,2,10,80", null, List.of(1, 2, 10, 80), null, List.of(1, 2, 10, 80)),
        new Case(
            "stepWeights capped at 100",
            null,
            List.of(1, 2, 10, 200),
            null,
            List.of(1, 2, 10, 100)));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void canaryWeightsFollowFlaggersProgression(Case c) {
    CanaryAnalysis a =
        new CanaryAnalysis(
            "1m",
            1,
            c.maxWeight(),
            c.stepWeight(),
            c.stepWeights(),
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
    int max = a.maxWeightOrDefault();
    int canary = 0;
    List<Integer> seen = new ArrayList<>();
    while (canary < max) {
      int step = StepWeights.next(a, canary);
      canary = Math.min(100, canary + step);
      seen.add(canary);
    }
    assertThat(seen).isEqualTo(c.weights());
  }
}
