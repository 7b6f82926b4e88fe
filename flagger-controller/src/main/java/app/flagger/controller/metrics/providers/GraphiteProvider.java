package app.flagger.controller.metrics.providers;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Graphite's render API, Flagger's {@code GraphiteProvider}: the query is the raw parameter string
 * ({@code target=...&from=-1min}), whitespace collapsed, sent as {@code GET
 * <address>/render?<query>&format=json} ({@code format} is always {@code json}). The value is the
 * last non-null datapoint of all the targets returned; none (or only {@code NaN}) is {@link
 * NoValuesFoundException}. Basic auth when the template has a {@code secretRef}. Range queries (the
 * judge's series) set {@code from} and {@code until} to the window.
 */
public final class GraphiteProvider implements MetricsProvider {
  private final HttpApi api;

  private GraphiteProvider(HttpApi api) {
    this.api = api;
  }

  /** Builds the provider: {@code address} required, username and password with a secretRef. */
  static GraphiteProvider create(HttpApi.Settings settings) throws MetricsProviderException {
    URI uri = ProviderFactory.parseAddress("graphite", settings.spec().address());
    if (settings.secretName() == null) {
      return new GraphiteProvider(
          new HttpApi(uri, settings, null, "the template has no spec.provider.secretRef"));
    }
    String username = settings.credentials().get("username");
    if (username == null) {
      throw new MetricsProviderException(
          "graphite credentials does not contain a username (" + settings.secretPlace() + ")");
    }
    String password = settings.credentials().get("password");
    if (password == null) {
      throw new MetricsProviderException(
          "graphite credentials does not contain a password (" + settings.secretPlace() + ")");
    }
    String[] auth = null;
    if (!username.isEmpty() && !password.isEmpty()) {
      String pair = username + ":" + password;
      auth =
          new String[] {
            "Authorization",
            "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8))
          };
    }
    return new GraphiteProvider(
        new HttpApi(
            uri, settings, auth, "check username and password in " + settings.secretPlace()));
  }

  @Override
  public double runQuery(String query) throws MetricsProviderException {
    HttpApi.Answer answer = api.get(api.path("/render"), parameters(query));
    if (answer.status() >= 400) {
      throw api.refused(answer);
    }
    return parse(answer.body());
  }

  @Override
  public boolean supportsRangeQueries() {
    return true;
  }

  /**
   * The query with {@code from} and {@code until} set to the window's ends in Unix seconds
   * (replacing the query's own); Graphite answers at the series' storage resolution. The datapoints
   * of the single target in time order, null as NaN.
   */
  @Override
  public double[] runRangeQuery(String query, RangeWindow window) throws MetricsProviderException {
    Map<String, List<String>> params = parameters(query);
    params.put("from", List.of(Long.toString(window.start().getEpochSecond())));
    params.put("until", List.of(Long.toString(window.end().getEpochSecond())));
    HttpApi.Answer answer = api.get(api.path("/render"), params);
    if (answer.status() >= 400) {
      throw api.refused(answer);
    }
    return parseRange(answer.body());
  }

  /** Online when {@code target=test} is answered, with or without values. */
  @Override
  public boolean isOnline() throws MetricsProviderException {
    try {
      runQuery("target=test");
    } catch (NoValuesFoundException e) {
      return true;
    } catch (MetricsProviderException e) {
      throw new MetricsProviderException("running query failed: " + e.getMessage(), e);
    }
    return true;
  }

  /**
   * The parameters of {@code query} as Go's {@code url.ParseQuery} reads them (split on {@code &},
   * percent and {@code +} decoded, a pair that does not decode dropped), {@code format=json} set.
   */
  static Map<String, List<String>> parameters(String query) {
    Map<String, List<String>> params = new LinkedHashMap<>();
    for (String pair : PrometheusProvider.trimQuery(query).split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        name = URLDecoder.decode(name, StandardCharsets.UTF_8);
        value = URLDecoder.decode(value, StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        continue;
      }
      params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    params.put("format", List.of("json"));
    return params;
  }

  static double parse(String body) throws MetricsProviderException {
    if (!(HttpApi.json(body) instanceof JsonArray targets)) {
      throw HttpApi.unreadable("the answer is not a list of targets", body);
    }
    Double last = null;
    for (JsonValue target : targets) {
      if (!(target instanceof JsonObject series)) {
        throw HttpApi.unreadable("a target is not an object", body);
      }
      JsonValue points = series.get("datapoints");
      if (points == null || points == JsonValue.NULL) {
        continue;
      }
      if (!(points instanceof JsonArray list)) {
        throw HttpApi.unreadable("datapoints is not an array", body);
      }
      for (JsonValue point : list) {
        Double value = value(point, body);
        if (value != null && !value.isNaN()) {
          last = value;
        }
      }
    }
    if (last == null) {
      throw new NoValuesFoundException();
    }
    return last;
  }

  /**
   * The datapoints of the only target, sorted by time, null as NaN; no target is an empty sample,
   * several a {@link MultipleValuesException}.
   */
  static double[] parseRange(String body) throws MetricsProviderException {
    if (!(HttpApi.json(body) instanceof JsonArray targets)) {
      throw HttpApi.unreadable("the answer is not a list of targets", body);
    }
    if (targets.size() > 1) {
      throw new MultipleValuesException(
          "range query returned " + targets.size() + " series, expected one");
    }
    if (targets.isEmpty()) {
      return new double[0];
    }
    if (!(targets.get(0) instanceof JsonObject series)) {
      throw HttpApi.unreadable("a target is not an object", body);
    }
    if (!(series.get("datapoints") instanceof JsonArray list)) {
      return new double[0];
    }
    TimedValues points = new TimedValues();
    for (JsonValue point : list) {
      Double value = value(point, body);
      JsonValue time = point.asJsonArray().get(1);
      if (!(time instanceof JsonNumber t)) {
        throw HttpApi.unreadable("error unmarshaling timestamp: " + time, body);
      }
      points.add(t.doubleValue(), value == null ? Double.NaN : value);
    }
    return points.values();
  }

  /** A datapoint {@code [value, timestamp]}: the value, null when it is null. */
  private static Double value(JsonValue point, String body) throws MetricsProviderException {
    if (!(point instanceof JsonArray pair) || pair.size() != 2) {
      throw HttpApi.unreadable("error unmarshaling data point: " + point, body);
    }
    JsonValue raw = pair.get(0);
    if (raw == JsonValue.NULL) {
      return null;
    }
    if (raw instanceof JsonNumber n) {
      return n.doubleValue();
    }
    if (raw instanceof JsonString s) {
      try {
        return Double.parseDouble(s.getString());
      } catch (NumberFormatException e) {
        throw HttpApi.unreadable(
            "strconv.ParseFloat: parsing \"" + s.getString() + "\": invalid syntax", body);
      }
    }
    throw HttpApi.unreadable("error unmarshaling value: " + raw, body);
  }
}
