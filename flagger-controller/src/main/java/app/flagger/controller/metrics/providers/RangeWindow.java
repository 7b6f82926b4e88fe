package app.flagger.controller.metrics.providers;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The window of a range query: from {@code start} to {@code end}, one value every {@code step}.
 *
 * @param start the first sample's time
 * @param end the last sample's time
 * @param step the distance between samples, at least one second
 */
public record RangeWindow(Instant start, Instant end, Duration step) {
  /** The shortest step asked for. */
  public static final Duration MIN_STEP = Duration.ofSeconds(1);

  /** How many steps a window is cut into. */
  public static final int STEPS = 30;

  public RangeWindow {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    Objects.requireNonNull(step, "step");
    if (end.isBefore(start)) {
      throw new IllegalArgumentException("range end " + end + " before start " + start);
    }
    if (step.compareTo(MIN_STEP) < 0) {
      throw new IllegalArgumentException("range step " + step + " below one second");
    }
  }

  /**
   * The window of {@code length} ending at {@code end}, cut into {@value #STEPS} steps of at least
   * one second (a 1m window: a value every 2 s, 31 values).
   */
  public static RangeWindow ending(Instant end, Duration length) {
    Duration step = length.dividedBy(STEPS);
    if (step.compareTo(MIN_STEP) < 0) {
      step = MIN_STEP;
    }
    return new RangeWindow(end.minus(length), end, step);
  }
}
