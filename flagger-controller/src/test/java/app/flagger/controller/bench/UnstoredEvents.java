package app.flagger.controller.bench;

import app.flagger.model.json.Jsons;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Answers the controller's Event writes without storing them, so the benchmark's API server stays
 * as fast at the end of a run as at its start. fabric8's CRUD dispatcher scans every stored object
 * on each request; an analysing Canary writes about one Event per tick, so after a few minutes at
 * 1,000 Canaries the Events outnumbered everything else several times over and every call of the
 * controller got slower with the mock's scans, not with anything the controller did. A real API
 * server keeps Events in etcd under their own key (and expires them after an hour). The controller
 * reads no Event back, so a create is answered with the Event sent, given a name suffix, uid and
 * resourceVersion, and a patch with the Event's identity.
 */
final class UnstoredEvents extends Dispatcher {
  private static final Pattern EVENTS =
      Pattern.compile("/api/v1/namespaces/([^/]+)/events(?:/([^/?]+))?(?:\\?.*)?");

  private final Dispatcher delegate;
  private final AtomicLong versions = new AtomicLong(1_000_000_000L);

  UnstoredEvents(Dispatcher delegate) {
    this.delegate = delegate;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    Matcher m = EVENTS.matcher(request.getPath());
    if (!m.matches()) {
      return delegate.dispatch(request);
    }
    String method = request.getMethod();
    if (method.equals("POST") && m.group(2) == null) {
      return reply(201, stored(request.getUtf8Body(), m.group(1), null));
    }
    if (method.equals("PATCH") && m.group(2) != null) {
      return reply(200, stored("{}", m.group(1), m.group(2)));
    }
    return delegate.dispatch(request);
  }

  private String stored(String body, String namespace, String name) {
    JsonObject event;
    try (var r = Jsons.createReader(new StringReader(body))) {
      event = r.readObject();
    }
    JsonObject meta = event.getJsonObject("metadata");
    var metadata = meta == null ? Jsons.createObjectBuilder() : Jsons.createObjectBuilder(meta);
    long version = versions.incrementAndGet();
    if (name != null) {
      metadata.add("name", name);
    } else if (meta == null || !meta.containsKey("name")) {
      metadata.add("name", "event." + version);
    }
    metadata
        .add("namespace", namespace)
        .add("uid", "bench-" + version)
        .add("resourceVersion", Long.toString(version));
    return Jsons.createObjectBuilder(event)
        .add("apiVersion", "v1")
        .add("kind", "Event")
        .add("metadata", metadata)
        .build()
        .toString();
  }

  private static MockResponse reply(int code, String body) {
    return new MockResponse()
        .setResponseCode(code)
        .addHeader("Content-Type: application/json")
        .setBody(body);
  }
}
