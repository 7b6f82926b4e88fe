package app.flagger.controller.metrics.providers;

import app.flagger.model.http.BoundedBody;
import app.flagger.model.json.Jsons;
import com.google.auth.oauth2.GoogleCredentials;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webclient.api.HttpClientRequest;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * Google Cloud Monitoring (Flagger's {@code StackDriverProvider}): runs an MQL query through the
 * REST method {@code POST <endpoint>/v3/projects/<project>/timeSeries:query} with body {@code
 * {"query": ...}} and an OAuth2 access token of the scope {@code monitoring.read}. The value is the
 * first series' {@code pointData[0].values[0]}; no series, no point or NaN is {@link
 * NoValuesFoundException}. {@link #isOnline()} sends an empty query: Google's {@code
 * INVALID_ARGUMENT} answer means the API and the credentials work. Range queries (the judge's
 * series) read every point of the one series the query returns.
 */
public final class StackdriverProvider implements MetricsProvider {
  /** Cloud Monitoring's API, unless {@code spec.provider.address} names another. */
  public static final URI DEFAULT_ENDPOINT = URI.create("https://monitoring.googleapis.com");

  /** The OAuth2 scope a Cloud Monitoring query needs. */
  public static final String SCOPE = "https://www.googleapis.com/auth/monitoring.read";

  private static final int EXCERPT = 1024;

  private final WebClient client;
  private final String queryPath;
  private final String endpoint;
  private final String project;
  private final String secret;
  private final AccessTokens tokens;
  private final Map<String, List<String>> headers;
  private final Duration timeout;
  private final long responseLimit;

  /**
   * @param address the API endpoint, possibly with a path prefix ({@link #DEFAULT_ENDPOINT})
   * @param project the Google Cloud project id the query runs in
   * @param secret the Secret the credentials came from, named in authorization failures; may be
   *     null (Workload Identity)
   * @param tokens where each request's access token comes from
   * @param headers extra request headers (MetricTemplate {@code provider.headers})
   * @param timeout bound on connecting and on reading the answer
   * @param responseLimit the most bytes of an answer read; a longer one fails the query
   */
  public StackdriverProvider(
      URI address,
      String project,
      String secret,
      AccessTokens tokens,
      Map<String, List<String>> headers,
      Duration timeout,
      long responseLimit) {
    String path = address.getRawPath() == null ? "" : address.getRawPath();
    this.queryPath =
        (path.endsWith("/") ? path : path + "/") + "v3/projects/" + project + "/timeSeries:query";
    this.endpoint = BoundedBody.origin(address) + queryPath;
    this.project = project;
    this.secret = secret;
    this.tokens = tokens;
    this.headers = headers == null ? Map.of() : Map.copyOf(headers);
    this.timeout = timeout;
    this.responseLimit = responseLimit;
    this.client =
        WebClient.builder()
            .baseUri(address.getScheme() + "://" + address.getRawAuthority())
            .connectTimeout(timeout)
            .readTimeout(timeout)
            .followRedirects(false)
            .build();
  }

  @Override
  public double runQuery(String query) throws MetricsProviderException {
    Answer answer = post(query);
    if (answer.code() >= 400) {
      throw new MetricsProviderException("error requesting stackdriver: " + answer.failure());
    }
    return value(answer.body());
  }

  @Override
  public boolean supportsRangeQueries() {
    return true;
  }

  /**
   * The MQL query as written: {@code timeSeries:query} has no time range of its own, so the query
   * sets its window and spacing ({@code | within {{ interval }}}, {@code | every 10s}) and is sent
   * at the tick, where the window ends. The points of the single series ordered by their {@code
   * timeInterval.endTime} (the API gives the newest first), NaN kept.
   */
  @Override
  public double[] runRangeQuery(String query, RangeWindow window) throws MetricsProviderException {
    Answer answer = post(query);
    if (answer.code() >= 400) {
      throw new MetricsProviderException("error requesting stackdriver: " + answer.failure());
    }
    return series(answer.body());
  }

  /**
   * {@code timeSeriesData[0].pointData[]} by {@code timeInterval.endTime}, each point's {@code
   * values[0]}; no series or no point is an empty sample, several series a {@link
   * MultipleValuesException}.
   */
  static double[] series(String body) throws MetricsProviderException {
    JsonObject json = HttpProviderClient.jsonObject(body, excerpt(body));
    if (!(json.get("timeSeriesData") instanceof JsonArray all) || all.isEmpty()) {
      return new double[0];
    }
    if (all.size() > 1) {
      throw new MultipleValuesException(
          "range query returned " + all.size() + " series, expected one");
    }
    if (!(all.get(0) instanceof JsonObject series)
        || !(series.get("pointData") instanceof JsonArray points)) {
      return new double[0];
    }
    TimedValues values = new TimedValues();
    for (JsonValue item : points) {
      if (!(item instanceof JsonObject point)
          || !(point.get("timeInterval") instanceof JsonObject interval)
          || !(interval.get("endTime") instanceof JsonString end)) {
        throw new MetricsProviderException(
            "invalid response: a point without timeInterval.endTime: " + excerpt(body));
      }
      Instant at;
      try {
        at = Instant.parse(end.getString());
      } catch (DateTimeParseException e) {
        throw new MetricsProviderException(
            "invalid response: endTime " + end.getString() + " is not a timestamp");
      }
      values.add(at.toEpochMilli(), number(first(point.get("values"), body)));
    }
    return values.values();
  }

  @Override
  public boolean isOnline() throws MetricsProviderException {
    Answer answer = post("");
    if (answer.code() < 400 || "INVALID_ARGUMENT".equals(answer.status())) {
      return true;
    }
    throw new MetricsProviderException("unexpected status code: " + answer.failure());
  }

