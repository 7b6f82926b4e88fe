package app.flagger.controller.router.knative;

import app.flagger.controller.kube.KnativeServices;
import app.flagger.controller.router.MeshRouter;
import app.flagger.controller.router.RouterException;
import app.flagger.controller.router.Routes;
import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The {@code knative} router (Flagger's {@code KnativeRouter}): traffic is split on the target
 * Knative Service itself, between its latest revision (the canary) and the revision named by its
 * {@code flagger.app/primary-revision} annotation (the primary). It creates no object.
 */
public final class KnativeRouter implements MeshRouter {

  private final KnativeServices services;

  public KnativeRouter(KnativeServices services) {
    this.services = services;
  }

  /** Sets the primary revision annotation to the latest created revision when it is missing. */
  @Override
  public void reconcile(Canary canary) {
    update(
        canary,
        svc -> {
          if (KnativeServices.primaryRevision(svc) != null) {
            return false;
          }
          KnativeServices.primaryRevision(svc, KnativeServices.latestCreatedRevision(svc));
          return true;
        });
  }

  /** Writes {@code spec.traffic}: canary percent to the latest revision, primary to its own. */
  @Override
  public void setRoutes(Canary canary, Routes routes) {
    update(
        canary,
        svc -> {
          String primary = KnativeServices.primaryRevision(svc);
          if (primary == null) {
            throw new RouterException(key(canary) + " annotation not found");
          }
          KnativeServices.specTraffic(
              svc, KnativeServices.traffic(primary, routes.primaryWeight(), routes.canaryWeight()));
          return true;
        });
  }

  /** The split Knative reports in {@code status.traffic}; never mirrored. */
  @Override
  public Routes getRoutes(Canary canary) {
    GenericKubernetesResource svc = service(canary);
    String primary = KnativeServices.primaryRevision(svc);
    if (primary == null) {
      throw new RouterException(key(canary) + " annotation not found");
    }
    return KnativeRoutes.read(KnativeServices.statusTraffic(svc), primary, key(canary));
  }

  /** Removes the primary revision annotation; {@code spec.traffic} stays as last set. */
  @Override
  public void finalize(Canary canary) {
    update(
        canary,
        svc -> {
          if (KnativeServices.primaryRevision(svc) == null) {
            return false;
          }
          Map<String, String> a = new LinkedHashMap<>(svc.getMetadata().getAnnotations());
          a.remove(KnativeServices.PRIMARY_REVISION);
          svc.getMetadata().setAnnotations(a);
          return true;
        });
  }

  private GenericKubernetesResource service(Canary canary) {
    return services.require(canary, RouterException::new);
  }

  private void update(Canary canary, Predicate<GenericKubernetesResource> change) {
    services.update(canary, change, RouterException::new);
  }

  private static String key(Canary canary) {
    return KnativeServices.key(canary);
  }
}
