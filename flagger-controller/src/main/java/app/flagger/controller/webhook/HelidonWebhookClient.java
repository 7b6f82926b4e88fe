package app.flagger.controller.webhook;

import io.helidon.common.tls.Tls;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.api.HttpClientRequest;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import java.time.Duration;
import java.util.Optional;

/**
 * {@link WebhookClient} on Helidon's WebClient with go-retryablehttp's policy: retry on transport
 * errors, 429 and 5xx except 501; give up with {@code POST <url> giving up after <n> attempt(s):
 * ...}. A final status above 202 that is not retried fails with the response body, as in Flagger.
 */
public final class HelidonWebhookClient implements WebhookClient {
  private final WebClient client;
  private final WebClient insecureClient;
  private final Backoff backoff;
  private final WebhookAuth auth;

  public HelidonWebhookClient(Backoff backoff) {
    this(backoff, WebhookAuth.NONE);
  }

  /**
   * A client that sends {@code auth}'s bearer token to the URLs it lists, and to no other. Requests
   * that carry the token do not follow redirects, so the token cannot be forwarded elsewhere.
   */
  public HelidonWebhookClient(Backoff backoff, WebhookAuth auth) {
    this.backoff = backoff;
    this.auth = auth;
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
      try (HttpClientResponse res = send(c, url, json, timeout, token)) {
        int code = res.status().code();
        if (code <= 202) {
          return Optional.empty();
        }
        if (!retryable(code)) {
          String body = res.entity().as(String.class);
          return Optional.of(
              body == null || body.isEmpty() ? res.status().toString() : body.strip());
        }
        lastError = "unexpected HTTP status " + code + " " + Status.create(code).reasonPhrase();
      } catch (RuntimeException e) {
        lastError = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      }
    }
    return Optional.of(
        "POST " + url + " giving up after " + attempts + " attempt(s): " + lastError);
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

  static boolean retryable(int code) {
    return code == 429 || code == 0 || (code >= 500 && code != 501);
  }
}
