package app.flagger.grafana.support;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okhttp3.Headers;

/**
 * An in-memory stand-in for the parts of Grafana's HTTP API that provisioning uses, as a
 * mockwebserver3 dispatcher: datasources, folders and dashboards by uid, dashboard versions with
 * 412 on a stale version, auth checking, and a configurable number of "not ready" answers.
 */
public final class FakeGrafana extends Dispatcher {
  private final String expectedAuthorization;
  private final Map<String, JsonObject> datasources = new LinkedHashMap<>();
  private final Map<String, JsonObject> folders = new LinkedHashMap<>();
  private final Map<String, JsonObject> dashboards = new LinkedHashMap<>();
  private final Map<String, String> dashboardFolders = new LinkedHashMap<>();
  private final List<String> writes = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger unavailable = new AtomicInteger();
  private final AtomicInteger nextId = new AtomicInteger(1);
  private volatile String concurrentEditOf;

  public FakeGrafana(String expectedAuthorization) {
    this.expectedAuthorization = expectedAuthorization;
  }

  /** The next {@code n} health checks answer 503. */
  public FakeGrafana unavailableFor(int n) {
    unavailable.set(n);
    return this;
  }

  /** Someone edits this dashboard in the UI right before our next save of it. */
  public void editConcurrently(String uid) {
    concurrentEditOf = uid;
  }

  /** A folder someone created by hand, e.g. with the title provisioning wants. */
  public synchronized void addFolder(String uid, String title) {
    folders.put(uid, Json.createObjectBuilder().add("uid", uid).add("title", title).build());
  }

  /** Every write as {@code METHOD path}, in order. */
  public List<String> writes() {
    return List.copyOf(writes);
  }

  public synchronized Map<String, JsonObject> datasources() {
    return Map.copyOf(datasources);
  }

  public synchronized Map<String, JsonObject> dashboards() {
    return Map.copyOf(dashboards);
  }

  public synchronized Map<String, JsonObject> folders() {
    return Map.copyOf(folders);
  }

  public synchronized String folderOf(String dashboardUid) {
    return dashboardFolders.get(dashboardUid);
  }

  @Override
  public synchronized MockResponse dispatch(RecordedRequest request) {
    String path = request.getUrl().encodedPath();
    String method = request.getMethod();
    if (path.equals("/api/health")) {
      if (unavailable.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        return json(503, "{\"message\":\"database is starting\"}");
      }
      return json(200, "{\"commit\":\"abc\",\"database\":\"ok\",\"version\":\"11.6.0\"}");
    }
    if (!expectedAuthorization.equals(request.getHeaders().get("Authorization"))) {
      return json(401, "{\"message\":\"Invalid username or password\"}");
    }
    if (!method.equals("GET")) {
      writes.add(method + " " + path);
    }
    JsonObject body =
        request.getBodySize() > 0
            ? Json.createReader(new StringReader(request.getBody().utf8())).readObject()
            : null;
    return route(method, path, body);
  }

  private MockResponse route(String method, String path, JsonObject body) {
    if (path.startsWith("/api/datasources/uid/")) {
      String uid = path.substring("/api/datasources/uid/".length());
      if (method.equals("GET")) {
        return found(datasources.get(uid));
      }
      JsonObject old = datasources.get(uid);
      if (old == null) {
        return json(404, "{\"message\":\"Data source not found\"}");
      }
      datasources.put(
          uid,
          stored(body, old.getInt("id"), old.getInt("version") + 1)
              .add("orgId", 1)
              .add("readOnly", false)
              .build());
      return json(200, "{\"message\":\"Datasource updated\"}");
    }
    if (path.equals("/api/datasources") && method.equals("POST")) {
      String uid = body.getString("uid");
      boolean nameTaken =
          datasources.values().stream()
              .anyMatch(d -> d.getString("name").equals(body.getString("name")));
      if (datasources.containsKey(uid) || nameTaken) {
        return json(409, "{\"message\":\"data source with the same name already exists\"}");
      }
      datasources.put(
          uid,
          stored(body, nextId.getAndIncrement(), 1).add("orgId", 1).add("readOnly", false).build());
      return json(200, "{\"message\":\"Datasource added\"}");
    }
    if (path.startsWith("/api/folders/") && method.equals("GET")) {
      return found(folders.get(path.substring("/api/folders/".length())));
    }
    if (path.equals("/api/folders") && method.equals("POST")) {
      boolean titleTaken =
          folders.values().stream()
              .anyMatch(f -> f.getString("title").equals(body.getString("title")));
      if (titleTaken) {
        return json(409, "{\"message\":\"a folder with the same name already exists\"}");
      }
      folders.put(body.getString("uid"), stored(body, nextId.getAndIncrement(), 1).build());
      return json(200, folders.get(body.getString("uid")).toString());
    }
    if (path.startsWith("/api/dashboards/uid/") && method.equals("GET")) {
      String uid = path.substring("/api/dashboards/uid/".length());
      JsonObject d = dashboards.get(uid);
      if (d == null) {
        return json(404, "{\"message\":\"Dashboard not found\"}");
      }
      JsonObject meta =
          Json.createObjectBuilder()
              .add("folderUid", dashboardFolders.getOrDefault(uid, ""))
              .add("version", d.getInt("version"))
              .add("provisioned", false)
              .build();
      return json(200, Json.createObjectBuilder().add("dashboard", d).add("meta", meta).build());
    }
    if (path.equals("/api/dashboards/db") && method.equals("POST")) {
      return saveDashboard(body);
    }
    return json(404, "{\"message\":\"Not found\"}");
  }

  private MockResponse saveDashboard(JsonObject body) {
    JsonObject d = body.getJsonObject("dashboard");
    String uid = d.getString("uid");
    if (uid.equals(concurrentEditOf)) {
      concurrentEditOf = null;
      JsonObject old = dashboards.get(uid);
      dashboards.put(
          uid,
          stored(old, old.getInt("id"), old.getInt("version") + 1).add("title", "edited").build());
    }
    JsonObject old = dashboards.get(uid);
    int sentVersion = d.containsKey("version") ? d.getInt("version") : -1;
    if (old != null && old.getInt("version") != sentVersion && !body.getBoolean("overwrite")) {
      return json(
          412,
          "{\"message\":\"The dashboard has been changed by someone else\",\"status\":\"version-mismatch\"}");
    }
    int id = old == null ? nextId.getAndIncrement() : old.getInt("id");
    int version = old == null ? 1 : old.getInt("version") + 1;
    dashboards.put(uid, stored(d, id, version).build());
    dashboardFolders.put(uid, body.getString("folderUid", ""));
    return json(
        200,
        "{\"id\":"
            + id
            + ",\"uid\":\""
            + uid
            + "\",\"status\":\"success\",\"version\":"
            + version
            + "}");
  }

  private static JsonObjectBuilder stored(JsonObject body, int id, int version) {
    return Json.createObjectBuilder(body).add("id", id).add("version", version);
  }

  private static MockResponse found(JsonObject value) {
    return value == null ? json(404, "{\"message\":\"not found\"}") : json(200, value);
  }

  private static MockResponse json(int code, JsonObject body) {
    return json(code, body.toString());
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse(code, Headers.of("Content-Type", "application/json"), body);
  }
}
