package app.flagger.controller.judge;

import java.util.Locale;

/** Number formats of the judge's messages. */
final class Format {
  private Format() {}

  /** A relative change as a signed percentage: {@code +41%}, {@code -3.5%}. */
  static String percent(double relative) {
    double p = relative * 100;
    if (Double.isInfinite(p)) {
      return p > 0 ? "+inf%" : "-inf%";
    }
    return String.format(Locale.ROOT, Math.abs(p) >= 10 ? "%+.0f%%" : "%+.1f%%", p);
  }

  /** An estimate as {@code +41% [+30%, +55%]}. */
  static String percent(Estimate e) {
    return percent(e.value()) + " [" + percent(e.low()) + ", " + percent(e.high()) + "]";
  }

  /** A value in the metric's units, signed, four significant digits: {@code +0.05}. */
  static String signed(double v) {
    return String.format(Locale.ROOT, "%+.4g", v).replaceFirst("\\.?0+(e|$)", "$1");
  }

  /** An estimate in the metric's units as {@code +12.5 [+3, +20]}. */
  static String signed(Estimate e) {
    return signed(e.value()) + " [" + signed(e.low()) + ", " + signed(e.high()) + "]";
  }

  /** A score or threshold: {@code 62}, {@code 62.5}. */
  static String score(double s) {
    return s == Math.rint(s)
        ? String.valueOf((long) s)
        : String.format(Locale.ROOT, "%.2f", s).replaceFirst("0$", "");
  }

  /** A p-value: {@code 0.0004}, {@code 3.1e-07}. */
  static String p(double p) {
    return p >= 0.001
        ? String.format(Locale.ROOT, "%.4f", p).replaceFirst("0+$", "").replaceFirst("\\.$", "")
        : String.format(Locale.ROOT, "%.1e", p);
  }

  /** A ratio: {@code 3.1x}. */
  static String ratio(double r) {
    return Double.isInfinite(r) ? "inf x" : String.format(Locale.ROOT, "%.1fx", r);
  }
}
