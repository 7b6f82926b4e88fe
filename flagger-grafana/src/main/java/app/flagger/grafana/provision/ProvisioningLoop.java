package app.flagger.grafana.provision;

import app.flagger.grafana.GrafanaConfig;
import app.flagger.grafana.client.GrafanaException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Keeps Grafana provisioned: runs the target as soon as it starts, retries with exponential backoff
 * while Grafana is not up (saying what it waits for and why), re-provisions immediately when the
 * configuration changes, and resyncs every {@code resync-interval} to repair drift. Runs happen on
 * the injected {@link TaskScheduler}; timestamps come from the injected {@link Clock}.
 */
public final class ProvisioningLoop {
  private static final System.Logger LOG = System.getLogger(ProvisioningLoop.class.getName());

  private final Function<GrafanaConfig, ProvisioningTarget> targets;
  private final Function<GrafanaConfig, DesiredState> desiredStates;
  private final TaskScheduler scheduler;
  private final Clock clock;
  private final Consumer<ProvisioningState> listener;

  private GrafanaConfig config;
  private ProvisioningTarget target;
  private int generation;
  private int failures;
  private TaskScheduler.Cancellable pending;
  private volatile ProvisioningState state = new ProvisioningState.Starting();

  /**
   * @param targets builds the target (API or files) for a configuration
   * @param desiredStates builds the desired state for a configuration
   * @param listener told about every completed run (metrics)
   */
  public ProvisioningLoop(
      Function<GrafanaConfig, ProvisioningTarget> targets,
      Function<GrafanaConfig, DesiredState> desiredStates,
      TaskScheduler scheduler,
      Clock clock,
      Consumer<ProvisioningState> listener) {
    this.targets = targets;
    this.desiredStates = desiredStates;
    this.scheduler = scheduler;
    this.clock = clock;
    this.listener = listener;
  }

  /** Starts provisioning with the initial configuration. */
  public synchronized void start(GrafanaConfig initial) {
    LOG.log(Level.INFO, "Provisioning Grafana with {0}", initial);
    use(initial);
    runSoon(Duration.ZERO);
  }

  /**
   * Applies a new configuration; re-provisions immediately when it differs from the current one.
   *
   * @return whether the configuration changed
   */
  public synchronized boolean reconfigure(GrafanaConfig next) {
    if (next.equals(config)) {
      return false;
    }
    LOG.log(Level.INFO, "Configuration changed, re-provisioning with {0}", next);
    use(next);
    runSoon(Duration.ZERO);
    return true;
  }

  /** Provisions again now, e.g. on {@code POST /provision}. */
  public synchronized void trigger() {
    failures = 0;
    runSoon(Duration.ZERO);
  }

  public ProvisioningState state() {
    return state;
  }

  public synchronized GrafanaConfig config() {
    return config;
  }

  private void use(GrafanaConfig next) {
    config = next;
    target = targets.apply(next);
    failures = 0;
  }

  private void runSoon(Duration delay) {
    if (pending != null) {
      pending.cancel();
    }
    int run = ++generation;
    pending = scheduler.schedule(delay, () -> run(run));
  }

  private void run(int run) {
    GrafanaConfig cfg;
    ProvisioningTarget tgt;
    synchronized (this) {
      if (run != generation) {
        return;
      }
      cfg = config;
      tgt = target;
    }
    ProvisioningState next;
    Duration again;
    try {
      ProvisioningReport report = tgt.apply(desiredStates.apply(cfg));
      next = new ProvisioningState.Ready(report, clock.instant());
      again = cfg.resyncInterval();
      LOG.log(
          report.changed() ? Level.INFO : Level.DEBUG,
          "Provisioned {0} (Grafana {1}): {2}",
          tgt.describe(),
          report.grafanaVersion(),
          report.summary());
    } catch (RuntimeException e) {
      next = failed(cfg, tgt, e);
      again =
          switch (next) {
            case ProvisioningState.Waiting w -> w.retryIn();
            case ProvisioningState.Failed f -> f.retryIn();
            default -> cfg.maxBackoff();
          };
    }
    synchronized (this) {
      if (run != generation) {
        return;
      }
      state = next;
      if (next instanceof ProvisioningState.Ready) {
        failures = 0;
      }
      if (!again.isZero()) {
        runSoon(again);
      }
    }
    listener.accept(next);
  }

  private ProvisioningState failed(GrafanaConfig cfg, ProvisioningTarget tgt, RuntimeException e) {
    int attempt;
    synchronized (this) {
      attempt = ++failures;
    }
    Duration retryIn = new Backoff(cfg.initialBackoff(), cfg.maxBackoff()).delay(attempt);
    boolean waiting = e instanceof GrafanaException g && g.transientFailure();
    if (waiting) {
      LOG.log(
          Level.INFO,
          "Waiting for {0} to create the Prometheus datasource and the Flagger dashboards: {1}"
              + " (attempt {2}, next try in {3})",
          tgt.describe(),
          e.getMessage(),
          attempt,
          seconds(retryIn));
      return new ProvisioningState.Waiting(e.getMessage(), attempt, retryIn, clock.instant());
    }
    LOG.log(
        Level.ERROR,
        "Provisioning {0} failed: {1} (attempt {2}, next try in {3})",
        tgt.describe(),
        e.getMessage(),
        attempt,
        seconds(retryIn));
    return new ProvisioningState.Failed(e.getMessage(), attempt, retryIn, clock.instant());
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }
}
