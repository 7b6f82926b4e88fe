package app.flagger.controller.metrics.providers;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The points of one series as a vendor's API gives them, in whatever order: {@link #values()}
 * returns their values sorted by time (NaN kept: the judge drops or zeroes them).
 */
final class TimedValues {
  private record Point(double time, double value) {}

  private final List<Point> points = new ArrayList<>();

  /** Adds the value at {@code time} (any unit, the same for every point). */
  void add(double time, double value) {
    points.add(new Point(time, value));
  }

  /** The values in time order. */
  double[] values() {
    return points.stream()
        .sorted(Comparator.comparingDouble(Point::time))
        .mapToDouble(Point::value)
        .toArray();
  }
}
