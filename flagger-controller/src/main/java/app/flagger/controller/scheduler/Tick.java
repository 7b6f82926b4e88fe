package app.flagger.controller.scheduler;

import app.flagger.controller.canary.TargetController;
import app.flagger.controller.router.KubernetesRouter;
import app.flagger.controller.router.MeshRouter;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryAnalysis;
import app.flagger.model.canary.CanaryPhase;
import java.time.Instant;

/**
 * What one tick works on: the Canary (replaced after each status write), its provider, target
 * controller and routers, and when the tick began.
 */
final class Tick {
  Canary canary;
  final String provider;
  final Instant begin;
  TargetController target;
  KubernetesRouter kubeRouter;
  MeshRouter meshRouter;

  Tick(Canary canary, String provider, Instant begin) {
    this.canary = canary;
    this.provider = provider;
    this.begin = begin;
  }

  CanaryPhase phase() {
    return canary.getStatus() == null ? CanaryPhase.NONE : canary.getStatus().phaseOrNone();
  }

  boolean initializing() {
    return phase() == CanaryPhase.NONE || phase() == CanaryPhase.INITIALIZING;
  }

  boolean skipAnalysis() {
    return canary.getSpec().skipsAnalysis();
  }

  boolean kubernetesProvider() {
    return "kubernetes".equals(provider);
  }

  CanaryAnalysis analysis() {
    return canary.getSpec().analysisOrEmpty();
  }

  String name() {
    return canary.getMetadata().getName();
  }

  String ns() {
    return canary.getMetadata().getNamespace();
  }

  /** {@code <name>.<ns>}. */
  String key() {
    return canary.key();
  }

  /** {@code <target>.<ns>}. */
  String targetKey() {
    return canary.getSpec().targetRef().name() + "." + ns();
  }

  String targetName() {
    return canary.getSpec().targetRef().name();
  }

  int failedChecks() {
    return canary.getStatus() == null ? 0 : canary.getStatus().failedChecksOrZero();
  }

  int canaryWeight() {
    return canary.getStatus() == null ? 0 : canary.getStatus().canaryWeightOrZero();
  }

  int iterations() {
    return canary.getStatus() == null ? 0 : canary.getStatus().iterationsOrZero();
  }
}
