package app.flagger.controller.tick;

import app.flagger.controller.canary.StatusWriter;
import app.flagger.model.control.AnalysisDecision;
import java.time.Clock;
import java.util.Optional;

/**
 * What a tick leaves in the status besides its transition: the decision log's entry and, once the
 * release started or the new revision went away, the end of its wait in the concurrency queue. The
 * entry rides along with the transition's first status write; what no write carried goes in one
 * status write after the tick, only when there is something to record.
 */
public final class TickRecords {
  private final ConcurrencyLimit limit;
  private final DecisionLog log;
  private final StatusWriter status;
  private final Clock clock;

  public TickRecords(ConcurrencyLimit limit, DecisionLog log, StatusWriter status, Clock clock) {
    this.limit = limit;
    this.log = log;
    this.status = status;
    this.clock = clock;
  }

  /** No concurrency limit and no decision log: a tick as in Flagger. */
  public static TickRecords none(Clock clock) {
    return new TickRecords(ConcurrencyLimit.unlimited(clock), new DecisionLog(0), null, clock);
  }

  /** The concurrency limit's step. */
  ConcurrencyLimit limit() {
    return limit;
  }

  /**
   * Before the transition of {@code d} is carried out: the decision log's entry rides along with
   * the transition's first status write ({@link StatusWriter#riding}), so an advancing tick makes
   * one status write, not two. {@link #after} writes it alone when no write carried it.
   */
  void ride(Tick t, DecisionLog.Before before, Decision d) {
    log.entry(t, before, d, clock.instant())
        .ifPresent(
            e -> {
              Ridden ridden = new Ridden(e);
              t.writer(
                  status.riding(b -> b.decisions(log.append(b.decisions(), e)), ridden), ridden);
            });
  }

  /** After the tick of {@code t} ended with {@code d}, having started from {@code before}. */
  void after(Tick t, DecisionLog.Before before, Decision d) {
    try {
      Ridden rode = t.ridden();
      Optional<AnalysisDecision> entry =
          rode == null ? log.entry(t, before, d, clock.instant()) : rode.unwritten();
      boolean clear = ConcurrencyLimit.shouldClear(t, d);
      if (entry.isEmpty() && !clear) {
        return;
      }
      t.stored(
          status.write(
              t.canary(),
              b -> {
                entry.ifPresent(e -> b.decisions(log.append(b.decisions(), e)));
                if (clear) {
                  ConcurrencyLimit.clear(b);
                }
              }));
    } finally {
      limit.finished(t);
    }
  }

  /** An entry given to the transition's writer, and whether a write carried it. */
  static final class Ridden implements Runnable {
    private final AnalysisDecision entry;
    private volatile boolean written;

    Ridden(AnalysisDecision entry) {
      this.entry = entry;
    }

    @Override
    public void run() {
      written = true;
    }

    Optional<AnalysisDecision> unwritten() {
      return written ? Optional.empty() : Optional.of(entry);
    }
  }
}
