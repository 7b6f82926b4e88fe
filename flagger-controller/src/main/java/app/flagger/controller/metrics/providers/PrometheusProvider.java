package app.flagger.controller.metrics.providers;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Prometheus' instant-query API ({@code GET <address>/api/v1/query?query=...}), Flagger's {@code
 * PrometheusProvider}. Vector and scalar results are read; an empty result or NaN is {@link
 * NoValuesFoundException}, a matrix is {@link MultipleValuesException}. Every request is bounded by
 * the timeout given at construction, and every answer by the response limit.
 *
 * <p>Range queries ({@code GET <address>/api/v1/query_range?query=...&start=...&end=...&step=...},
 * for the judge) read a matrix of one series: its values in time order, NaN kept (the judge drops
 * them); an empty result is no values, several series a {@link MultipleValuesException} naming how
 * many.
 */
public final class PrometheusProvider implements MetricsProvider {
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private final HttpProviderClient http;
  private final String queryPath;
  private final String rangePath;
  private final Map<String, List<String>> headers;

  /**
   * @param address the server URL, possibly with a path prefix ({@code http://prom:9090/prom})
   * @param credentials bearer token or basic user and password; may be {@link Credentials#NONE}
   * @param headers extra request headers (MetricTemplate {@code provider.headers})
   * @param insecureSkipVerify trust any TLS certificate
   * @param timeout bound on connecting and on reading the answer
   * @param responseLimit the most bytes of an answer read; a longer one fails the query
   */
  public PrometheusProvider(
      URI address,
      Credentials credentials,
      Map<String, List<String>> headers,
      boolean insecureSkipVerify,
      Duration timeout,
      long responseLimit) {
    this.http = new HttpProviderClient(address, insecureSkipVerify, timeout, responseLimit);
    this.queryPath = http.path("/api/v1/query");
    this.rangePath = http.path("/api/v1/query_range");
    Map<String, List<String>> all = new LinkedHashMap<>();
    String authorization = credentials.authorizationHeader();
    if (authorization != null) {
      all.put("Authorization", List.of(authorization));
    }
    if (headers != null) {
      all.putAll(headers);
    }
    this.headers = Collections.unmodifiableMap(all);
  }

  /** Collapses every whitespace run to one space, as Flagger does before sending. */
  public static String trimQuery(String query) {
    return WHITESPACE.matcher(query).replaceAll(" ");
  }

  @Override
  public double runQuery(String query) throws MetricsProviderException {
    String body = get(trimQuery(query));
    return parse(body);
  }

  @Override
  public boolean supportsRangeQueries() {
    return true;
  }

  @Override
  public double[] runRangeQuery(String query, RangeWindow window) throws MetricsProviderException {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("query", trimQuery(query));
    params.put("start", seconds(window.start()));
    params.put("end", seconds(window.end()));
    params.put(
        "step",
        BigDecimal.valueOf(window.step().toMillis(), 3).stripTrailingZeros().toPlainString());
    HttpProviderClient.Response response = http.get(rangePath, params, headers);
    if (response.code() >= 400) {
      throw new MetricsProviderException(
          "error response: Status " + response.status() + ": " + response.body());
    }
    return parseRange(response.body());
  }

  /** Unix seconds with milliseconds, as Prometheus reads them. */
  private static String seconds(Instant t) {
    return BigDecimal.valueOf(t.toEpochMilli(), 3).toPlainString();
  }

  @Override
  public boolean isOnline() throws MetricsProviderException {
    double value;
    try {
      value = runQuery("vector(1)");
    } catch (MetricsProviderException e) {
      throw new MetricsProviderException("running query failed: " + e.getMessage(), e);
    }
    if (value != 1) {
      throw new MetricsProviderException("value is not 1 for query: vector(1)");
    }
    return true;
  }

  private String get(String query) throws MetricsProviderException {
    HttpProviderClient.Response response = http.get(queryPath, Map.of("query", query), headers);
    if (response.code() >= 400) {
      throw new MetricsProviderException(
          "error response: Status " + response.status() + ": " + response.body());
    }
    return response.body();
  }

  static double parse(String body) throws MetricsProviderException {
    JsonObject json = HttpProviderClient.jsonObject(body, body);
    JsonObject data = json.getJsonObject("data");
    if (data == null || !data.containsKey("result")) {
      throw new NoValuesFoundException();
    }
    String type = data.getString("resultType", "vector");
    JsonValue result = data.get("result");
    if ("scalar".equals(type)) {
      return sample(result.asJsonArray());
    }
    if ("matrix".equals(type)) {
      throw new MultipleValuesException();
    }
    Double value = null;
    for (JsonValue item : result.asJsonArray()) {
      JsonObject series = item.asJsonObject();
      if (series.containsKey("values")) {
        throw new MultipleValuesException();
      }
      value = sample(series.getJsonArray("value"));
    }
    if (value == null || value.isNaN()) {
      throw new NoValuesFoundException();
    }
    return value;
  }

  static double[] parseRange(String body) throws MetricsProviderException {
    JsonObject json = HttpProviderClient.jsonObject(body, body);
    JsonObject data = json.getJsonObject("data");
    if (data == null || !(data.get("result") instanceof JsonArray result)) {
      return new double[0];
    }
    String type = data.getString("resultType", "matrix");
    if (!"matrix".equals(type)) {
      throw new MetricsProviderException("range query returned a " + type + ", expected a matrix");
    }
    if (result.size() > 1) {
      throw new MultipleValuesException(
          "range query returned " + result.size() + " series, expected one");
    }
    if (result.isEmpty()) {
      return new double[0];
    }
    JsonArray points = result.getJsonObject(0).getJsonArray("values");
    if (points == null) {
      return new double[0];
    }
    double[] values = new double[points.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = number(points.getJsonArray(i));
    }
    return values;
  }

  private static double sample(JsonArray pair) throws MetricsProviderException {
    double value = number(pair);
    if (Double.isNaN(value)) {
      throw new NoValuesFoundException();
    }
    return value;
  }

  /** The value of a {@code [time, "value"]} pair; NaN stays NaN. */
  private static double number(JsonArray pair) throws MetricsProviderException {
    if (pair == null || pair.size() < 2) {
      throw new NoValuesFoundException();
    }
    JsonValue raw = pair.get(1);
    String text = raw instanceof JsonString s ? s.getString() : raw.toString();
    double value;
    try {
      value =
          switch (text) {
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(text);
          };
    } catch (NumberFormatException e) {
      throw new MetricsProviderException(
          "strconv.ParseFloat: parsing \"" + text + "\": invalid syntax");
    }
    return value;
  }

  /** How requests authenticate: a bearer token, basic credentials, or nothing. */
  public record Credentials(String token, String username, String password) {
    public static final Credentials NONE = new Credentials(null, null, null);

    String authorizationHeader() {
      if (token != null && !token.isEmpty()) {
        return "Bearer " + token;
      }
      if (username != null && !username.isEmpty() && password != null) {
        String pair = username + ":" + password;
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
      }
      return null;
    }

    @Override
    public String toString() {
      return token != null
          ? "Credentials[bearer]"
          : username != null ? "Credentials[basic]" : "Credentials[none]";
    }
  }
}
