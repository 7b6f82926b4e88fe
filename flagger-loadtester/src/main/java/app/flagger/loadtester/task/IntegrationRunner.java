package app.flagger.loadtester.task;

import app.flagger.model.json.Jsons;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.HttpClientRequest;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * Runs Flagger's {@code ngrinder} and {@code concord} tasks against their servers' REST APIs with
 * Helidon's WebClient. Credentials (the nGrinder password, the Concord API key) go only into the
 * {@code Authorization} header of calls to the task's own server and are never logged.
 */
public final class IntegrationRunner {
  private static final Set<String> NGRINDER_FAILED = Set.of("STOP_BY_ERROR", "CANCELED", "UNKNOWN");
  private static final Set<String> CONCORD_FAILED = Set.of("FAILED", "CANCELLED", "TIMED_OUT");

  private final WebClient client;
  private final Pause pause;

  public IntegrationRunner(WebClient client, Pause pause) {
    this.client = client;
    this.pause = pause;
  }

  /** A runner with a 60 s read timeout per call, as Flagger's Concord client has. */
  public static IntegrationRunner create() {
    return new IntegrationRunner(
        WebClient.builder()
            .connectTimeout(Duration.ofSeconds(10))
            .readTimeout(Duration.ofSeconds(60))
            .followRedirects(false)
            .build(),
        Pause.parking());
  }

  /** Clones and starts the template test, then polls its status until it ends or is cancelled. */
  TaskOutcome ngrinder(NGrinderTask t, BooleanSupplier cancelled) {
    String auth =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(
                    (t.username() + ":" + t.password()).getBytes(StandardCharsets.UTF_8));
    URI start = t.server().resolve("perftest/api/" + t.cloneId() + "/clone_and_start");
    JsonObject started;
    try {
      started = ngrinderCall(client.post(start.toString()), auth);
    } catch (RemoteError e) {
      return failed(t, "failed to clone and start ngrinder test " + start + ": " + e.getMessage());
    }
    if (!(started.get("id") instanceof JsonNumber id)) {
      return failed(t, "ngrinder " + start + " answered without a test id: " + started);
    }
    long testId = id.longValue();
    URI status = t.server().resolve("perftest/api/" + testId + "/status");
    TaskLog.info(t.canary(), "ngrinder test " + testId + " started from " + t.cloneId());
    while (pause.pause(t.pollInterval(), cancelled)) {
      String state;
      try {
        state = ngrinderStatus(ngrinderCall(client.get(status.toString()), auth));
      } catch (RemoteError e) {
        TaskLog.warn(t.canary(), "ngrinder status of test " + testId + ": " + e.getMessage());
        continue;
      }
      if (state.equals("FINISHED")) {
        TaskLog.info(t.canary(), "ngrinder test " + testId + " finished");
        return new TaskOutcome(
            TaskOutcome.Result.SUCCEEDED, "", "ngrinder test " + testId + " FINISHED");
      }
      if (NGRINDER_FAILED.contains(state)) {
        return failed(t, "ngrinder test " + testId + " ended with status " + state);
      }
    }
    URI stop = t.server().resolve("perftest/api/" + testId);
    try {
      ngrinderCall(client.put(stop.toString()).queryParam("action", "stop"), auth);
    } catch (RemoteError e) {
      TaskLog.warn(t.canary(), "ngrinder stop of test " + testId + ": " + e.getMessage());
    }
    String msg = "ngrinder test " + testId + " stopped after the task timeout or on shutdown";
    TaskLog.warn(t.canary(), msg);
    return new TaskOutcome(TaskOutcome.Result.TIMED_OUT, msg, "");
  }

