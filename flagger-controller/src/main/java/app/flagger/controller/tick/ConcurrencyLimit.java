package app.flagger.controller.tick;

import app.flagger.controller.canary.StatusBuilder;
import app.flagger.controller.canary.StatusConditions;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.common.Condition;
import app.flagger.model.control.ControlStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * "concurrency limit" ({@code flagger.max-concurrent-canaries}, {@code
 * flagger.max-concurrent-canaries-per-namespace}): a new revision about to start its release
 * (leaving Initialized, Succeeded or Failed) while the limit is reached waits, first come first
 * served ({@link ReleaseQueue}), with {@code status.control.queuedSince}, a {@code Queued}
 * condition saying its place and a Normal event when its place changes. Running are the Canaries in
 * Waiting, Progressing, WaitingPromotion, Promoting or Finalising as the Canary cache has them,
 * plus those admitted by a tick that has not finished yet. Without a limit the step does nothing.
 *
 * <p>One instance is shared by every tick of the controller: admissions are serialised.
 */
public final class ConcurrencyLimit implements Step {
  /** Phases of a release in progress: each holds a slot. */
  public static final Set<CanaryPhase> RUNNING =
      Set.of(
          CanaryPhase.WAITING,
          CanaryPhase.PROGRESSING,
          CanaryPhase.WAITING_PROMOTION,
          CanaryPhase.PROMOTING,
          CanaryPhase.FINALISING);

  /** Phases a new revision starts its release from. */
  private static final Set<CanaryPhase> STARTING =
      Set.of(CanaryPhase.INITIALIZED, CanaryPhase.SUCCEEDED, CanaryPhase.FAILED);

  static final String REASON = "ConcurrencyLimit";

  private final ReleaseQueue queue;
  private final Supplier<List<Canary>> canaries;
  private final Clock clock;
  private final Set<String> admitted = new HashSet<>();

  /**
   * @param queue the limits
   * @param canaries every Canary the controller knows, as its cache has them (read only)
   */
  public ConcurrencyLimit(ReleaseQueue queue, Supplier<List<Canary>> canaries, Clock clock) {
    this.queue = queue;
    this.canaries = canaries;
    this.clock = clock;
  }

  /** No limit: every release starts at once (Flagger's behaviour). */
  public static ConcurrencyLimit unlimited(Clock clock) {
    return new ConcurrencyLimit(new ReleaseQueue(0, 0), List::of, clock);
  }

  @Override
  public Decision run(Tick t) {
    if (!queue.limited() || !STARTING.contains(t.phase())) {
      return Decision.CONTINUE;
    }
    String self = key(t.canary());
    Optional<Instant> since = queuedSince(t.canary());
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    ReleaseQueue.Verdict verdict;
    synchronized (this) {
      List<String> running = new ArrayList<>();
      List<ReleaseQueue.Waiter> waiting = new ArrayList<>();
      for (Canary c : canaries.get()) {
        String key = key(c);
        if (key.equals(self)) {
          continue;
        }
        if (RUNNING.contains(phase(c)) || admitted.contains(key)) {
          running.add(c.getMetadata().getNamespace());
        } else if (waits(c)) {
          waiting.add(waiter(c, queuedSince(c).orElseThrow()));
        }
      }
      verdict = queue.judge(waiter(t.canary(), since.orElse(now)), running, waiting);
      if (verdict instanceof ReleaseQueue.Admit) {
        admitted.add(self);
        return Decision.CONTINUE;
      }
    }
    ReleaseQueue.Wait wait = (ReleaseQueue.Wait) verdict;
    return new Decision.Queued(since.orElse(now).toString(), wait.message(), now.toString());
  }

  /** The tick of {@code t} ended: an admitted Canary now counts by its phase. */
  synchronized void finished(Tick t) {
    admitted.remove(key(t.canary()));
  }

  /** How many Canaries wait for a slot ({@code flagger_controller_canaries_waiting}). */
  public int waiting() {
    int n = 0;
    for (Canary c : canaries.get()) {
      if (waits(c)) {
        n++;
      }
    }
    return n;
  }

