package app.flagger.controller.observe;

import static app.flagger.model.metrics.FlaggerMetrics.LABEL_ANALYSIS_STATUS;
import static app.flagger.model.metrics.FlaggerMetrics.LABEL_DEPLOYMENT_STRATEGY;
import static app.flagger.model.metrics.FlaggerMetrics.LABEL_METRIC;
import static app.flagger.model.metrics.FlaggerMetrics.LABEL_NAME;
import static app.flagger.model.metrics.FlaggerMetrics.LABEL_NAMESPACE;
import static app.flagger.model.metrics.FlaggerMetrics.LABEL_WORKLOAD;

import app.flagger.model.metrics.FlaggerMetrics;
import app.flagger.model.metrics.MetricName;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;

/**
 * The series of Flagger's per-Canary families ({@code flagger_canary_status}, {@code _weight},
 * {@code _duration_seconds}, {@code _metric_analysis}, {@code _judge_score}, {@code
 * _judge_verdict}, {@code _successes_total}, {@code _failures_total}), kept outside Micrometer so
 * that {@code /metrics} stays fast with thousands of Canaries.
 *
 * <p>Each series keeps its own sample lines, already in Prometheus' text format: a setter rebuilds
 * them when the value changes and publishes them as one immutable array, so rendering is copying
 * arrays and a reader never sees half a line or a histogram whose buckets disagree with its count.
 * No lock is held across a render; a setter locks only its own series.
 *
 * <p>One instance per JVM ({@link #shared()}), as Helidon's registries are one underneath: the
 * recorder of a controller and the one {@code Main} uses for {@code flagger_info} see the same
 * series, and the HTTP server renders them.
 */
public final class CanarySeries {
  private static final CanarySeries SHARED = new CanarySeries();

  /** The families in the order they are rendered. */
  enum Family {
    STATUS(FlaggerMetrics.CANARY_STATUS),
    WEIGHT(FlaggerMetrics.CANARY_WEIGHT),
    DURATION(FlaggerMetrics.CANARY_DURATION),
    METRIC_ANALYSIS(FlaggerMetrics.CANARY_METRIC_ANALYSIS),
    JUDGE_SCORE(FlaggerMetrics.CANARY_JUDGE_SCORE),
    JUDGE_VERDICT(FlaggerMetrics.CANARY_JUDGE_VERDICT),
    SUCCESSES(FlaggerMetrics.CANARY_SUCCESSES),
    FAILURES(FlaggerMetrics.CANARY_FAILURES);

    final MetricName metric;
    final byte[] header;

    Family(MetricName metric) {
      this.metric = metric;
      this.header =
          TextLines.header(
              metric.name(), metric.type().name().toLowerCase(Locale.ROOT), metric.help());
    }

    boolean named(String name) {
      return metric.name().equals(name) || metric.registrationName().equals(name);
    }
  }

  private static final Family[] FAMILIES = Family.values();

  private final Map<Key, PerCanary> canaries = new ConcurrentHashMap<>();

  /** The series of every controller in this JVM. */
  public static CanarySeries shared() {
    return SHARED;
  }

  /** A store of its own, for tests that must not see other tests' Canaries. */
  public static CanarySeries isolated() {
    return new CanarySeries();
  }

  private CanarySeries() {}

  void setStatus(String target, String namespace, double value) {
    canary(target, namespace).gauge(Family.STATUS, "", LABEL_NAME, target, null, null).set(value);
  }

  void setWeight(String target, String namespace, String workload, double value) {
    canary(target, namespace)
        .gauge(Family.WEIGHT, workload, LABEL_WORKLOAD, workload, null, null)
        .set(value);
  }

  void recordDuration(String target, String namespace, long nanos) {
    canary(target, namespace).duration(target).record(nanos);
  }

  void setAnalysis(String target, String namespace, String metric, double value) {
    canary(target, namespace)
        .gauge(Family.METRIC_ANALYSIS, metric, LABEL_NAME, target, LABEL_METRIC, metric)
        .set(value);
  }

  void setJudgeScore(String target, String namespace, double value) {
    canary(target, namespace)
        .gauge(Family.JUDGE_SCORE, "", LABEL_NAME, target, null, null)
        .set(value);
  }

  void setJudgeVerdict(String target, String namespace, String metric, double value) {
    canary(target, namespace)
        .gauge(Family.JUDGE_VERDICT, metric, LABEL_NAME, target, LABEL_METRIC, metric)
        .set(value);
  }

