package app.flagger.controller.events;

import app.flagger.controller.webhook.HookRunner;
import app.flagger.controller.webhook.WebhookClient;
import app.flagger.model.canary.CanaryWebhook;
import app.flagger.model.canary.WebhookType;
import app.flagger.model.webhook.CanaryWebhookPayload;
import java.io.Closeable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Posts every event to the Canary's {@code type: event} hooks, or to the global event webhook when
 * it has none. Unlike Flagger, posts are queued (bounded; when full the event is dropped and
 * logged) and sent by background workers with the hook's timeout, so a slow receiver never delays a
 * tick. Each Canary's events go through one worker, so a receiver gets them in the order they
 * happened, as Flagger's synchronous posts arrive.
 */
public final class EventWebhookSink implements EventSink, Closeable {
  private static final Logger LOG = Logger.getLogger(EventWebhookSink.class.getName());
  private static final int WORKERS = 4;

  /** Posts that may wait to be sent. */
  public static final int DEFAULT_CAPACITY = 1000;

  private record Post(String url, String json, Duration timeout) {}

  private final String globalUrl;
  private final WebhookClient client;
  private final List<BlockingQueue<Post>> queues = new ArrayList<>();
  private final ExecutorService workers;
  private final Runnable onDrop;

  /**
   * @param capacity posts that may wait to be sent
   * @param onDrop called once per post dropped because the queue was full
   */
  public EventWebhookSink(String globalUrl, WebhookClient client, int capacity, Runnable onDrop) {
    this.globalUrl = globalUrl == null ? "" : globalUrl;
    this.client = client;
    this.onDrop = onDrop;
    this.workers =
        Executors.newFixedThreadPool(
            WORKERS, Thread.ofVirtual().name("event-webhook-", 0).factory());
    int perWorker = Math.max(1, capacity / WORKERS);
    for (int i = 0; i < WORKERS; i++) {
      BlockingQueue<Post> queue = new ArrayBlockingQueue<>(perWorker);
      queues.add(queue);
      workers.execute(() -> drain(queue));
    }
  }

  /** Posts waiting to be sent. */
  public int depth() {
    return queues.stream().mapToInt(BlockingQueue::size).sum();
  }

  @Override
  public void record(CanaryEvent event) {
    List<CanaryWebhook> hooks = HookRunner.hooks(event.canary(), WebhookType.EVENT);
    if (hooks.isEmpty() && !globalUrl.isEmpty()) {
      hooks = List.of(new CanaryWebhook("events", "event", globalUrl, null, null, 0, null, null));
    }
    for (CanaryWebhook hook : hooks) {
      Map<String, String> metadata = new LinkedHashMap<>(hook.metadataOrEmpty());
      metadata.put(CanaryWebhookPayload.EVENT_MESSAGE, event.message());
      metadata.put(CanaryWebhookPayload.EVENT_TYPE, event.type().value());
      metadata.put(CanaryWebhookPayload.TIMESTAMP, Long.toString(event.time().toEpochMilli()));
      String json = HookRunner.payload(event.canary(), event.phase(), metadata).toJson();
      BlockingQueue<Post> queue =
          queues.get(Math.floorMod(event.canary().key().hashCode(), WORKERS));
      if (!queue.offer(new Post(hook.url(), json, hook.timeoutOrDefault()))) {
        onDrop.run();
        LOG.severe(
            "error sending event to webhook: queue full, dropping event for "
                + event.canary().key());
      }
    }
  }

  private void drain(BlockingQueue<Post> queue) {
    while (!Thread.currentThread().isInterrupted()) {
      Post p;
      try {
        p = queue.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      try {
        client
            .post(p.url(), p.json(), p.timeout(), 0, false)
            .ifPresent(err -> LOG.severe("error sending event to webhook: " + err));
      } catch (RuntimeException e) {
        LOG.severe("error sending event to webhook: " + e.getMessage());
      }
    }
  }

  @Override
  public void close() {
    workers.shutdownNow();
    try {
      workers.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