  /** Starts the Concord process and polls it until it finishes, fails or {@code pollTimeout}. */
  TaskOutcome concord(ConcordTask t, BooleanSupplier cancelled) {
    String apiKey;
    try {
      apiKey = Files.readString(t.apiKeyPath(), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      return failed(t, "apiKeyPath: cannot read " + t.apiKeyPath());
    }
    String boundary = "flagger-" + UUID.randomUUID();
    URI processes = t.server().resolve("/api/v1/process");
    JsonObject created;
    try {
      created =
          json(
              client
                  .post(processes.toString())
                  .header(HeaderNames.AUTHORIZATION, apiKey)
                  .header(HeaderNames.CONTENT_TYPE, "multipart/form-data; boundary=" + boundary)
                  .submit(ConcordForm.render(t, boundary)));
    } catch (RemoteError e) {
      return failed(t, "failed to start concord process at " + processes + ": " + e.getMessage());
    }
    String id = created.getString("instanceId", "");
    if (id.isEmpty()) {
      return failed(t, "concord " + processes + " answered without an instanceId: " + created);
    }
    TaskLog.info(t.canary(), "created concord process id [" + id + "]");
    long polls = Math.max(1, ceilDiv(t.pollTimeout().toNanos(), t.pollInterval().toNanos()));
    for (long i = 0; i < polls; i++) {
      if (!pause.pause(t.pollInterval(), cancelled)) {
        String msg = "concord process " + id + " abandoned after the task timeout or on shutdown";
        TaskLog.warn(t.canary(), msg);
        return new TaskOutcome(TaskOutcome.Result.TIMED_OUT, msg, "");
      }
      String state;
      try {
        state =
            json(client
                    .get(processes + "/" + id)
                    .header(HeaderNames.AUTHORIZATION, apiKey)
                    .request())
                .getString("status", "");
      } catch (RemoteError e) {
        return failed(t, "failed checking status of concord process " + id + ": " + e.getMessage());
      }
      TaskLog.info(t.canary(), "process id [" + id + "] current status is " + state);
      if (state.equals("FINISHED")) {
        return new TaskOutcome(
            TaskOutcome.Result.SUCCEEDED, "", "concord process " + id + " FINISHED");
      }
      if (CONCORD_FAILED.contains(state)) {
        return failed(t, "concord instanceID: " + id + " failed with status " + state);
      }
    }
    return failed(
        t, "concord process timed out, after " + t.pollTimeout().toSeconds() + " seconds");
  }

  private static TaskOutcome failed(Task t, String msg) {
    TaskLog.warn(t.canary(), msg);
    return new TaskOutcome(TaskOutcome.Result.FAILED, msg, "");
  }

  private static JsonObject ngrinderCall(HttpClientRequest req, String auth) {
    JsonObject o = json(req.header(HeaderNames.AUTHORIZATION, auth).request());
    if (o.get("success") == JsonValue.FALSE) {
      throw new RemoteError("request failed: " + o);
    }
    return o;
  }

  private static String ngrinderStatus(JsonObject o) {
    if (o.get("status") instanceof JsonArray a
        && !a.isEmpty()
        && a.get(0) instanceof JsonObject first) {
      return first.getString("status_id", "");
    }
    return "";
  }

  /** The JSON object of a 2xx answer; anything else is a {@link RemoteError}. */
  private static JsonObject json(HttpClientResponse res) {
    try (res) {
      String body = res.entity().as(String.class);
      if (res.status().code() / 100 != 2) {
        throw new RemoteError("HTTP " + res.status().code() + ": " + abbreviate(body));
      }
      try {
        return Jsons.createReader(new StringReader(body)).readObject();
      } catch (JsonException | IllegalStateException e) {
        throw new RemoteError("json unmarshalling failed for " + abbreviate(body));
      }
    } catch (RemoteError e) {
      throw e;
    } catch (RuntimeException e) {
      throw new RemoteError(e.getMessage() == null ? e.toString() : e.getMessage());
    }
  }

  private static String abbreviate(String s) {
    String t = s == null ? "" : s.strip();
    return t.length() > 200 ? t.substring(0, 200) + "..." : t;
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }

  /** A failed call to the remote server, with a message that holds no credentials. */
  private static final class RemoteError extends RuntimeException {
    RemoteError(String message) {
      super(message, null, false, false);
    }
  }
}