  private Answer post(String query) throws MetricsProviderException {
    String token = token();
    String body = Jsons.createObjectBuilder().add("query", query).build().toString();
    HttpClientRequest request = client.post(queryPath);
    request.readTimeout(timeout);
    headers.forEach(
        (name, values) -> request.header(HeaderNames.create(name), values.toArray(String[]::new)));
    request.header(HeaderNames.AUTHORIZATION, "Bearer " + token);
    request.header(HeaderValues.CONTENT_TYPE_JSON);
    try (HttpClientResponse response = request.submit(body)) {
      String text =
          BoundedBody.read(
              response.inputStream(), response.headers().contentLength(), responseLimit, endpoint);
      return new Answer(response.status().code(), text);
    } catch (RuntimeException e) {
      throw new MetricsProviderException(
          "error requesting stackdriver: " + HttpProviderClient.describe(e), e);
    }
  }

  private String token() throws MetricsProviderException {
    try {
      return tokens.token();
    } catch (IOException | RuntimeException e) {
      throw new MetricsProviderException(
          "error getting a Google access token: "
              + HttpProviderClient.describe(e)
              + "; check "
              + credentialsHint()
              + " (a service account key of the role roles/monitoring.viewer)",
          e);
    }
  }

  private String credentialsHint() {
    return secret == null
        ? "the Workload Identity binding or application default credentials of Flagger"
        : "the key serviceAccountKey of Secret "
            + secret
            + ", or without it the Workload Identity binding of Flagger's service account";
  }

  static double value(String body) throws MetricsProviderException {
    JsonObject json = HttpProviderClient.jsonObject(body, excerpt(body));
    JsonObject series = first(json.get("timeSeriesData"), body);
    JsonObject point = first(series.get("pointData"), body);
    double number = number(first(point.get("values"), body));
    if (Double.isNaN(number)) {
      throw new NoValuesFoundException();
    }
    return number;
  }

  /** The first object of {@code array}; a missing or empty array is no values found. */
  private static JsonObject first(JsonValue array, String body) throws MetricsProviderException {
    if (!(array instanceof JsonArray items) || items.isEmpty()) {
      throw new NoValuesFoundException();
    }
    if (!(items.get(0) instanceof JsonObject item)) {
      throw new MetricsProviderException("invalid response: " + excerpt(body));
    }
    return item;
  }

  /**
   * A {@code TypedValue}: {@code doubleValue} (a number, or {@code "NaN"}/{@code "Infinity"} as
   * proto3 JSON writes them), or {@code int64Value} (a decimal string). Other kinds have no number.
   */
  private static double number(JsonObject value) throws MetricsProviderException {
    JsonValue raw = value.containsKey("doubleValue") ? value.get("doubleValue") : null;
    if (raw == null) {
      raw = value.get("int64Value");
    }
    if (raw instanceof JsonNumber n) {
      return n.doubleValue();
    }
    if (raw instanceof JsonString s) {
      return switch (s.getString()) {
        case "NaN" -> Double.NaN;
        case "Infinity" -> Double.POSITIVE_INFINITY;
        case "-Infinity" -> Double.NEGATIVE_INFINITY;
        default -> parse(s.getString());
      };
    }
    throw new MetricsProviderException(
        "the first point's value is not a number: " + excerpt(value.toString()));
  }

  private static double parse(String text) throws MetricsProviderException {
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new MetricsProviderException("the first point's value is not a number: " + text);
    }
  }

  private static String excerpt(String text) {
    return text.length() <= EXCERPT ? text : text.substring(0, EXCERPT) + "...";
  }

  /** An answer of the API: its status code and body. */
  private final class Answer {
    private final int code;
    private final String body;
    private final JsonObject error;

    Answer(int code, String body) {
      this.code = code;
      this.body = body;
      this.error = code >= 400 ? error(body) : null;
    }

    int code() {
      return code;
    }

    String body() {
      return body;
    }

    /** Google's {@code error.status} ({@code PERMISSION_DENIED}), or null. */
    String status() {
      return error == null ? null : error.getString("status", null);
    }

    /** The failure in Google's words, with what to check when the credentials were refused. */
    String failure() {
      String reason = io.helidon.http.Status.create(code).reasonPhrase();
      String words =
          error == null
              ? excerpt(body)
              : status() + ": " + excerpt(error.getString("message", error.toString()));
      String text = code + " " + reason + ": " + words;
      if (code == 401 || code == 403) {
        text +=
            "; check "
                + credentialsHint()
                + ", and that its service account has the role roles/monitoring.viewer on project "
                + project;
      }
      return text;
    }

    private static JsonObject error(String body) {
      try (JsonReader reader = Jsons.createReader(new StringReader(body))) {
        JsonValue error = reader.readObject().get("error");
        return error instanceof JsonObject object ? object : null;
      } catch (RuntimeException e) {
        return null;
      }
    }
  }

  /** Where the access token of each request comes from. */
  @FunctionalInterface
  public interface AccessTokens {
    /** A valid access token, fetched or refreshed as needed. */
    String token() throws IOException;

    /**
     * Tokens of Google's credentials: the service account key JSON when given, else the application
     * default credentials (Workload Identity on GKE), scoped to {@link #SCOPE}.
     */
    static AccessTokens google(String serviceAccountKey) throws IOException {
      GoogleCredentials credentials =
          serviceAccountKey == null
              ? GoogleCredentials.getApplicationDefault()
              : GoogleCredentials.fromStream(
                  new ByteArrayInputStream(serviceAccountKey.getBytes(StandardCharsets.UTF_8)));
      GoogleCredentials scoped = credentials.createScoped(List.of(SCOPE));
      return () -> {
        scoped.refreshIfExpired();
        return scoped.getAccessToken().getTokenValue();
      };
    }
  }
}
