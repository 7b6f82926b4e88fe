package app.flagger.controller.tick;

import app.flagger.controller.canary.StatusWriter;
import app.flagger.controller.canary.TargetController;
import app.flagger.controller.router.KubernetesRouter;
import app.flagger.controller.router.MeshRouter;
import app.flagger.controller.router.Routes;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryAnalysis;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.canary.CanaryStatus;
import app.flagger.model.control.AnalysisDecision;
import app.flagger.model.control.ControlStatus;
import app.flagger.model.provider.MeshProvider;
import app.flagger.model.provider.Provider;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What one tick works on: the Canary as read at its start, its provider (resolved once), target
 * controller and routers, and when the tick began. Steps read it; only {@link Transitions} replaces
 * the Canary (with the one a status write stored), and only the read-routes step sets the routes.
 */
public final class Tick {
  private Canary canary;
  private final Provider provider;
  private final TargetController target;
  private final KubernetesRouter kubeRouter;
  private final MeshRouter meshRouter;
  private final Instant begin;
  private Routes routes;
  private final Set<Decision.Gate> approvalsUsed = EnumSet.noneOf(Decision.Gate.class);
  private List<AnalysisDecision.CheckResult> checks;
  private StatusWriter writer;
  private TickRecords.Ridden ridden;

  public Tick(
      Canary canary,
      Provider provider,
      TargetController target,
      KubernetesRouter kubeRouter,
      MeshRouter meshRouter,
      Instant begin) {
    this.canary = canary;
    this.provider = provider;
    this.target = target;
    this.kubeRouter = kubeRouter;
    this.meshRouter = meshRouter;
    this.begin = begin;
  }

  public Canary canary() {
    return canary;
  }

  public Provider provider() {
    return provider;
  }

  public TargetController target() {
    return target;
  }

  public KubernetesRouter kubeRouter() {
    return kubeRouter;
  }

  public MeshRouter meshRouter() {
    return meshRouter;
  }

  public Instant begin() {
    return begin;
  }

  /** The split the mesh router reported this tick; null before the read-routes step. */
  public Routes routes() {
    return routes;
  }

  void routes(Routes read) {
    this.routes = read;
  }

  /** The metric checks the analysis step ran this tick; null when it ran none. */
  public List<AnalysisDecision.CheckResult> checks() {
    return checks;
  }

  void checks(List<AnalysisDecision.CheckResult> ran) {
    this.checks = ran;
  }

  /** Replaces the Canary with the one a status write stored ({@link Transitions} only). */
  void stored(Canary written) {
    this.canary = written;
  }

  /**
   * The status writer of this tick's transition: {@code fallback}, or the one {@link TickRecords}
   * gave so that the first write carries the decision log's entry.
   */
  StatusWriter writer(StatusWriter fallback) {
    return writer == null ? fallback : writer;
  }

  void writer(StatusWriter riding, TickRecords.Ridden ridden) {
    this.writer = riding;
    this.ridden = ridden;
  }

  /** The decision log entry given to {@link #writer}, or null. */
  TickRecords.Ridden ridden() {
    return ridden;
  }

  /** {@code status.control}, {@link ControlStatus#EMPTY} when absent. */
  public ControlStatus control() {
    return status() == null || status().control() == null
        ? ControlStatus.EMPTY
        : status().control();
  }

  /** The gates an {@code approve} command opened this tick (spent once a step is taken). */
  Set<Decision.Gate> approvalsUsed() {
    return approvalsUsed;
  }

  public CanaryPhase phase() {
    return status() == null ? CanaryPhase.NONE : status().phaseOrNone();
  }

  /** Phase empty or Initializing. */
  public boolean initializing() {
    return phase() == CanaryPhase.NONE || phase() == CanaryPhase.INITIALIZING;
  }

  public boolean skipAnalysis() {
    return canary.getSpec().skipsAnalysis();
  }

  public boolean kubernetesProvider() {
    return provider.is(MeshProvider.KUBERNETES);
  }

  public CanaryAnalysis analysis() {
    return canary.getSpec().analysisOrEmpty();
  }

  public String ns() {
    return canary.getMetadata().getNamespace();
  }

  /** {@code <name>.<ns>}. */
  public String key() {
    return canary.key();
  }

  /** The target workload's name. */
  public String targetName() {
    return canary.getSpec().targetRef().name();
  }

  /** {@code <target>.<ns>}. */
  public String targetKey() {
    return targetName() + "." + ns();
  }

  public String targetKind() {
    return canary.getSpec().targetRef().kind();
  }

  public int failedChecks() {
    return status() == null ? 0 : status().failedChecksOrZero();
  }

  public int canaryWeight() {
    return status() == null ? 0 : status().canaryWeightOrZero();
  }

  public int iterations() {
    return status() == null ? 0 : status().iterationsOrZero();
  }

  private CanaryStatus status() {
    return canary.getStatus();
  }
}
