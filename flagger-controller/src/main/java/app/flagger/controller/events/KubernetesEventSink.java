package app.flagger.controller.events;

import app.flagger.model.FlaggerGroup;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.Closeable;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Records each event as a core/v1 Event on the Canary, reason {@code Synced}.
 *
 * <p>As client-go's event recorder does for Flagger, {@link #record} only queues the Event; one
 * background worker creates them in order. A tick therefore never waits for the API server (or the
 * client's rate limiter) to store an Event, and a thousand Canaries initializing at once do not
 * park a thousand ticks. The queue is bounded (client-go keeps 1,000): when it is full the event is
 * dropped, logged and counted. {@link #close} creates what is still queued, within a grace period.
 */
public final class KubernetesEventSink implements EventSink, Closeable {
  private static final Logger LOG = Logger.getLogger(KubernetesEventSink.class.getName());

  /** The queue length client-go's event broadcaster uses. */
  public static final int DEFAULT_CAPACITY = 1000;

  private static final Event STOP = new Event();

  private final KubernetesClient client;
  private final BlockingQueue<Event> queue;
  private final Runnable onDrop;
  private final Thread worker;

  /**
   * @param capacity events that may wait to be created
   * @param onDrop called once per event dropped because the queue was full
   */
  public KubernetesEventSink(KubernetesClient client, int capacity, Runnable onDrop) {
    if (capacity < 1) {
      throw new IllegalArgumentException("event queue capacity must be at least 1: " + capacity);
    }
    this.client = client;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.onDrop = onDrop;
    this.worker = Thread.ofVirtual().name("kube-events").start(this::drain);
  }

  /** Events waiting to be created. */
  public int depth() {
    return queue.size();
  }

  @Override
  public void record(CanaryEvent e) {
    Event event = toEvent(e);
    if (!queue.offer(event)) {
      onDrop.run();
      LOG.warning(
          "dropping event on canary "
              + e.canary().key()
              + ": "
              + queue.size()
              + " events already wait to be created: "
              + e.message());
    }
  }

  static Event toEvent(CanaryEvent e) {
    var meta = e.canary().getMetadata();
    String ts = e.time().toString();
    return new EventBuilder()
        .withNewMetadata()
        .withName(
            meta.getName()
                + "."
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()))
        .withNamespace(meta.getNamespace())
        .endMetadata()
        .withNewInvolvedObject()
        .withApiVersion(FlaggerGroup.API_VERSION)
        .withKind("Canary")
        .withName(meta.getName())
        .withNamespace(meta.getNamespace())
        .withUid(meta.getUid())
        .withResourceVersion(meta.getResourceVersion())
        .endInvolvedObject()
        .withReason(FlaggerGroup.EVENT_REASON)
        .withMessage(e.message())
        .withType(e.type().value())
        .withNewSource()
        .withComponent(FlaggerGroup.COMPONENT)
        .endSource()
        .withFirstTimestamp(ts)
        .withLastTimestamp(ts)
        .withCount(1)
        .build();
  }

  private void drain() {
    while (true) {
      Event event;
      try {
        event = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      if (event == STOP) {
        return;
      }
      try {
        client
            .v1()
            .events()
            .inNamespace(event.getMetadata().getNamespace())
            .resource(event)
            .create();
      } catch (KubernetesClientException ex) {
        LOG.warning(
            "recording event on canary "
                + event.getInvolvedObject().getNamespace()
                + "/"
                + event.getInvolvedObject().getName()
                + " failed: "
                + ex.getMessage());
      }
    }
  }

  /** Creates the events still queued, waiting at most {@code grace}, then stops the worker. */
  public void close(Duration grace) {
    long nanos = grace.toNanos();
    long deadline = System.nanoTime() + nanos;
    try {
      if (queue.offer(STOP, nanos, TimeUnit.NANOSECONDS)) {
        long left = Math.max(1, deadline - System.nanoTime());
        worker.join(Duration.ofNanos(left));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (worker.isAlive()) {
      LOG.warning(queue.size() + " events were not recorded before shutdown");
      worker.interrupt();
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }
}
