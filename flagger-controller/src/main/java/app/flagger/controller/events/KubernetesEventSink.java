package app.flagger.controller.events;

import app.flagger.model.FlaggerGroup;
import app.flagger.model.json.Jsons;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.Closeable;
import java.net.HttpURLConnection;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Records each event as a core/v1 Event on the Canary, reason {@code Synced}.
 *
 * <p>As client-go's event recorder does for Flagger, {@link #record} only queues the Event; one
 * background worker sends them in order. A tick therefore never waits for the API server (or the
 * client's rate limiter) to store an Event, and a thousand Canaries initializing at once do not
 * park a thousand ticks. The queue is bounded (client-go keeps 1,000): when it is full the event is
 * dropped, logged and counted. {@link #close} sends what is still queued, within a grace period.
 *
 * <p>Before it is queued, an event goes through an {@link EventCorrelator}, as in client-go: an
 * event that repeats one already recorded updates that Event ({@code count}, {@code lastTimestamp},
 * {@code message}) with a JSON merge patch instead of creating another (the Event is created again
 * when the patch finds it gone), many similar events are combined into one, and events over the
 * per-Canary spam budget are dropped and counted. Messages longer than {@value #MAX_MESSAGE_BYTES}
 * bytes are cut, here only: the log and the event webhook get them whole.
 */
public final class KubernetesEventSink implements EventSink, Closeable {
  private static final Logger LOG = Logger.getLogger(KubernetesEventSink.class.getName());

  /** The queue length client-go's event broadcaster uses. */
  public static final int DEFAULT_CAPACITY = 1000;

  /** The longest message an Event gets, in UTF-8 bytes (the API server's limit for a note). */
  public static final int MAX_MESSAGE_BYTES = 1024;

  private static final Event STOP = new Event();

  private final KubernetesClient client;
  private final EventCorrelator correlator;
  private final BlockingQueue<Event> queue;
  private final Runnable onQueueFull;
  private final Runnable onSpamFiltered;
  private final Object enqueue = new Object();
  private final Thread worker;

  /**
   * @param clock the time the spam filter and the aggregation of similar events go by
   * @param capacity events that may wait to be sent
   * @param onQueueFull called once per event dropped because the queue was full
   * @param onSpamFiltered called once per event dropped by the spam filter
   */
  public KubernetesEventSink(
      KubernetesClient client,
      Clock clock,
      int capacity,
      Runnable onQueueFull,
      Runnable onSpamFiltered) {
    if (capacity < 1) {
      throw new IllegalArgumentException("event queue capacity must be at least 1: " + capacity);
    }
    this.client = client;
    this.correlator = new EventCorrelator(clock);
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.onQueueFull = onQueueFull;
    this.onSpamFiltered = onSpamFiltered;
    this.worker = Thread.ofVirtual().name("kube-events").start(this::drain);
  }

  /** Events waiting to be sent. */
  public int depth() {
    return queue.size();
  }

  @Override
  public void record(CanaryEvent e) {
    // correlate and queue under one lock, so the queue holds the counts in the order they grew
    Optional<Event> correlated;
    boolean queued;
    synchronized (enqueue) {
      correlated = correlator.correlate(toEvent(e));
      queued = correlated.isPresent() && queue.offer(correlated.get());
    }
    if (correlated.isEmpty()) {
      onSpamFiltered.run();
      LOG.fine(
          () -> "spam filter dropped event on canary " + e.canary().key() + ": " + e.message());
    } else if (!queued) {
      onQueueFull.run();
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
        .withName(newName(meta.getName()))
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
        .withMessage(truncate(e.message()))
        .withType(e.type().value())
        .withNewSource()
        .withComponent(FlaggerGroup.COMPONENT)
        .endSource()
        .withFirstTimestamp(ts)
        .withLastTimestamp(ts)
        .withCount(1)
        .build();
  }

  /** A new Event name for an event about {@code object}: {@code <object>.<random hex>}. */
  static String newName(String object) {
    return object + "." + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
  }

  /**
   * {@code message} cut to at most {@value #MAX_MESSAGE_BYTES} UTF-8 bytes, never inside a
   * character.
   */
  static String truncate(String message) {
    if (message == null || message.length() * 3 <= MAX_MESSAGE_BYTES) {
      return message;
    }
    CharBuffer in = CharBuffer.wrap(message);
    StandardCharsets.UTF_8
        .newEncoder()
        .onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE)
        .encode(in, ByteBuffer.allocate(MAX_MESSAGE_BYTES), true);
    return in.hasRemaining() ? message.substring(0, in.position()) : message;
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
        send(event);
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

  /**
   * Creates the Event, or, for a repeat ({@code count} above 1), patches {@code count}, {@code
   * lastTimestamp} and {@code message} of the Event recorded before, creating it when it is gone
   * (client-go's {@code recordEvent}; a JSON merge patch where client-go sends a strategic one).
   */
  private void send(Event event) {
    var events = client.v1().events().inNamespace(event.getMetadata().getNamespace());
    if (event.getCount() != null && event.getCount() > 1) {
      String patch =
          Jsons.createObjectBuilder()
              .add("count", event.getCount())
              .add("lastTimestamp", event.getLastTimestamp())
              .add("message", event.getMessage())
              .build()
              .toString();
      try {
        // on resource(event), not withName(name): fabric8 would GET the Event first
        events.resource(event).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
        return;
      } catch (KubernetesClientException ex) {
        if (ex.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
          throw ex;
        }
      }
    }
    event.getMetadata().setResourceVersion(null);
    events.resource(event).create();
  }

  /** Sends the events still queued, waiting at most {@code grace}, then stops the worker. */
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
