package app.flagger.controller.metrics.providers;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Dynatrace's metrics API v2, Flagger's {@code DynatraceProvider}: {@code GET
 * <address>/api/v2/metrics/query?metricSelector=<query>&resolution=Inf&from=<ms>&to=<ms>} over the
 * last ten metric intervals, with {@code Authorization: Api-Token <dynatrace_token>}. The value is
 * {@code result[0].data[last].values[0]}; a missing or null one is {@link NoValuesFoundException}.
 * Range queries (the judge's series) ask for the window at a resolution of whole minutes.
 */
public final class DynatraceProvider implements MetricsProvider {
  static final String TOKEN_KEY = "dynatrace_token";

  /** The time window is this many metric intervals, as in Flagger. */
  static final int INTERVALS = 10;

  private final HttpApi api;
  private final long windowMillis;
  private final Clock clock;

  private DynatraceProvider(HttpApi api, long windowMillis, Clock clock) {
    this.api = api;
    this.windowMillis = windowMillis;
    this.clock = clock;
  }

  /** Builds the provider: {@code address} and the {@code dynatrace_token} key required. */
  static DynatraceProvider create(HttpApi.Settings settings) throws MetricsProviderException {
    String address = settings.spec().address();
    if (address == null || address.isEmpty()) {
      throw new MetricsProviderException("dynatrace endpoint is not set");
    }
    URI uri = ProviderFactory.parseAddress("dynatrace", address);
    String token = settings.credentials().get(TOKEN_KEY);
    if (token == null) {
      throw new MetricsProviderException(
          "dynatrace credentials does not contain "
              + TOKEN_KEY
              + " ("
              + settings.secretPlace()
              + ")");
    }
    String[] header = {"Authorization", "Api-Token " + token};
    String hint =
        "check "
            + TOKEN_KEY
            + " in "
            + settings.secretPlace()
            + ": the token needs the metrics.read scope (Read metrics)";
    long window = INTERVALS * settings.interval().toMillis();
    return new DynatraceProvider(
        new HttpApi(uri, settings, header, hint), window, settings.clock());
  }

  @Override
  public double runQuery(String query) throws MetricsProviderException {
    long now = clock.instant().getEpochSecond() * 1000;
    Map<String, List<String>> params = new LinkedHashMap<>();
    params.put("metricSelector", List.of(query));
    params.put("resolution", List.of("Inf"));
    params.put("from", List.of(Long.toString(now - windowMillis)));
    params.put("to", List.of(Long.toString(now)));
    return parse(api.getOk(api.path("/api/v2/metrics/query"), params).body());
  }

  @Override
  public boolean supportsRangeQueries() {
    return true;
  }

  /**
   * The query over the window at the step's resolution in whole minutes (Dynatrace's finest is one
   * minute): {@code resolution=<n>m&from=<start ms>&to=<end ms>}. The values of the single series
   * in time order, null as NaN.
   */
  @Override
  public double[] runRangeQuery(String query, RangeWindow window) throws MetricsProviderException {
    long minutes = Math.max(1, (window.step().toSeconds() + 59) / 60);
    Map<String, List<String>> params = new LinkedHashMap<>();
    params.put("metricSelector", List.of(query));
    params.put("resolution", List.of(minutes + "m"));
    params.put("from", List.of(Long.toString(window.start().toEpochMilli())));
    params.put("to", List.of(Long.toString(window.end().toEpochMilli())));
    return parseRange(api.getOk(api.path("/api/v2/metrics/query"), params).body());
  }

  /**
   * {@code result[0].data[0]}'s {@code values} ordered by its {@code timestamps}, null as NaN; no
   * series is an empty sample, several (dimensions or metrics) a {@link MultipleValuesException}.
   */
  static double[] parseRange(String body) throws MetricsProviderException {
    if (!(HttpApi.json(body) instanceof JsonObject json)) {
      throw HttpApi.unreadable("the answer is not an object", body);
    }
    JsonArray results = array(json.get("result"));
    int series = 0;
    JsonObject only = null;
    for (JsonValue result : results == null ? JsonValue.EMPTY_JSON_ARRAY : results) {
      JsonArray data = result instanceof JsonObject r ? array(r.get("data")) : null;
      if (data != null) {
        series += data.size();
        if (!data.isEmpty() && data.get(0) instanceof JsonObject first) {
          only = first;
        }
      }
    }
    if (series > 1) {
      throw new MultipleValuesException("range query returned " + series + " series, expected one");
    }
    if (only == null) {
      return new double[0];
    }
    JsonArray times = array(only.get("timestamps"));
    JsonArray values = array(only.get("values"));
    if (times == null || values == null || times.size() != values.size()) {
      throw HttpApi.unreadable("data[0] needs timestamps and values of the same length", body);
    }
    TimedValues points = new TimedValues();
    for (int i = 0; i < values.size(); i++) {
      JsonValue value = values.get(i);
      if (!(times.get(i) instanceof JsonNumber time)
          || !(value instanceof JsonNumber || value == JsonValue.NULL)) {
        throw HttpApi.unreadable("data[0] point " + i + " is not a number", body);
      }
      points.add(time.doubleValue(), value instanceof JsonNumber n ? n.doubleValue() : Double.NaN);
    }
    return points.values();
  }

  /** Online when {@code GET /api/v2/metrics?pageSize=1} answers 200 with the token. */
  @Override
  public boolean isOnline() throws MetricsProviderException {
    api.getOk(api.path("/api/v2/metrics"), Map.of("pageSize", List.of("1")));
    return true;
  }

  static double parse(String body) throws MetricsProviderException {
    JsonValue json = HttpApi.json(body);
    JsonObject first = json instanceof JsonObject o ? firstObject(o.get("result")) : null;
    JsonArray data = first == null ? null : array(first.get("data"));
    JsonValue lastSeries = data == null || data.isEmpty() ? null : data.get(data.size() - 1);
    JsonArray values = lastSeries instanceof JsonObject series ? array(series.get("values")) : null;
    JsonValue value = values == null || values.isEmpty() ? null : values.get(0);
    if (value instanceof JsonNumber number) {
      return number.doubleValue();
    }
    if (value == null || value == JsonValue.NULL) {
      throw new NoValuesFoundException("invalid response: " + HttpApi.excerpt(body));
    }
    throw HttpApi.unreadable("result[0].data[last].values[0] is not a number", body);
  }

  private static JsonObject firstObject(JsonValue value) {
    JsonArray list = array(value);
    return list != null && !list.isEmpty() && list.get(0) instanceof JsonObject o ? o : null;
  }

  private static JsonArray array(JsonValue value) {
    return value instanceof JsonArray a ? a : null;
  }
}
