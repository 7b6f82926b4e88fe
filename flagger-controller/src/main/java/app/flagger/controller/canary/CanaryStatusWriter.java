package app.flagger.controller.canary;

import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryAnalysis;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.control.ControlStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Writes Canary status through the status subresource, replacing the whole status (as Flagger's
 * {@code UpdateStatus} does) with a JSON patch guarded by the resourceVersion it was computed from;
 * on 409 it re-reads the Canary and re-applies the change (Flagger's {@code
 * retry.RetryOnConflict}). Every write stamps {@code lastTransitionTime} from the injected clock.
 * Each method returns the Canary as stored, and reports it to the {@code written} callback so the
 * next tick reads it even before the Canary cache caught up.
 *
 * <p>Whole replacement is what lets the status shrink: a config the target no longer uses leaves
 * {@code trackedConfigs}, a condition left out leaves {@code conditions}, and a field set to null
 * is removed. A JSON merge patch would need an explicit {@code null} for every removed key, and
 * fabric8's CRUD mock does not apply those as RFC 7386 says (it stores the nulls and appends to
 * arrays).
 */
public final class CanaryStatusWriter implements StatusWriter {
  private static final int ATTEMPTS = 5;
  private static final Set<CanaryPhase> KEEP_WEIGHT =
      Set.of(CanaryPhase.PROGRESSING, CanaryPhase.WAITING, CanaryPhase.PROMOTING);

  private final KubernetesClient client;
  private final StatusSubresource status;
  private final Clock clock;
  private final Consumer<Canary> written;
  private final Rider rider;

  public CanaryStatusWriter(KubernetesClient client, Clock clock) {
    this(client, clock, c -> {});
  }

  /** A writer that reports each Canary as stored to {@code written} (read-your-own-writes). */
  public CanaryStatusWriter(KubernetesClient client, Clock clock, Consumer<Canary> written) {
    this(client, clock, written, null);
  }

  private CanaryStatusWriter(
      KubernetesClient client, Clock clock, Consumer<Canary> written, Rider rider) {
    this.client = client;
    this.status = new StatusSubresource(client);
    this.clock = clock;
    this.written = written;
    this.rider = rider;
  }

  @Override
  public StatusWriter riding(Consumer<StatusBuilder> extra, Runnable ridden) {
    return new CanaryStatusWriter(client, clock, written, new Rider(extra, ridden));
  }

  /** A change that goes along with the next write that succeeds, once. */
  private static final class Rider {
    private final AtomicReference<Consumer<StatusBuilder>> extra;
    private final Runnable ridden;

    Rider(Consumer<StatusBuilder> extra, Runnable ridden) {
      this.extra = new AtomicReference<>(extra);
      this.ridden = ridden;
    }
  }

  /** Reports a Canary the controller wrote some other way (finalizers) as stored. */
  @Override
  public void wrote(Canary stored) {
    written.accept(stored);
  }

  /**
   * Applies {@code change} (and a rider's change, on the first write that succeeds) to the status
   * and writes it, retrying on conflicts.
   */
  @Override
  public Canary write(Canary canary, Consumer<StatusBuilder> change) {
    Consumer<StatusBuilder> extra = rider == null ? null : rider.extra.getAndSet(null);
    boolean done = false;
    try {
      Canary stored = write(canary, extra == null ? change : change.andThen(extra), ATTEMPTS);
      done = true;
      if (extra != null) {
        rider.ridden.run();
      }
      return stored;
    } finally {
      if (extra != null && !done) {
        rider.extra.compareAndSet(null, extra);
      }
    }
  }