  /** Whether a write should record {@code q}: a new wait, or a new place or message. */
  static boolean changes(Canary c, Decision.Queued q) {
    Optional<Condition> old = condition(c);
    String since = c.getStatus() == null ? null : c.getStatus().controlOrEmpty().queuedSince();
    return !q.since().equals(since) || old.isEmpty() || !q.message().equals(old.get().message());
  }

  /** Sets {@code queuedSince} and the {@code Queued} condition. */
  static void queued(StatusBuilder b, Decision.Queued q) {
    b.control(withQueuedSince(b.control(), q.since()));
    List<Condition> out = new ArrayList<>();
    String transition = q.now();
    if (b.conditions() != null) {
      for (Condition c : b.conditions()) {
        if (StatusConditions.QUEUED.equals(c.type())) {
          transition = c.lastTransitionTime();
        } else {
          out.add(c);
        }
      }
    }
    out.add(
        new Condition(StatusConditions.QUEUED, "True", q.now(), transition, REASON, q.message()));
    b.conditions(out);
  }

  /**
   * Whether the tick's end should clear the queue fields: the release started (its phase holds a
   * slot) or the new revision went away (idle again).
   */
  static boolean shouldClear(Tick t, Decision d) {
    Canary c = t.canary();
    boolean marked = queuedSince(c).isPresent() || condition(c).isPresent();
    return marked && (RUNNING.contains(t.phase()) || d instanceof Decision.Idle);
  }

  /** Removes {@code queuedSince} and the {@code Queued} condition. */
  static void clear(StatusBuilder b) {
    ControlStatus control = withQueuedSince(b.control(), null);
    b.control(ControlStatus.EMPTY.equals(control) ? null : control);
    if (b.conditions() != null) {
      b.conditions(
          b.conditions().stream().filter(c -> !StatusConditions.QUEUED.equals(c.type())).toList());
    }
  }

  private static ControlStatus withQueuedSince(ControlStatus c, String since) {
    ControlStatus s = c == null ? ControlStatus.EMPTY : c;
    return new ControlStatus(
        s.lastCommandId(),
        s.lastCommandAction(),
        s.lastCommandResult(),
        s.lastCommandMessage(),
        s.lastCommandTime(),
        s.paused(),
        s.pausedBy(),
        s.promoteNext(),
        s.promoteFull(),
        s.abort(),
        s.approvedGates(),
        since);
  }

  /** Whether {@code c} waits for a release slot with a new revision ({@code queuedSince}). */
  static boolean queued(Canary c) {
    return queuedSince(c).isPresent() && !RUNNING.contains(phase(c));
  }

  /** A Canary in line: waiting since a time, not running, not suspended. */
  private static boolean waits(Canary c) {
    return queuedSince(c).isPresent()
        && !RUNNING.contains(phase(c))
        && (c.getSpec() == null || !c.getSpec().suspended());
  }

  private static Optional<Instant> queuedSince(Canary c) {
    if (c.getStatus() == null || c.getStatus().control() == null) {
      return Optional.empty();
    }
    String since = c.getStatus().control().queuedSince();
    if (since == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(since));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static Optional<Condition> condition(Canary c) {
    if (c.getStatus() == null || c.getStatus().conditions() == null) {
      return Optional.empty();
    }
    return c.getStatus().conditions().stream()
        .filter(x -> StatusConditions.QUEUED.equals(x.type()))
        .findFirst();
  }

  private static CanaryPhase phase(Canary c) {
    return c.getStatus() == null ? CanaryPhase.NONE : c.getStatus().phaseOrNone();
  }

  private static ReleaseQueue.Waiter waiter(Canary c, Instant since) {
    return new ReleaseQueue.Waiter(
        c.getMetadata().getNamespace(), c.getMetadata().getName(), since);
  }

  private static String key(Canary c) {
    return c.getMetadata().getNamespace() + "/" + c.getMetadata().getName();
  }
}
