package app.flagger.controller.observe;

import java.time.Duration;
import java.util.List;

/** Converts bucket bounds in seconds to the durations Helidon's timers take. */
final class Buckets {
  private Buckets() {}

  static Duration[] durations(List<Double> seconds) {
    return seconds.stream()
        .map(s -> Duration.ofNanos(Math.round(s * 1_000_000_000L)))
        .toArray(Duration[]::new);
  }
}