  private Canary write(Canary canary, Consumer<StatusBuilder> change, int attempts) {
    Canary current = canary;
    KubernetesClientException last = null;
    for (int attempt = 0; attempt < attempts; attempt++) {
      StatusBuilder b = new StatusBuilder(current.getStatus());
      change.accept(b);
      b.lastTransitionTime = now();
      try {
        Canary stored = status.write(current, b.build());
        written.accept(stored);
        return stored;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 && e.getCode() < 500) {
          throw e;
        }
        last = e;
        current = reread(current);
      }
    }
    throw last;
  }

  /** A new Canary: phase Initializing with its condition. */
  @Override
  public Canary setPhaseInitializing(Canary canary) {
    String kind = kind(canary);
    return write(
        canary,
        b -> {
          b.phase = CanaryPhase.INITIALIZING;
          b.conditions =
              StatusConditions.promoted(b.conditions, CanaryPhase.INITIALIZING, kind, now());
        });
  }

  /** Flagger's {@code SyncStatus}: phase and counters, plus the target's hash and configs. */
  @Override
  public Canary syncStatus(
      Canary canary,
      TargetController target,
      CanaryPhase phase,
      int weight,
      int failedChecks,
      int iterations) {
    String hash = target.targetHash(canary);
    var configs = target.trackedConfigs(canary);
    String kind = kind(canary);
    return write(
        canary,
        b -> {
          b.phase = phase;
          b.canaryWeight = weight;
          b.failedChecks = failedChecks;
          b.iterations = iterations;
          b.lastAppliedSpec = hash;
          if (phase == CanaryPhase.INITIALIZED) {
            b.lastPromotedSpec = hash;
          }
          b.trackedConfigs = configs.isEmpty() ? null : configs;
          b.conditions = StatusConditions.promoted(withoutValidated(b), phase, kind, now());
        });
  }

  @Override
  public Canary setFailedChecks(Canary canary, int value) {
    return write(canary, b -> b.failedChecks = value);
  }

  @Override
  public Canary setWeight(Canary canary, int value) {
    return write(canary, b -> b.canaryWeight = value);
  }

  @Override
  public Canary setIterations(Canary canary, int value) {
    return write(canary, b -> b.iterations = value);
  }

  /** Flagger's {@code SetStatusPhase}. */
  @Override
  public Canary setPhase(Canary canary, CanaryPhase phase) {
    String kind = kind(canary);
    CanaryAnalysis analysis = canary.getSpec().analysisOrLegacy();
    int analysisIterations = analysis == null ? 0 : analysis.iterationsOrZero();
    return write(
        canary,
        b -> {
          b.phase = phase;
          if (!KEEP_WEIGHT.contains(phase)) {
            b.canaryWeight = 0;
            b.iterations = phase == CanaryPhase.WAITING_PROMOTION ? analysisIterations - 1 : 0;
          }
          if (phase == CanaryPhase.INITIALIZED || phase == CanaryPhase.SUCCEEDED) {
            b.lastPromotedSpec = b.lastAppliedSpec;
          }
          b.conditions = StatusConditions.promoted(withoutValidated(b), phase, kind, now());
        });
  }

  @Override
  public Canary setControl(Canary canary, UnaryOperator<ControlStatus> change) {
    return write(canary, b -> b.control = control(b.control, change));
  }

  @Override
  public Canary retry(Canary canary, UnaryOperator<ControlStatus> change) {
    return write(
        canary,
        b -> {
          b.control = control(b.control, change);
          b.lastAppliedSpec = null;
          b.failedChecks = 0;
        });
  }

  /** {@code change} applied to the control read, absent when nothing is left in it. */
  public static ControlStatus control(ControlStatus read, UnaryOperator<ControlStatus> change) {
    ControlStatus next = change.apply(read == null ? ControlStatus.EMPTY : read);
    return ControlStatus.EMPTY.equals(next) ? null : next;
  }

  /** Records the problems of an invalid spec in a {@code Validated=False} condition. */
  @Override
  public Canary markInvalid(Canary canary, String problems) {
    return write(
        canary, b -> b.conditions = StatusConditions.invalid(b.conditions, problems, now()));
  }

  private static java.util.List<app.flagger.model.common.Condition> withoutValidated(
      StatusBuilder b) {
    return b.conditions == null
        ? null
        : b.conditions.stream().filter(c -> !StatusConditions.VALIDATED.equals(c.type())).toList();
  }

  private Canary reread(Canary current) {
    Canary fresh =
        client
            .resources(Canary.class)
            .inNamespace(current.getMetadata().getNamespace())
            .withName(current.getMetadata().getName())
            .get();
    if (fresh == null) {
      throw new KubernetesClientException("canary " + current.key() + " not found");
    }
    return fresh;
  }

  private String now() {
    return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
  }

  private static String kind(Canary canary) {
    return canary.getSpec().targetRef() == null
        ? "Deployment"
        : canary.getSpec().targetRef().kind();
  }
}