  void increment(Family family, String target, String namespace, String strategy, String status) {
    canary(target, namespace).counter(family, target, strategy, status).add(1);
  }

  /** Drops every series of the Canary targeting {@code target} in {@code namespace}. */
  void remove(String target, String namespace) {
    canaries.remove(new Key(namespace, target));
  }

  /**
   * Appends every family that has a series, in Prometheus' text format 0.0.4, to {@code out}. Runs
   * alongside the setters: each series is written as it was last published.
   */
  public void writeTo(ByteArrayOutputStream out) {
    PerCanary[] all = canaries.values().toArray(PerCanary[]::new);
    for (Family f : FAMILIES) {
      boolean headed = false;
      for (PerCanary c : all) {
        for (Series s : c.family(f)) {
          byte[] text = s.text;
          if (text == null) {
            continue;
          }
          if (!headed) {
            out.writeBytes(f.header);
            headed = true;
          }
          out.writeBytes(text);
        }
      }
    }
  }

  /**
   * The series of family {@code name} (exposed or registration name, e.g. {@code
   * flagger_canary_successes_total} or {@code flagger_canary_successes}) with their labels ({@code
   * scope} aside) and value; a histogram's value is its count. Empty for any other name.
   */
  public List<Observed> series(String name) {
    List<Observed> out = new ArrayList<>();
    for (Family f : FAMILIES) {
      if (!f.named(name)) {
        continue;
      }
      for (PerCanary c : canaries.values()) {
        for (Series s : c.family(f)) {
          out.add(new Observed(s.labels, s.value()));
        }
      }
    }
    return out;
  }

  /** The value of the series of family {@code name} with exactly {@code labels}; NaN when none. */
  public double value(String name, Map<String, String> labels) {
    return series(name).stream()
        .filter(o -> o.labels().equals(labels))
        .mapToDouble(Observed::value)
        .findFirst()
        .orElse(Double.NaN);
  }

  /** Whether {@code name} is one of the families kept here. */
  public static boolean holds(String name) {
    return Arrays.stream(FAMILIES).anyMatch(f -> f.named(name));
  }

  /** One series as read back: its labels without {@code scope}, and its value. */
  public record Observed(Map<String, String> labels, double value) {}

  private PerCanary canary(String target, String namespace) {
    return canaries.computeIfAbsent(new Key(namespace, target), k -> new PerCanary(namespace));
  }

  private record Key(String namespace, String target) {}

  /**
   * The series of one Canary, by family: a family's series are an array replaced when one is added
   * (a Canary has a handful per family, added once), so a render iterates plain arrays.
   */
  private static final class PerCanary {
    private static final Series[] NONE = new Series[0];

    private final String namespace;
    private final AtomicReferenceArray<Series[]> families =
        new AtomicReferenceArray<>(FAMILIES.length);

    PerCanary(String namespace) {
      this.namespace = namespace;
    }

    Series[] family(Family f) {
      Series[] s = families.get(f.ordinal());
      return s == null ? NONE : s;
    }

    /** The series of family {@code f} told apart by {@code id}, made by {@code make} if new. */
    private Series find(Family f, String id, Function<String, Series> make) {
      for (Series s : family(f)) {
        if (s.id.equals(id)) {
          return s;
        }
      }
      synchronized (this) {
        Series[] current = family(f);
        for (Series s : current) {
          if (s.id.equals(id)) {
            return s;
          }
        }
        Series made = make.apply(id);
        Series[] next = Arrays.copyOf(current, current.length + 1);
        next[current.length] = made;
        families.set(f.ordinal(), next);
        return made;
      }
    }

    Sample gauge(Family f, String id, String k1, String v1, String k2, String v2) {
      return (Sample) find(f, id, x -> new Sample(x, f.metric.name(), labels(k1, v1, k2, v2)));
    }

    Sample counter(Family f, String target, String strategy, String status) {
      return (Sample)
          find(
              f,
              strategy + "\n" + status,
              x -> {
                Map<String, String> l = labels(LABEL_NAME, target, null, null);
                l.put(LABEL_DEPLOYMENT_STRATEGY, strategy);
                l.put(LABEL_ANALYSIS_STATUS, status);
                return new Sample(x, f.metric.name(), l);
              });
    }

