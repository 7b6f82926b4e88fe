package app.flagger.controller.metrics.providers;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * New Relic's Insights query API, Flagger's {@code NewRelicProvider}: {@code GET
 * <address>/v1/accounts/<newrelic_account_id>/query?nrql=<query> SINCE <interval seconds> seconds
 * ago} with header {@code X-Query-Key: <newrelic_query_key>}. The answer must hold exactly one
 * {@code results[].result}; none, several or a null one is {@link NoValuesFoundException}. Range
 * queries (the judge's series) ask for a {@code TIMESERIES} over the window.
 */
public final class NewRelicProvider implements MetricsProvider {
  /** Flagger's default address. */
  public static final String DEFAULT_ADDRESS = "https://insights-api.newrelic.com";

  static final String ACCOUNT_ID_KEY = "newrelic_account_id";
  static final String QUERY_KEY_KEY = "newrelic_query_key";

  private final HttpApi api;
  private final String queryPath;
  private final long sinceSeconds;

  private NewRelicProvider(HttpApi api, String accountId, long sinceSeconds) {
    this.api = api;
    this.queryPath = api.path("/v1/accounts/" + accountId + "/query");
    this.sinceSeconds = sinceSeconds;
  }

  /** Builds the provider, or fails with Flagger's construction error naming the missing key. */
  static NewRelicProvider create(HttpApi.Settings settings) throws MetricsProviderException {
    String address = settings.spec().address();
    URI uri =
        ProviderFactory.parseAddress(
            "newrelic", address == null || address.isEmpty() ? DEFAULT_ADDRESS : address);
    String accountId = required(settings, ACCOUNT_ID_KEY);
    if (!accountId.matches("[0-9]+")) {
      throw new MetricsProviderException(
          "newrelic credentials key '"
              + ACCOUNT_ID_KEY
              + "' in "
              + settings.secretPlace()
              + " must be the numeric account id");
    }
    String[] header = {"X-Query-Key", required(settings, QUERY_KEY_KEY)};
    String hint =
        "check " + QUERY_KEY_KEY + " and " + ACCOUNT_ID_KEY + " in " + settings.secretPlace();
    return new NewRelicProvider(
        new HttpApi(uri, settings, header, hint), accountId, settings.interval().getSeconds());
  }

  private static String required(HttpApi.Settings settings, String key)
      throws MetricsProviderException {
    String value = settings.credentials().get(key);
    if (value == null) {
      throw new MetricsProviderException(
          "newrelic credentials does not contain the key '"
              + key
              + "' ("
              + settings.secretPlace()
              + ")");
    }
    return value;
  }

  @Override
  public double runQuery(String query) throws MetricsProviderException {
    return parse(send(query).body());
  }

  @Override
  public boolean supportsRangeQueries() {
    return true;
  }

  /**
   * The query as a {@code TIMESERIES} over the window: {@code <query> SINCE <start ms> UNTIL <end
   * ms> TIMESERIES <step> seconds}, the step rounded up to whole seconds. The value of each bucket
   * is its {@code results[0].result}, as for a single value; null is NaN.
   */
  @Override
  public double[] runRangeQuery(String query, RangeWindow window) throws MetricsProviderException {
    return parseRange(
        api.getOk(queryPath, Map.of("nrql", List.of(timeseries(query, window)))).body());
  }

  /** The NRQL sent for a range query. */
  static String timeseries(String query, RangeWindow window) {
    long step = Math.max(1, (window.step().toMillis() + 999) / 1000);
    return query
        + " SINCE "
        + window.start().toEpochMilli()
        + " UNTIL "
        + window.end().toEpochMilli()
        + " TIMESERIES "
        + step
        + " seconds";
  }

  /**
   * The buckets of {@code timeSeries[]} in time order ({@code beginTimeSeconds}), each bucket's
   * {@code results[0].result}; no buckets is an empty sample, a {@code FACET} answer ({@code
   * facets[]}, one series per facet) of more than one facet a {@link MultipleValuesException}.
   */
  static double[] parseRange(String body) throws MetricsProviderException {
    if (!(HttpApi.json(body) instanceof JsonObject json)) {
      throw HttpApi.unreadable("the answer is not an object", body);
    }
    JsonValue buckets = json.get("timeSeries");
    if (json.get("facets") instanceof JsonArray facets) {
      if (facets.size() > 1) {
        throw new MultipleValuesException(
            "range query returned " + facets.size() + " series, expected one");
      }
      buckets =
          facets.isEmpty() || !(facets.get(0) instanceof JsonObject facet)
              ? null
              : facet.get("timeSeries");
    }
    if (!(buckets instanceof JsonArray list)) {
      return new double[0];
    }
    TimedValues values = new TimedValues();
    for (JsonValue item : list) {
      if (!(item instanceof JsonObject bucket)
          || !(bucket.get("beginTimeSeconds") instanceof JsonNumber begin)
          || !(bucket.get("results") instanceof JsonArray results)
          || results.isEmpty()
          || !(results.get(0) instanceof JsonObject first)) {
        throw HttpApi.unreadable("a timeSeries bucket without beginTimeSeconds or results", body);
      }
      JsonValue result = first.get("result");
      if (result == null || result == JsonValue.NULL) {
        values.add(begin.doubleValue(), Double.NaN);
      } else if (result instanceof JsonNumber n) {
        values.add(begin.doubleValue(), n.doubleValue());
      } else {
        throw HttpApi.unreadable("timeSeries[].results[0].result is not a number", body);
      }
    }
    return values.values();
  }

  /** Online when the NRQL {@code SELECT * FROM Metric} answers 200. */
  @Override
  public boolean isOnline() throws MetricsProviderException {
    send("SELECT * FROM Metric");
    return true;
  }

  /** The NRQL sent for {@code query}: the query and its time window. */
  String nrql(String query) {
    return query + " SINCE " + sinceSeconds + " seconds ago";
  }

  private HttpApi.Answer send(String query) throws MetricsProviderException {
    return api.getOk(queryPath, Map.of("nrql", List.of(nrql(query))));
  }

  static double parse(String body) throws MetricsProviderException {
    JsonValue json = HttpApi.json(body);
    JsonValue results = json instanceof JsonObject o ? o.get("results") : null;
    if (!(results instanceof JsonArray list) || list.size() != 1) {
      throw new NoValuesFoundException("invalid response: " + HttpApi.excerpt(body));
    }
    JsonValue result = list.get(0) instanceof JsonObject first ? first.get("result") : null;
    if (result == null || result == JsonValue.NULL) {
      throw new NoValuesFoundException("invalid response: " + HttpApi.excerpt(body));
    }
    if (!(result instanceof JsonNumber number)) {
      throw HttpApi.unreadable("results[0].result is not a number", body);
    }
    return number.doubleValue();
  }
}
