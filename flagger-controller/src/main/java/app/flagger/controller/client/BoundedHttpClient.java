package app.flagger.controller.client;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * The fabric8 HTTP client with at most {@code limit} requests in flight.
 *
 * <p>The JDK HTTP client sends every request over one HTTP/2 connection and fails a request at once
 * with "too many concurrent streams" when the server's stream limit is reached (JDK-8225647)
 * instead of waiting, as Go's client does for Flagger. A burst of the rate limiter (250 by default)
 * can exceed that limit (100 for many servers, 250 for Go's), so requests beyond {@code limit} wait
 * here for one in flight to complete. The wait happens on the calling thread, like the rate
 * limiter's. WebSockets (watches) are long-lived and are not counted.
 */
public final class BoundedHttpClient implements HttpClient {
  private final HttpClient delegate;
  private final Semaphore slots;
  private final int limit;

  public BoundedHttpClient(HttpClient delegate, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("requests in flight must be at least 1: " + limit);
    }
    this.delegate = delegate;
    this.slots = new Semaphore(limit, true);
    this.limit = limit;
  }

  /** Requests sent and not yet answered. */
  public int inFlight() {
    return limit - slots.availablePermits();
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, Class<T> type) {
    return bounded(() -> delegate.sendAsync(request, type));
  }

  @Override
  public CompletableFuture<HttpResponse<AsyncBody>> consumeBytes(
      HttpRequest request, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
    return bounded(() -> delegate.consumeBytes(request, consumer));
  }

  private <T> CompletableFuture<T> bounded(Supplier<CompletableFuture<T>> send) {
    try {
      slots.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CompletableFuture.failedFuture(e);
    }
    CompletableFuture<T> sent;
    try {
      sent = send.get();
    } catch (RuntimeException | Error e) {
      slots.release();
      throw e;
    }
    // any completion frees the slot: an answer, a failure, a cancellation
    sent.whenComplete((r, t) -> slots.release());
    return sent;
  }

  @Override
  public DerivedClientBuilder newBuilder() {
    return delegate.newBuilder();
  }

  @Override
  public WebSocket.Builder newWebSocketBuilder() {
    return delegate.newWebSocketBuilder();
  }

  @Override
  public HttpRequest.Builder newHttpRequestBuilder() {
    return delegate.newHttpRequestBuilder();
  }

  @Override
  public boolean isClosed() {
    return delegate.isClosed();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
