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
 * NoValuesFoundException}. Basic auth when the template has a {@code secretRef}.
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
