package app.flagger.cli;

import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code status --watch}: informers on the Canary and on the events of its namespace; every change
 * redraws the {@link StatusView} in place (cursor home, clear screen), and so does a timer every
 * {@link #REFRESH} so the ages move on; a frame the same as the last one is not drawn again. Ends
 * when the Canary is deleted.
 */
final class StatusWatch {
  /** ANSI: cursor to the top left corner, then clear the screen. */
  static final String CLEAR = "\u001b[H\u001b[2J";

  /** How often the ages are brought up to date without a change. */
  static final Duration REFRESH = Duration.ofSeconds(5);

  private final KubeOptions.Kube kube;
  private final String name;
  private final PrintWriter out;
  private final Clock clock;
  private final CountDownLatch deleted = new CountDownLatch(1);
  private volatile SharedIndexInformer<Canary> canaries;
  private volatile SharedIndexInformer<Event> events;
  private String lastFrame;

  StatusWatch(KubeOptions.Kube kube, String name, PrintWriter out, Clock clock) {
    this.kube = kube;
    this.name = name;
    this.out = out;
    this.clock = clock;
  }

  /** Draws until the Canary is deleted; {@link Refused} when it does not exist. */
  int run() throws InterruptedException {
    String ns = kube.namespace();
    Canaries.get(kube, name);
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "status-refresh");
              t.setDaemon(true);
              return t;
            });
    try {
      events =
          kube.client()
              .v1()
              .events()
              .inNamespace(ns)
              .inform(
                  new Handler<>() {
                    @Override
                    void changed(Event e) {
                      if (Canaries.about(e, ns, name)) {
                        redraw();
                      }
                    }
                  });
      canaries =
          kube.client()
              .resources(Canary.class)
              .inNamespace(ns)
              .withName(name)
              .inform(
                  new Handler<>() {
                    @Override
                    void changed(Canary c) {
                      redraw();
                    }

                    @Override
                    public void onDelete(Canary c, boolean unknownState) {
                      deleted.countDown();
                    }
                  });
      if (canaries.getStore().list().isEmpty()) {
        throw Canaries.notFound(kube, name);
      }
      redraw();
      timer.scheduleWithFixedDelay(
          this::redraw, REFRESH.toMillis(), REFRESH.toMillis(), TimeUnit.MILLISECONDS);
      deleted.await();
      synchronized (this) {
        out.println();
        out.println("canary " + name + "." + ns + " was deleted");
        out.flush();
      }
      return Cli.DONE;
    } finally {
      timer.shutdownNow();
      if (canaries != null) {
        canaries.close();
      }
      if (events != null) {
        events.close();
      }
    }
  }

  private synchronized void redraw() {
    if (canaries == null || events == null) {
      return;
    }
    List<Canary> current = canaries.getStore().list();
    if (current.isEmpty()) {
      return;
    }
    List<Event> about =
        events.getStore().list().stream()
            .filter(e -> Canaries.about(e, kube.namespace(), name))
            .toList();
    String frame = StatusView.render(current.get(0), about, clock.instant());
    if (frame.equals(lastFrame)) {
      return;
    }
    lastFrame = frame;
    out.print(CLEAR);
    out.print(frame);
    out.flush();
  }

  /** Calls {@link #changed} on an add or an update. */
  private abstract static class Handler<T> implements ResourceEventHandler<T> {
    abstract void changed(T obj);

    @Override
    public void onAdd(T obj) {
      changed(obj);
    }

    @Override
    public void onUpdate(T oldObj, T newObj) {
      changed(newObj);
    }

    @Override
    public void onDelete(T obj, boolean deletedFinalStateUnknown) {
      changed(obj);
    }
  }
}