    Histogram duration(String target) {
      return (Histogram)
          find(Family.DURATION, "", x -> new Histogram(labels(LABEL_NAME, target, null, null)));
    }

    private Map<String, String> labels(String k1, String v1, String k2, String v2) {
      Map<String, String> l = new TreeMap<>();
      l.put(LABEL_NAMESPACE, namespace);
      l.put(k1, v1);
      if (k2 != null) {
        l.put(k2, v2);
      }
      return l;
    }
  }

  /** A series: its labels (without scope) and its lines as last published. */
  private abstract static class Series {
    /** What tells this series apart from the others of its family and Canary. */
    final String id;

    final Map<String, String> labels;
    volatile byte[] text;

    Series(String id, Map<String, String> labels) {
      this.id = id;
      this.labels = Map.copyOf(labels);
    }

    abstract double value();

    static String labelText(Map<String, String> labels) {
      SortedMap<String, String> withScope = new TreeMap<>(labels);
      withScope.put(TextLines.SCOPE, TextLines.SCOPE_APPLICATION);
      return TextLines.labels(withScope);
    }
  }

  /** A gauge or a counter: one line, {@code name{labels} value}, published from its first value. */
  private static final class Sample extends Series {
    /** Bytes of {@code name{labels} }, the start of every line of this series. */
    private final int prefix;

    /** A line whose first {@link #prefix} bytes are this series' prefix. */
    private byte[] base;

    private double value;

    Sample(String id, String name, Map<String, String> labels) {
      super(id, labels);
      this.base = TextLines.line(name, labelText(labels), 0);
      this.prefix = base.length - "0.0\n".length();
    }

    synchronized void set(double v) {
      byte[] current = text;
      if (current != null && Double.doubleToLongBits(v) == Double.doubleToLongBits(value)) {
        return;
      }
      byte[] digits =
          TextLines.value(new StringBuilder(24), v)
              .append('\n')
              .toString()
              .getBytes(StandardCharsets.US_ASCII);
      byte[] line = Arrays.copyOf(base, prefix + digits.length);
      System.arraycopy(digits, 0, line, prefix, digits.length);
      value = v;
      base = line;
      text = line;
    }

    synchronized void add(double delta) {
      set(value + delta);
    }

    @Override
    synchronized double value() {
      return value;
    }
  }

  /**
   * {@code flagger_canary_duration_seconds}: cumulative buckets at Prometheus' default bounds, then
   * {@code +Inf}, {@code _count} and {@code _sum}, as Micrometer's timer wrote them.
   */
  private static final class Histogram extends Series {
    private static final String NAME = FlaggerMetrics.CANARY_DURATION.name();
    private static final long[] BOUNDS =
        FlaggerMetrics.CANARY_DURATION_BUCKETS.stream()
            .mapToLong(s -> Math.round(s * 1_000_000_000L))
            .toArray();
    private static final String[] LE =
        Arrays.stream(BOUNDS).mapToObj(n -> Double.toString(n / 1e9)).toArray(String[]::new);

    private final String labelText;
    private final long[] cumulative = new long[BOUNDS.length];
    private long count;
    private long sumNanos;

    Histogram(Map<String, String> labels) {
      super("", labels);
      this.labelText = labelText(labels);
    }

    /** Micrometer's timer ignores negative durations; so does this. */
    synchronized void record(long nanos) {
      if (nanos < 0) {
        return;
      }
      for (int i = BOUNDS.length - 1; i >= 0 && nanos <= BOUNDS[i]; i--) {
        cumulative[i]++;
      }
      count++;
      sumNanos += nanos;
      text = render();
    }

    private byte[] render() {
      StringBuilder b = new StringBuilder(1600);
      for (int i = 0; i < BOUNDS.length; i++) {
        bucket(b, LE[i]).append((double) cumulative[i]).append('\n');
      }
      bucket(b, "+Inf").append((double) count).append('\n');
      b.append(NAME).append("_count{").append(labelText).append("} ");
      b.append((double) count).append('\n');
      b.append(NAME).append("_sum{").append(labelText).append("} ");
      TextLines.value(b, sumNanos / 1e9).append('\n');
      return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private StringBuilder bucket(StringBuilder b, String le) {
      return b.append(NAME)
          .append("_bucket{")
          .append(labelText)
          .append("le=\"")
          .append(le)
          .append("\",} ");
    }

    @Override
    synchronized double value() {
      return count;
    }
  }
}
