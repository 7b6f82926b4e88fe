package app.flagger.controller.support;

import app.flagger.controller.webhook.WebhookClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Webhooks in memory: each URL answers what the test says (2xx unless told), calls recorded. */
public final class ScriptedWebhooks implements WebhookClient {
  private final Map<String, String> failures = new HashMap<>();
  private final List<String> calls = new ArrayList<>();

  /** Calls to {@code url} fail with {@code error} from now on. */
  public synchronized ScriptedWebhooks failing(String url, String error) {
    failures.put(url, error);
    return this;
  }

  /** Calls to {@code url} succeed from now on. */
  public synchronized ScriptedWebhooks passing(String url) {
    failures.remove(url);
    return this;
  }

  /** The URLs called, in order. */
  public synchronized List<String> calls() {
    return List.copyOf(calls);
  }

  @Override
  public synchronized Optional<String> post(
      String url, String json, Duration timeout, int retries, boolean insecure) {
    calls.add(url);
    return Optional.ofNullable(failures.get(url));
  }
}
