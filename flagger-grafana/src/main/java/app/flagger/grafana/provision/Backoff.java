package app.flagger.grafana.provision;

import java.time.Duration;

/** Exponential backoff: {@code initial}, doubling per failed attempt, capped at {@code max}. */
public record Backoff(Duration initial, Duration max) {

  /** The wait after the {@code attempt}-th consecutive failure (1-based). */
  public Duration delay(int attempt) {
    Duration d = initial;
    for (int i = 1; i < attempt && d.compareTo(max) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(max) > 0 ? max : d;
  }
}
