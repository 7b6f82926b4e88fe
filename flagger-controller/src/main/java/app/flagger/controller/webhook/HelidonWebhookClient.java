package app.flagger.controller.webhook;

import app.flagger.controller.client.HostPermits;
import app.flagger.model.common.GoDuration;
import app.flagger.model.http.BoundedBody;
import io.helidon.common.tls.Tls;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.api.HttpClientRequest;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@link WebhookClient} on Helidon's WebClient with go-retryablehttp's policy: retry on transport
 * errors, 429 and 5xx except 501; give up with {@code POST <url> giving up after <n> attempt(s):
 * ...}. A final status above 202 that is not retried fails with the response body, as in Flagger,
 * read up to the response limit. Each attempt has one deadline, the hook's timeout, for connecting,
 * sending and reading (Go's {@code http.Client.Timeout}): a receiver that trickles its answer fails
 * at the deadline. Only an attempt that timed out before the status line arrived is retried. At
 * most {@link #IN_FLIGHT} calls to one origin are in flight at once.
 */
public final class HelidonWebhookClient implements WebhookClient {
  /**
   * The most webhook calls in flight to one origin (a load tester, a gate), across every Canary;
   * the others wait within their own deadline.
   */
  static final int IN_FLIGHT = 64;

  private static final HostPermits PERMITS = new HostPermits(IN_FLIGHT);

  private final WebClient client;
  private final WebClient insecureClient;
  private final Backoff backoff;
  private final WebhookAuth auth;
  private final long responseLimit;

  public HelidonWebhookClient(Backoff backoff) {
    this(backoff, WebhookAuth.NONE);
  }

  public HelidonWebhookClient(Backoff backoff, WebhookAuth auth) {
    this(backoff, auth, BoundedBody.DEFAULT_LIMIT);
  }

  /**
   * A client that sends {@code auth}'s bearer token to the URLs it lists, and to no other. Requests
   * that carry the token do not follow redirects, so the token cannot be forwarded elsewhere.
   *
   * @param responseLimit the most bytes of an error body read ({@code flagger.http-response-limit})
   */
  public HelidonWebhookClient(Backoff backoff, WebhookAuth auth, long responseLimit) {
    this.backoff = backoff;
    this.auth = auth;
    this.responseLimit = responseLimit;
    this.client =
        WebClient.builder().connectTimeout(Duration.ofSeconds(5)).followRedirects(true).build();
    this.insecureClient =
        WebClient.builder()
            .connectTimeout(Duration.ofSeconds(5))
            .tls(
                Tls.builder()
                    .trustAll(true)
                    .endpointIdentificationAlgorithm(Tls.ENDPOINT_IDENTIFICATION_NONE)
                    .build())
            .build();
  }

  /** How one attempt ended: passed, failed for good, or failed in a way worth another attempt. */
  private sealed interface Outcome {}

  private record Passed() implements Outcome {}

  private record Failed(String error) implements Outcome {}

  private record Retry(String error) implements Outcome {}

  @Override
  public Optional<String> post(
      String url, String json, Duration timeout, int retries, boolean insecure) {
    WebClient c = insecure ? insecureClient : client;
    Optional<String> token;
    try {
      token = auth.tokenFor(url);
    } catch (IllegalStateException e) {
      return Optional.of("POST " + url + ": " + e.getMessage());
    }
    String lastError = "";
    int attempts = retries + 1;
    for (int attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) {
        backoff.pause(Backoff.forAttempt(attempt - 1));
      }
      switch (withDeadline(c, url, json, timeout, token)) {
        case Passed p -> {
          return Optional.empty();
        }
        case Failed f -> {
          return Optional.of(f.error());
        }
        case Retry r -> lastError = r.error();
      }
    }
    return Optional.of(
        "POST " + url + " giving up after " + attempts + " attempt(s): " + lastError);
  }

  /**
   * Runs one attempt on a virtual thread and waits at most {@code timeout} for it. At the deadline
   * the thread is interrupted, which closes its socket, so the attempt ends there too.
   */
  private Outcome withDeadline(
      WebClient c, String url, String json, Duration timeout, Optional<String> token) {
    AtomicBoolean answered = new AtomicBoolean();
    FutureTask<Outcome> task =
        new FutureTask<>(() -> attempt(c, url, json, timeout, token, answered));
    Thread.ofVirtual().name("webhook-call").start(task);
    try {
      return task.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      if (!task.cancel(true)) {
        return outcome(task); // finished just now
      }
      String text = "deadline of " + GoDuration.format(timeout) + " exceeded";
      return answered.get()
          ? new Failed("error reading body: " + text)
          : new Retry(text + " while awaiting the response");
    } catch (InterruptedException e) {
      task.cancel(true);
      Thread.currentThread().interrupt();
      return new Failed("POST " + url + ": interrupted");
    } catch (ExecutionException e) {
      return new Retry(message(e.getCause()));
    }
  }

  private static Outcome outcome(FutureTask<Outcome> done) {
    try {
      return done.get();
    } catch (InterruptedException | ExecutionException e) {
      return new Retry(message(e));
    }
  }

  private Outcome attempt(
      WebClient c,
      String url,
      String json,
      Duration timeout,
      Optional<String> token,
      AtomicBoolean answered) {
    HostPermits.Permit permit;
    String origin = origin(url);
    try {
      permit = PERMITS.acquire(origin, timeout);
    } catch (InterruptedException e) {
      return new Retry("interrupted while waiting to send to " + origin);
    }
    if (permit == null) {
      return new Retry(IN_FLIGHT + " requests to " + origin + " still in flight");
    }
    try (permit;
        HttpClientResponse res = send(c, url, json, timeout, token)) {
      answered.set(true);
      int code = res.status().code();
      if (code <= 202) {
        return new Passed();
      }
      if (retryable(code)) {
        // the body is not surfaced (go-retryablehttp); closing unread drops the connection
        return new Retry("unexpected HTTP status " + status(code));
      }
      return new Failed(errorBody(res, url));
    } catch (RuntimeException e) {
      return new Retry(message(e));
    }
  }

  /** {@code scheme://host:port} of {@code url}; the URL itself when it does not parse. */
  private static String origin(String url) {
    try {
      return BoundedBody.origin(URI.create(url));
    } catch (IllegalArgumentException e) {
      return url;
    }
  }

  /** The body of a refusal as the error text, or the status when it is empty or too long. */
  private String errorBody(HttpClientResponse res, String url) {
    String body;
    try {
      body = BoundedBody.read(res.inputStream(), res.headers().contentLength(), responseLimit, url);
    } catch (BoundedBody.TooLargeException e) {
      return status(res.status().code()) + ": " + e.getMessage();
    } catch (RuntimeException e) {
      return "error reading body: " + message(e);
    }
    return body.isEmpty() ? res.status().toString() : body.strip();
  }

  private static HttpClientResponse send(
      WebClient c, String url, String json, Duration timeout, Optional<String> token) {
    HttpClientRequest req =
        c.post(url).readTimeout(timeout).header(HeaderNames.CONTENT_TYPE, "application/json");
    if (token.isPresent()) {
      req.header(HeaderNames.AUTHORIZATION, "Bearer " + token.get()).followRedirects(false);
    }
    return req.submit(json);
  }

  private static String status(int code) {
    return code + " " + Status.create(code).reasonPhrase();
  }

  private static String message(Throwable e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  static boolean retryable(int code) {
    return code == 429 || code == 0 || (code >= 500 && code != 501);
  }
}
