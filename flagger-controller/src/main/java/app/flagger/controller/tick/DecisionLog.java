package app.flagger.controller.tick;

import app.flagger.controller.metrics.MetricAnalysis;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryMetric;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.control.AnalysisDecision;
import app.flagger.model.control.AnalysisDecision.CheckResult;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The decision log ({@code status.decisions}, {@code flagger.decision-log-size}): one {@link
 * AnalysisDecision} per analysis tick that ran metric checks or decided (advance, hold on a failed
 * check, promote, rollback), the last {@code size} kept, newest last.
 *
 * @param size how many entries are kept; 0: no log
 */
public record DecisionLog(int size) {
  public static final String ADVANCE = "advance";
  public static final String HOLD = "hold";
  public static final String PROMOTE = "promote";
  public static final String ROLLBACK = "rollback";
  public static final String GATE_CLOSED = "gate-closed";
  public static final String WAIT = "wait";
  public static final String CONTINUE = "continue";

  public static final String PASS = "pass";
  public static final String FAIL = "fail";
  public static final String ERROR = "error";
  public static final String NO_DATA = "no-data";

  /** What the tick started from. */
  record Before(CanaryPhase phase, int canaryWeight, int iterations, int failedChecks) {
    static Before of(Tick t) {
      return new Before(t.phase(), t.canaryWeight(), t.iterations(), t.failedChecks());
    }
  }

  /** The entry for a tick that ended with {@code d}; empty when it neither checked nor decided. */
  Optional<AnalysisDecision> entry(Tick t, Before before, Decision d, Instant now) {
    if (size <= 0) {
      return Optional.empty();
    }
    Optional<String> decided = decided(t, before, d);
    if (decided.isEmpty() && t.checks() == null) {
      return Optional.empty();
    }
    boolean iterations = t.analysis().iterationsOrZero() > 0;
    return Optional.of(
        new AnalysisDecision(
            now.truncatedTo(ChronoUnit.SECONDS).toString(),
            before.phase().value(),
            iterations ? null : before.canaryWeight(),
            iterations ? before.iterations() : null,
            t.checks() == null ? List.of() : t.checks(),
            name(d),
            AnalysisDecision.bounded(decided.orElse(null))));
  }

  /** {@code current} with {@code entry} appended, the oldest dropped beyond {@code size}. */
  List<AnalysisDecision> append(List<AnalysisDecision> current, AnalysisDecision entry) {
    List<AnalysisDecision> out = new ArrayList<>(current == null ? List.of() : current);
    out.add(entry);
    return List.copyOf(out.subList(Math.max(0, out.size() - size), out.size()));
  }

  /** The decision's name in the log. */
  static String name(Decision d) {
    return switch (d) {
      case Decision.Advanced a -> ADVANCE;
      case Decision.Iterated i -> ADVANCE;
      case Decision.Halt h -> HOLD;
      case Decision.Promoting p -> PROMOTE;
      case Decision.Rollback r -> ROLLBACK;
      case Decision.PromotionFailed p -> ROLLBACK;
      case Decision.AwaitApproval a -> GATE_CLOSED;
      case Decision.Wait w -> WAIT;
      default -> CONTINUE;
    };
  }

  /** The message of a deciding decision, as its event says it; empty for the others. */
  private static Optional<String> decided(Tick t, Before before, Decision d) {
    return Optional.ofNullable(
        switch (d) {
          case Decision.Advanced a -> "Advance " + t.key() + " canary weight " + a.canaryWeight();
          case Decision.Iterated i ->
              "Advance " + t.key() + " canary iteration " + i.iteration() + "/" + i.of();
          case Decision.Halt h -> h.warning();
          case Decision.Promoting p ->
              "Copying "
                  + t.targetKey()
                  + " template spec to "
                  + t.targetName()
                  + "-primary."
                  + t.ns();
          case Decision.Rollback r ->
              switch (r.cause()) {
                case FAILED_CHECKS ->
                    "Rolling back "
                        + t.key()
                        + " failed checks threshold reached "
                        + before.failedChecks();
                case MANUAL -> "Rolling back " + t.key() + " manual webhook invoked";
                case ABORTED -> "Rolling back " + t.key() + ": aborted by " + r.detail();
                case NOT_READY -> r.detail();
              };
          case Decision.PromotionFailed p ->
              "Promotion of " + t.key() + " failed, primary not ready: " + p.reason();
          case Decision.AwaitApproval a when t.checks() != null ->
              "Halt " + t.key() + " advancement waiting for approval " + a.hook();
          case Decision.Wait w when t.checks() != null -> w.warning();
          default -> null;
        });
  }

  /**
   * The checks of one analysis, in the order they ran (queries and builtin checks, then template
   * checks), up to the first failure: each with its value and threshold range; the failure's
   * message on the check that failed. A builtin check that failed has no value (the failure's
   * message carries it). {@code request-duration}'s threshold is in milliseconds and its value in
   * seconds: its maximum is given in seconds.
   */
  static List<CheckResult> checks(Canary canary, MetricAnalysis.Result result) {
    List<CanaryMetric> ordered = new ArrayList<>();
    List<CanaryMetric> metrics = canary.getSpec().analysisOrEmpty().metricsOrEmpty();
    metrics.stream().filter(m -> m.templateRef() == null).forEach(ordered::add);
    metrics.stream().filter(m -> m.templateRef() != null).forEach(ordered::add);
    String failure = result.failure().orElse(null);
    boolean placed = failure == null;
    List<CheckResult> out = new ArrayList<>();
    for (CanaryMetric m : ordered) {
      Double value =
          result.values().stream()
              .filter(v -> v.metric().equals(m.name()))
              .map(MetricAnalysis.ObservedValue::value)
              .findFirst()
              .orElse(null);
      Double min = min(m);
      Double max = max(m);
      if (value != null) {
        boolean within = (min == null || value >= min) && (max == null || value <= max);
        if (within) {
          out.add(new CheckResult(m.name(), value, min, max, PASS, null));
        } else {
          out.add(new CheckResult(m.name(), value, min, max, FAIL, bounded(placed, failure)));
          placed = true;
        }
      } else if (!placed) {
        out.add(
            new CheckResult(m.name(), null, min, max, verdict(failure), bounded(false, failure)));
        placed = true;
      }
    }
    return List.copyOf(out);
  }

  private static String bounded(boolean placed, String failure) {
    return placed ? null : AnalysisDecision.bounded(failure);
  }

  private static String verdict(String failure) {
    if (failure.contains("no values found")) {
      return NO_DATA;
    }
    return failure.startsWith("Halt") ? FAIL : ERROR;
  }

  private static Double min(CanaryMetric m) {
    if (m.thresholdRange() != null) {
      return inValueUnit(m, m.thresholdRange().min());
    }
    if (CanaryMetric.REQUEST_DURATION.equals(m.name())) {
      return null;
    }
    return m.threshold();
  }

  private static Double max(CanaryMetric m) {
    if (m.thresholdRange() != null) {
      return inValueUnit(m, m.thresholdRange().max());
    }
    if (CanaryMetric.REQUEST_DURATION.equals(m.name())) {
      return inValueUnit(m, m.threshold());
    }
    return null;
  }

  /** request-duration's thresholds are in milliseconds, its value in seconds. */
  private static Double inValueUnit(CanaryMetric m, Double threshold) {
    if (threshold == null || !CanaryMetric.REQUEST_DURATION.equals(m.name())) {
      return threshold;
    }
    return threshold / 1000;
  }
}
