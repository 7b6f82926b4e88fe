package app.flagger.controller.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A scrape of the controller's {@code /metrics} in the Prometheus text format (0.0.4, as Helidon
 * renders it: {@code name{label="value",...,} 1.0}), reduced to what the benchmark reads: sums of
 * samples by name and labels, and the cumulative buckets of a histogram. Comments and {@code #
 * TYPE} lines are skipped; a sample's optional timestamp is ignored.
 */
record PromText(List<Sample> samples) {
  static final PromText EMPTY = new PromText(List.of());

  /** One sample line. */
  record Sample(String name, Map<String, String> labels, double value) {}

  PromText {
    samples = List.copyOf(samples);
  }

  static PromText parse(String text) {
    List<Sample> out = new ArrayList<>();
    int lineNo = 0;
    for (String line : text.split("\n")) {
      lineNo++;
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      try {
        out.add(sample(l));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "metrics line " + lineNo + ": expected name{labels} value, got: " + line, e);
      }
    }
    return new PromText(out);
  }

  /** The sum of the samples named {@code name} whose labels include {@code match}; 0 if none. */
  double sum(String name, Map<String, String> match) {
    double s = 0;
    for (Sample x : samples) {
      if (x.name().equals(name) && x.labels().entrySet().containsAll(match.entrySet())) {
        s += x.value();
      }
    }
    return s;
  }

  /** The cumulative counts of histogram {@code family} by bucket upper bound (+Inf included). */
  Map<Double, Long> buckets(String family, Map<String, String> match) {
    Map<Double, Long> m = new TreeMap<>();
    for (Sample x : samples) {
      if (x.name().equals(family + "_bucket")
          && x.labels().entrySet().containsAll(match.entrySet())) {
        m.merge(number(x.labels().get("le")), (long) x.value(), Long::sum);
      }
    }
    return m;
  }

  private static Sample sample(String l) {
    int brace = l.indexOf('{');
    int space = l.indexOf(' ');
    Map<String, String> labels = new HashMap<>();
    String rest;
    String name;
    if (brace >= 0 && (space < 0 || brace < space)) {
      name = l.substring(0, brace);
      int end = labels(l, brace + 1, labels);
      rest = l.substring(end + 1).strip();
    } else {
      name = l.substring(0, space);
      rest = l.substring(space + 1).strip();
    }
    String value = rest.split("\\s+")[0];
    return new Sample(name, labels, number(value));
  }

  /** Reads {@code k="v",...} from {@code from} into {@code out}; returns the index of '}'. */
  private static int labels(String l, int from, Map<String, String> out) {
    int i = from;
    while (true) {
      while (l.charAt(i) == ',' || l.charAt(i) == ' ') {
        i++;
      }
      if (l.charAt(i) == '}') {
        return i;
      }
      int eq = l.indexOf('=', i);
      String key = l.substring(i, eq).strip();
      if (l.charAt(eq + 1) != '"') {
        throw new IllegalArgumentException("label " + key + ": expected a quoted value");
      }
      StringBuilder v = new StringBuilder();
      int j = eq + 2;
      for (; l.charAt(j) != '"'; j++) {
        char c = l.charAt(j);
        if (c == '\\') {
          char n = l.charAt(++j);
          v.append(n == 'n' ? '\n' : n);
        } else {
          v.append(c);
        }
      }
      out.put(key, v.toString());
      i = j + 1;
    }
  }

  private static double number(String s) {
    return switch (s) {
      case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(s);
    };
  }
}
