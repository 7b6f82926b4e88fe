package app.flagger.sandbox;

import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Prints what happens to Canaries in the sandbox as it happens: a line per status change (phase,
 * weight, failed checks) and per Kubernetes event recorded on a Canary.
 */
public final class CanaryWatcher implements AutoCloseable {
  private final KubernetesClient client;
  private final PrintStream out;
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();

  public CanaryWatcher(KubernetesClient client, PrintStream out) {
    this.client = client;
    this.out = out;
  }

  public CanaryWatcher start() {
    informers.add(
        client.resources(Canary.class).inAnyNamespace().inform(handler(this::printCanary), 0));
    informers.add(client.v1().events().inAnyNamespace().inform(handler(this::printEvent), 0));
    return this;
  }

  /** A one-line summary of a Canary's status. */
  static String describe(Canary c) {
    CanaryStatus s = c.getStatus();
    if (s == null) {
      return "canary " + c.key() + ": no status yet";
    }
    return "canary %s: phase=%s weight=%d failedChecks=%d iterations=%d"
        .formatted(
            c.key(),
            s.phaseOrNone().value().isEmpty() ? "-" : s.phaseOrNone().value(),
            s.canaryWeightOrZero(),
            s.failedChecksOrZero(),
            s.iterationsOrZero());
  }

  private void printCanary(Canary c) {
    out.println(describe(c));
  }

  private void printEvent(Event e) {
    if (!"Canary".equals(e.getInvolvedObject().getKind())) {
      return;
    }
    out.printf(
        "event %s %s.%s: %s%n",
        e.getType(),
        e.getInvolvedObject().getName(),
        e.getInvolvedObject().getNamespace(),
        e.getMessage());
  }

  private static <T> ResourceEventHandler<T> handler(Consumer<T> onChange) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        onChange.accept(obj);
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        onChange.accept(newObj);
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {}
    };
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
  }
}
