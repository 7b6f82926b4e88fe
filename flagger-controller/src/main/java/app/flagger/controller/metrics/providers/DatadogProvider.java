package app.flagger.controller.metrics.providers;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Datadog's metrics query API v1, Flagger's {@code DatadogProvider}: {@code GET
 * <address>/api/v1/query?query=&from=&to=} over the last ten metric intervals, authenticated by the
 * {@code DD-API-KEY} and {@code DD-APPLICATION-KEY} headers (Secret keys {@code datadog_api_key}
 * and {@code datadog_application_key}). The value is the first (oldest) point of the first series,
 * as Flagger takes it: the newest bucket is usually incomplete. No series, no point or a null value
 * is {@link NoValuesFoundException}. The online check is {@code GET <address>/api/v1/validate}.
 * Range queries (the judge's series) send the window's ends as {@code from} and {@code to}.
 */
public final class DatadogProvider implements MetricsProvider {
  /** Flagger's default address. */
  public static final String DEFAULT_ADDRESS = "https://api.datadoghq.com";

  /** Secret key of the API key. */
  public static final String API_KEY = "datadog_api_key";

  /** Secret key of the application key. */
  public static final String APPLICATION_KEY = "datadog_application_key";

  static final String API_KEY_HEADER = "DD-API-KEY";
  static final String APPLICATION_KEY_HEADER = "DD-APPLICATION-KEY";

  /** The query covers this many metric intervals back from now. */
  static final int INTERVALS_BACK = 10;

  private final HttpProviderClient http;
  private final String queryPath;
  private final String validatePath;
  private final Map<String, List<String>> headers;
  private final long fromDelta;
  private final Clock clock;
  private final String credentialsHint;

  /**
   * @param address the API URL ({@link #DEFAULT_ADDRESS} or a regional site)
   * @param secret the template's Secret: {@link #API_KEY} and {@link #APPLICATION_KEY} required
   * @param extraHeaders MetricTemplate {@code provider.headers}, sent before Datadog's own
   * @param metricInterval the metric's interval; the query covers ten of them
   * @param insecureSkipVerify trust any TLS certificate
   * @param timeout bound on connecting and on reading the answer
   * @param responseLimit the most bytes of an answer read
   * @param clock where {@code from} and {@code to} come from
   */
  public DatadogProvider(
      URI address,
      ProviderSecret secret,
      Map<String, List<String>> extraHeaders,
      Duration metricInterval,
      boolean insecureSkipVerify,
      Duration timeout,
      long responseLimit,
      Clock clock)
      throws MetricsProviderException {
    String apiKey = secret.require(API_KEY);
    String applicationKey = secret.require(APPLICATION_KEY);
    this.http = new HttpProviderClient(address, insecureSkipVerify, timeout, responseLimit);
    this.queryPath = http.path("/api/v1/query");
    this.validatePath = http.path("/api/v1/validate");
    Map<String, List<String>> all = new LinkedHashMap<>();
    if (extraHeaders != null) {
      extraHeaders.forEach(
          (name, values) -> {
            if (!name.equalsIgnoreCase(API_KEY_HEADER)
                && !name.equalsIgnoreCase(APPLICATION_KEY_HEADER)) {
              all.put(name, values);
            }
          });
    }
    all.put(API_KEY_HEADER, List.of(apiKey));
    all.put(APPLICATION_KEY_HEADER, List.of(applicationKey));
    this.headers = Map.copyOf(all);
    this.fromDelta = INTERVALS_BACK * metricInterval.toSeconds();
    this.clock = clock;
    this.credentialsHint = secret.check(List.of(API_KEY, APPLICATION_KEY));
  }

  @Override
  public double runQuery(String query) throws MetricsProviderException {
    long now = clock.instant().getEpochSecond();
    return parse(points(query, now - fromDelta, now));
  }

  /** The body of {@code GET /api/v1/query?query=&from=&to=} (Unix seconds), refused unless 200. */
  private String points(String query, long from, long to) throws MetricsProviderException {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("query", query);
    params.put("from", Long.toString(from));
    params.put("to", Long.toString(to));
    HttpProviderClient.Response response = http.get(queryPath, params, headers);
    if (response.code() != 200) {
      throw refused(response);
    }
    return response.body();
  }

  @Override
  public boolean supportsRangeQueries() {
    return true;
  }

  /**
   * The query over the window: {@code from} and {@code to} are the window's ends in Unix seconds;
   * Datadog chooses the points' spacing (a {@code .rollup(avg, 2)} in the query sets it). The
   * values of the single series' {@code pointlist} in time order, null as NaN.
   */
  @Override
  public double[] runRangeQuery(String query, RangeWindow window) throws MetricsProviderException {
    return parseRange(
        points(query, window.start().getEpochSecond(), window.end().getEpochSecond()));
  }

  @Override
  public boolean isOnline() throws MetricsProviderException {
    HttpProviderClient.Response response = http.get(validatePath, Map.of(), headers);
    if (response.code() != 200) {
      throw refused(response);
    }
    return true;
  }

  /** Flagger's {@code error response: <body>: <status>}, with the keys to check on 401/403. */
  private MetricsProviderException refused(HttpProviderClient.Response response) {
    String text = "error response: " + response.excerpt() + ": " + response.status();
    return new MetricsProviderException(
        response.unauthorized() ? text + "; " + credentialsHint : text);
  }

  /** The first point of the first series: {@code series[0].pointlist[0][1]}. */
  static double parse(String body) throws MetricsProviderException {
    String excerpt = HttpProviderClient.excerpt(body);
    JsonObject json = HttpProviderClient.jsonObject(body, excerpt);
    JsonValue series = json.get("series");
    if (!(series instanceof JsonArray list) || list.isEmpty()) {
      throw new NoValuesFoundException().wrap("invalid response: " + excerpt + ": ");
    }
    if (!(list.get(0) instanceof JsonObject first)
        || !(first.get("pointlist") instanceof JsonArray points)
        || points.isEmpty()
        || !(points.get(0) instanceof JsonArray point)
        || point.size() < 2) {
      throw new NoValuesFoundException().wrap("invalid response: " + excerpt + ": ");
    }
    if (!(point.get(1) instanceof JsonNumber value)) {
      throw new NoValuesFoundException().wrap("invalid response: " + excerpt + ": ");
    }
    return value.doubleValue();
  }

  /**
   * The values of {@code series[0].pointlist} ({@code [[time ms, value], ...]}) sorted by time,
   * null values as NaN; no series is an empty sample, several a {@link MultipleValuesException}.
   */
  static double[] parseRange(String body) throws MetricsProviderException {
    String excerpt = HttpProviderClient.excerpt(body);
    JsonObject json = HttpProviderClient.jsonObject(body, excerpt);
    JsonValue series = json.get("series");
    if (series == null || series == JsonValue.NULL) {
      return new double[0];
    }
    if (!(series instanceof JsonArray list)) {
      throw new MetricsProviderException("invalid response: " + excerpt + ": series is no list");
    }
    if (list.size() > 1) {
      throw new MultipleValuesException(
          "range query returned " + list.size() + " series, expected one");
    }
    if (list.isEmpty()
        || !(list.get(0) instanceof JsonObject first)
        || !(first.get("pointlist") instanceof JsonArray points)) {
      return new double[0];
    }
    TimedValues values = new TimedValues();
    for (JsonValue item : points) {
      if (!(item instanceof JsonArray point)
          || point.size() < 2
          || !(point.get(0) instanceof JsonNumber time)) {
        throw new MetricsProviderException("invalid response: " + excerpt + ": bad point " + item);
      }
      JsonValue value = point.get(1);
      double v;
      if (value instanceof JsonNumber n) {
        v = n.doubleValue();
      } else if (value == JsonValue.NULL) {
        v = Double.NaN;
      } else {
        throw new MetricsProviderException("invalid response: " + excerpt + ": bad point " + item);
      }
      values.add(time.doubleValue(), v);
    }
    return values.values();
  }
}
