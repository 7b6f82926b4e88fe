package app.flagger.loadtester.grpc;

import java.time.Duration;

/** Writes durations the way Go's {@code time.Duration.String()} does: {@code 1s}, {@code 1m30s}. */
final class GoDurations {
  private GoDurations() {}

  static String format(Duration d) {
    long n = d.toNanos();
    if (n == 0) {
      return "0s";
    }
    String sign = n < 0 ? "-" : "";
    n = Math.abs(n);
    if (n < 1_000L) {
      return sign + n + "ns";
    }
    if (n < 1_000_000L) {
      return sign + fraction(n, 3) + "µs";
    }
    if (n < 1_000_000_000L) {
      return sign + fraction(n, 6) + "ms";
    }
    long hours = n / 3_600_000_000_000L;
    long minutes = n / 60_000_000_000L % 60;
    String seconds = fraction(n % 60_000_000_000L, 9) + "s";
    if (hours > 0) {
      return sign + hours + "h" + minutes + "m" + seconds;
    }
    return minutes > 0 ? sign + minutes + "m" + seconds : sign + seconds;
  }

  /** {@code value / 10^digits} with the fraction's trailing zeros dropped. */
  private static String fraction(long value, int digits) {
    long scale = (long) Math.pow(10, digits);
    long whole = value / scale;
    long frac = value % scale;
    if (frac == 0) {
      return Long.toString(whole);
    }
    String f = String.format("%0" + digits + "d", frac).replaceFirst("0+$", "");
    return whole + "." + f;
  }
}
