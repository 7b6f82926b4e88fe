package app.flagger.cli;

import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectReference;
import java.util.List;

/** Reads Canaries and their events. */
final class Canaries {
  private Canaries() {}

  /** The Canary {@code name}, or {@link Refused} with kubectl's not-found message. */
  static Canary get(KubeOptions.Kube kube, String name) {
    Canary c =
        kube.client().resources(Canary.class).inNamespace(kube.namespace()).withName(name).get();
    if (c == null) {
      throw notFound(kube, name);
    }
    return c;
  }

  static Refused notFound(KubeOptions.Kube kube, String name) {
    return new Refused(
        "Error from server (NotFound): canaries.flagger.app \""
            + name
            + "\" not found in namespace "
            + kube.namespace());
  }

  /** The core/v1 Events about the Canary {@code name}, in no particular order. */
  static List<Event> events(KubeOptions.Kube kube, String name) {
    return kube.client().v1().events().inNamespace(kube.namespace()).list().getItems().stream()
        .filter(e -> about(e, kube.namespace(), name))
        .toList();
  }

  /** True when {@code e}'s involved object is the Canary {@code namespace/name}. */
  static boolean about(Event e, String namespace, String name) {
    ObjectReference o = e.getInvolvedObject();
    return o != null
        && "Canary".equals(o.getKind())
        && name.equals(o.getName())
        && (o.getNamespace() == null || namespace.equals(o.getNamespace()));
  }
}
