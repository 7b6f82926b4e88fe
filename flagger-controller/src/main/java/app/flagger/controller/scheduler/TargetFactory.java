package app.flagger.controller.scheduler;

import app.flagger.controller.canary.TargetController;
import app.flagger.controller.canary.TargetException;
import app.flagger.controller.router.KubernetesRouter;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.ServiceTargets;
import app.flagger.model.canary.TargetKind;
import java.util.EnumMap;
import java.util.Map;

/**
 * Picks the target controller and Kubernetes router for a Canary's {@code targetRef.kind}; a
 * Knative Service ({@code serving.knative.dev/v1} {@code Service}) gets the Knative ones, as
 * Flagger's factory checks {@code IsKnativeService} first.
 */
public final class TargetFactory {
  private final Map<TargetKind, TargetController> controllers = new EnumMap<>(TargetKind.class);
  private final Map<TargetKind, KubernetesRouter> routers = new EnumMap<>(TargetKind.class);
  private TargetController knativeController;
  private KubernetesRouter knativeRouter;

  public TargetFactory register(
      TargetKind kind, TargetController controller, KubernetesRouter router) {
    controllers.put(kind, controller);
    routers.put(kind, router);
    return this;
  }

  /** The controller and Kubernetes router of Knative Service targets. */
  public TargetFactory registerKnative(TargetController controller, KubernetesRouter router) {
    knativeController = controller;
    knativeRouter = router;
    return this;
  }

  public TargetController controller(Canary canary) {
    if (knative(canary)) {
      return knativeController;
    }
    TargetKind kind = kind(canary);
    TargetController c = controllers.get(kind);
    if (c == null) {
      throw new TargetException("controller for " + kind.value() + " kind is not supported yet");
    }
    return c;
  }

  public KubernetesRouter kubernetesRouter(Canary canary) {
    return knative(canary) ? knativeRouter : routers.get(kind(canary));
  }

  private boolean knative(Canary canary) {
    return knativeController != null && ServiceTargets.isKnative(canary.getSpec().targetRef());
  }

  private static TargetKind kind(Canary canary) {
    String kind = canary.getSpec().targetRef().kind();
    return TargetKind.parse(kind)
        .orElseThrow(() -> new TargetException("controller for " + kind + " kind not found"));
  }
}
