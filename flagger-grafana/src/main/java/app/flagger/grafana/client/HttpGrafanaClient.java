package app.flagger.grafana.client;

import app.flagger.model.http.BoundedBody;
import app.flagger.model.json.Jsons;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webclient.api.HttpClientRequest;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@link GrafanaClient} over Helidon's {@link WebClient}. The {@code Authorization} header comes
 * from a supplier on every call, so a rotated password or token file is picked up without a
 * restart. Answers are read up to a limit; a longer one fails the call.
 */
public final class HttpGrafanaClient implements GrafanaClient {
  private final WebClient http;
  private final String base;
  private final Supplier<String> authorization;
  private final long responseLimit;

  /**
   * @param base Grafana's base URL, e.g. {@code http://grafana:3000} or {@code
   *     https://example.com/grafana}
   * @param authorization the {@code Authorization} header value ({@code Basic ...} or {@code Bearer
   *     ...})
   */
  public HttpGrafanaClient(URI base, Supplier<String> authorization, Duration timeout) {
    this(base, authorization, timeout, BoundedBody.DEFAULT_LIMIT);
  }

  /**
   * @param responseLimit the most bytes of an answer read ({@code grafana.http-response-limit})
   */
  public HttpGrafanaClient(
      URI base, Supplier<String> authorization, Duration timeout, long responseLimit) {
    this.responseLimit = responseLimit;
    String b = base.toString();
    this.base = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
    this.authorization = authorization;
    this.http =
        WebClient.builder()
            .connectTimeout(timeout)
            .readTimeout(timeout)
            .followRedirects(false)
            .keepAlive(true)
            .build();
  }

  @Override
  public String health() {
    Answer a = call(Method.GET, "/api/health", null, "Grafana health check", false);
    if (a.status() != 200) {
      throw GrafanaException.forStatus("Grafana health check", a.status(), a.body());
    }
    JsonObject json = parse(a.body(), "Grafana health check");
    String database = json.getString("database", "");
    if (!"ok".equals(database)) {
      throw new GrafanaException(
          GrafanaException.Kind.UNAVAILABLE,
          200,
          "Grafana health check: database is '" + database + "', not 'ok' yet",
          null);
    }
    return json.getString("version", "unknown");
  }

  @Override
  public Optional<JsonObject> datasource(String uid) {
    return getOptional("/api/datasources/uid/" + uid, "reading datasource " + uid);
  }

  @Override
  public void createDatasource(JsonObject datasource) {
    expectOk(Method.POST, "/api/datasources", datasource, "creating datasource");
  }

  @Override
  public void updateDatasource(String uid, JsonObject datasource) {
    expectOk(Method.PUT, "/api/datasources/uid/" + uid, datasource, "updating datasource " + uid);
  }

  @Override
  public Optional<JsonObject> folder(String uid) {
    return getOptional("/api/folders/" + uid, "reading folder " + uid);
  }

  @Override
  public void createFolder(String uid, String title) {
    JsonObject body = Jsons.createObjectBuilder().add("uid", uid).add("title", title).build();
    expectOk(Method.POST, "/api/folders", body, "creating folder " + title);
  }

  @Override
  public Optional<JsonObject> dashboard(String uid) {
    return getOptional("/api/dashboards/uid/" + uid, "reading dashboard " + uid);
  }

  @Override
  public void saveDashboard(JsonObject dashboard, String folderUid, String message) {
    JsonObject body =
        Jsons.createObjectBuilder()
            .add("dashboard", dashboard)
            .add("folderUid", folderUid)
            .add("overwrite", false)
            .add("message", message)
            .build();
    expectOk(
        Method.POST,
        "/api/dashboards/db",
        body,
        "saving dashboard " + dashboard.getString("uid", "?"));
  }

  private Optional<JsonObject> getOptional(String path, String what) {
    Answer a = call(Method.GET, path, null, what, true);
    if (a.status() == 404) {
      return Optional.empty();
    }
    if (a.status() != 200) {
      throw GrafanaException.forStatus(what, a.status(), a.body());
    }
    return Optional.of(parse(a.body(), what));
  }

  private void expectOk(Method method, String path, JsonObject body, String what) {
    Answer a = call(method, path, body, what, true);
    if (a.status() < 200 || a.status() > 299) {
      throw GrafanaException.forStatus(what, a.status(), a.body());
    }
  }

  private Answer call(Method method, String path, JsonObject body, String what, boolean auth) {
    String url = base + path;
    try {
      HttpClientRequest request =
          http.method(method).uri(url).header(HeaderNames.ACCEPT, "application/json");
      if (auth) {
        request.header(HeaderNames.AUTHORIZATION, authorization.get());
      }
      try (HttpClientResponse response =
          body == null
              ? request.request()
              : request
                  .header(HeaderNames.CONTENT_TYPE, "application/json")
                  .submit(body.toString())) {
        return new Answer(response.status().code(), body(response, url, what));
      }
    } catch (GrafanaException | CredentialsException e) {
      throw e;
    } catch (RuntimeException e) {
      throw GrafanaException.unreachable(what, url, e);
    }
  }

  /** The answer's body; too long a one fails the call as Grafana's answer, not as no answer. */
  private String body(HttpClientResponse response, String url, String what) {
    try {
      return BoundedBody.read(
          response.inputStream(), response.headers().contentLength(), responseLimit, url);
    } catch (BoundedBody.TooLargeException e) {
      int code = response.status().code();
      throw code < 300
          ? new GrafanaException(
              GrafanaException.Kind.REJECTED, code, what + ": " + e.getMessage(), e)
          : GrafanaException.forStatus(what, code, e.getMessage());
    }
  }

  private static JsonObject parse(String body, String what) {
    try (JsonReader reader = Jsons.createReader(new StringReader(body))) {
      return reader.readObject();
    } catch (RuntimeException e) {
      throw new GrafanaException(
          GrafanaException.Kind.REJECTED, 200, what + ": answer is not a JSON object", e);
    }
  }

  private record Answer(int status, String body) {}
}
