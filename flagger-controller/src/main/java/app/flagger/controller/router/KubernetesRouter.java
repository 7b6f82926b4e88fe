package app.flagger.controller.router;

import app.flagger.model.canary.Canary;

/**
 * Manages the ClusterIP services {@code <apex>}, {@code <apex>-primary} and {@code <apex>-canary}
 * (Flagger's {@code KubernetesRouter}). Failures are {@link RouterException}s.
 */
public interface KubernetesRouter {
  /** Creates or updates {@code <apex>-canary} and {@code <apex>-primary}. */
  void initialize(Canary canary);

  /** Creates or updates the apex service, pointing at the primary pods. */
  void reconcile(Canary canary);

  /** Points the apex service back at the target's pods when the Canary is deleted. */
  void finalize(Canary canary);

  /**
   * Creates or updates {@code <apex>-baseline}, selecting the same-age baseline's pods ({@code
   * analysis.baseline}).
   */
  default void initializeBaseline(Canary canary) {}

  /** Deletes {@code <apex>-baseline} when present. */
  default void deleteBaseline(Canary canary) {}
}
