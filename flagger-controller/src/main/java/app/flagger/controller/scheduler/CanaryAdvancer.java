package app.flagger.controller.scheduler;

import app.flagger.controller.canary.TargetController;
import app.flagger.controller.canary.TargetException;
import app.flagger.controller.events.CanaryEvents;
import app.flagger.controller.kube.KubeErrors;
import app.flagger.controller.router.RouterException;
import app.flagger.controller.router.RouterFactory;
import app.flagger.controller.tick.CanaryTick;
import app.flagger.controller.tick.Tick;
import app.flagger.model.canary.Canary;
import app.flagger.model.logging.JsonLogFormatter;
import app.flagger.model.provider.Provider;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs one tick of a Canary, a plain synchronous method tests call directly: re-reads the Canary,
 * lets a deleted or invalid one go, resolves its provider (once: {@code spec.provider}, else the
 * controller's {@code mesh-provider}), target controller and routers, then runs the {@link
 * CanaryTick} steps.
 */
public final class CanaryAdvancer {
  private static final Logger LOG = Logger.getLogger(CanaryAdvancer.class.getName());

  private final CanaryReader reader;
  private final ValidationGate validation;
  private final TargetFactory targets;
  private final RouterFactory routers;
  private final String defaultProvider;
  private final CanaryTick tick;
  private final CanaryEvents events;
  private final Clock clock;

  public CanaryAdvancer(
      CanaryReader reader,
      ValidationGate validation,
      TargetFactory targets,
      RouterFactory routers,
      String defaultProvider,
      CanaryTick tick,
      CanaryEvents events,
      Clock clock) {
    this.reader = reader;
    this.validation = validation;
    this.targets = targets;
    this.routers = routers;
    this.defaultProvider = defaultProvider;
    this.tick = tick;
    this.events = events;
    this.clock = clock;
  }

  /** Runs one tick of the Canary {@code name} in {@code namespace}. */
  public void advance(String name, String namespace) {
    Instant begin = clock.instant();
    Canary canary = reader.get(name, namespace);
    if (canary == null) {
      LOG.log(
          Level.SEVERE,
          "Canary " + name + "." + namespace + " not found",
          new JsonLogFormatter.CanaryField(name + "." + namespace));
      return;
    }
    if (canary.getMetadata().getDeletionTimestamp() != null || !validation.check(canary)) {
      return;
    }
    Tick t;
    try {
      t = resolve(canary, begin);
    } catch (TargetException | RouterException e) {
      events.warn(canary, e.getMessage());
      return;
    } catch (KubernetesClientException e) {
      events.warn(canary, KubeErrors.message(e));
      return;
    }
    tick.run(t);
  }

  private Tick resolve(Canary canary, Instant begin) {
    Provider provider = Provider.resolve(canary.getSpec().provider(), defaultProvider);
    TargetController target = targets.controller(canary);
    return new Tick(
        canary,
        provider,
        target,
        targets.kubernetesRouter(canary),
        routers.meshRouter(provider),
        begin);
  }
}
