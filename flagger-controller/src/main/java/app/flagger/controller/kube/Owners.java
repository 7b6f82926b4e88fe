package app.flagger.controller.kube;

import app.flagger.model.FlaggerGroup;
import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;

/** The controller owner reference every object Flagger generates carries. */
public final class Owners {
  private Owners() {}

  public static OwnerReference of(Canary canary) {
    return new OwnerReferenceBuilder()
        .withApiVersion(FlaggerGroup.API_VERSION)
        .withKind("Canary")
        .withName(canary.getMetadata().getName())
        .withUid(canary.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  /** Whether {@code o} is controlled by {@code canary}. */
  public static boolean controlledBy(io.fabric8.kubernetes.api.model.HasMetadata o, Canary canary) {
    var refs = o.getMetadata().getOwnerReferences();
    return refs != null
        && refs.stream()
            .anyMatch(
                r ->
                    Boolean.TRUE.equals(r.getController())
                        && "Canary".equals(r.getKind())
                        && canary.getMetadata().getName().equals(r.getName()));
  }
}
