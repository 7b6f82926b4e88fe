package app.flagger.controller.metrics.providers;

import app.flagger.model.json.Jsons;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;
import java.io.StringReader;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Splunk Observability Cloud (SignalFx), Flagger's {@code SplunkProvider}: the query is a
 * SignalFlow program run over the last ten metric intervals. Flagger runs it over SignalFlow's
 * WebSocket; this class uses the documented HTTP form of the same computation, {@code POST
 * <stream>/v2/signalflow/execute?start=..&stop=..&immediate=true} with the program as the body,
 * whose answer is a Server-Sent Events stream of the same messages in JSON. Null values are
 * dropped; none left is {@link NoValuesFoundException}, more than one time series (distinct {@code
 * tsId}) is {@link MultipleValuesException}, else the last value is the result. Range queries (the
 * judge's series) run the program over the window at the step's resolution.
 */
public final class SplunkProvider implements MetricsProvider {
  /** The Secret key holding the access token. */
  public static final String TOKEN_KEY = "sf_token_key";

  /** The header carrying the access token. */
  public static final String TOKEN_HEADER = "X-SF-Token";

  private static final int WINDOW_INTERVALS = 10;

  private final HttpProviderClient stream;
  private final HttpProviderClient api;
  private final ProviderSecret secret;
  private final String token;
  private final Map<String, List<String>> headers;
  private final Duration window;
  private final Clock clock;

  /**
   * @param address the API or stream URL, {@code https://api.<REALM>.signalfx.com} or {@code
   *     wss://stream.<REALM>.signalfx.com}
   * @param secret the template's Secret, holding {@value #TOKEN_KEY}
   * @param headers extra request headers (MetricTemplate {@code provider.headers})
   * @param metricInterval the metric's interval; the program runs over ten of them up to now
   * @param insecureSkipVerify trust any TLS certificate
   * @param timeout bound on connecting and on reading the answer
   * @param responseLimit the most bytes of an answer read; a longer one fails the query
   * @param clock where "now" is read
   */
  public SplunkProvider(
      String address,
      ProviderSecret secret,
      Map<String, List<String>> headers,
      Duration metricInterval,
      boolean insecureSkipVerify,
      Duration timeout,
      long responseLimit,
      Clock clock)
      throws MetricsProviderException {
    if (address == null || address.isBlank()) {
      throw new MetricsProviderException("splunk endpoint is not set");
    }
    this.secret = secret;
    this.token = secret.require(TOKEN_KEY);
    this.headers = headers == null ? Map.of() : Map.copyOf(headers);
    this.window = metricInterval.multipliedBy(WINDOW_INTERVALS);
    this.clock = clock;
    String configured = address.strip();
    this.stream =
        new HttpProviderClient(
            ProviderFactory.parseAddress("splunk", streamAddress(configured), configured),
            insecureSkipVerify,
            timeout,
            responseLimit);
    this.api =
        new HttpProviderClient(
            ProviderFactory.parseAddress("splunk", apiAddress(configured), configured),
            insecureSkipVerify,
            timeout,
            responseLimit);
  }

  /**
   * Where SignalFlow runs, Flagger's conversion without the WebSocket scheme: {@code
   * https://api.<REALM>...} and {@code wss://stream.<REALM>...} both give {@code
   * https://stream.<REALM>...} (the first {@code api} becomes {@code stream}).
   */
  static String streamAddress(String address) {
    return address.replaceFirst("ws", "http").replaceFirst("api", "stream");
  }

  /** Where the availability check goes: the first {@code stream} becomes {@code api}. */
  static String apiAddress(String address) {
    return address.replaceFirst("ws", "http").replaceFirst("stream", "api");
  }

  @Override
  public double runQuery(String query) throws MetricsProviderException {
    long now = clock.millis();
    return lastValue(execute(query, now - window.toMillis(), now, null));
  }

  @Override
  public boolean supportsRangeQueries() {
    return true;
  }

  /**
   * The program over the window: {@code start} and {@code stop} its ends, {@code resolution} its
   * step (milliseconds; SignalFlow may coarsen it to the data's own resolution). The values of the
   * single time series by {@code logicalTimestampMs}, null as NaN.
   */
  @Override
  public double[] runRangeQuery(String query, RangeWindow window) throws MetricsProviderException {
    return series(
        execute(
            query,
            window.start().toEpochMilli(),
            window.end().toEpochMilli(),
            window.step().toMillis()));
  }

  /** The SSE body of {@code POST /v2/signalflow/execute}, refused unless 200. */
  private String execute(String query, long start, long stop, Long resolution)
      throws MetricsProviderException {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("start", Long.toString(start));
    params.put("stop", Long.toString(stop));
    if (resolution != null) {
      params.put("resolution", Long.toString(resolution));
    }
    params.put("immediate", "true");
    HttpProviderClient.Response response;
    try {
      response =
          stream.post(
              stream.path("/v2/signalflow/execute"),
              params,
              headers("text/plain", "text/event-stream"),
              query);
    } catch (MetricsProviderException e) {
      throw new MetricsProviderException("error executing query: " + e.getMessage(), e);
    }
    if (response.code() != 200) {
      throw refused("error executing query: ", response);
    }
    return response.body();
  }

  /**
   * The values of a SignalFlow SSE stream's one time series by {@code logicalTimestampMs}, null as
   * NaN; no data message is an empty sample, several {@code tsId}s a {@link
   * MultipleValuesException}, an error message an error.
   */
  static double[] series(String sse) throws MetricsProviderException {
    Set<String> series = new LinkedHashSet<>();
    TimedValues values = new TimedValues();
    for (Event event : events(sse)) {
      if (event.name().equals("error")) {
        throw new MetricsProviderException(
            "error executing query: " + errorText(json(event.data())));
      }
      if (!event.name().equals("data")) {
        continue;
      }
      JsonObject message = json(event.data());
      if (!(message.get("data") instanceof JsonArray data)) {
        continue;
      }
      if (!(message.get("logicalTimestampMs") instanceof JsonNumber time)) {
        throw new MetricsProviderException(
            "invalid response: a data message without logicalTimestampMs, '"
                + HttpProviderClient.excerpt(event.data())
                + "'");
      }
      for (JsonValue item : data) {
        JsonObject point = item.asJsonObject();
        series.add(String.valueOf(point.get("tsId")));
        values.add(
            time.doubleValue(),
            point.get("value") instanceof JsonNumber n ? n.doubleValue() : Double.NaN);
      }
    }
    if (series.size() > 1) {
      throw new MultipleValuesException(
          "range query returned " + series.size() + " series, expected one");
    }
    return values.values();
  }

  @Override
  public boolean isOnline() throws MetricsProviderException {
    HttpProviderClient.Response response =
        api.get(api.path("/v2/metric"), Map.of("limit", "1"), headers(null, null));
    if (response.code() != 200) {
      throw refused("error response: ", response);
    }
    return true;
  }

  private Map<String, List<String>> headers(String contentType, String accept) {
    Map<String, List<String>> all = new LinkedHashMap<>(headers);
    all.put(TOKEN_HEADER, List.of(token));
    if (contentType != null) {
      all.put("Content-Type", List.of(contentType));
    }
    if (accept != null) {
      all.put("Accept", List.of(accept));
    }
    return all;
  }

  private MetricsProviderException refused(String prefix, HttpProviderClient.Response response) {
    String text = prefix + response.status() + ": " + response.excerpt();
    if (response.unauthorized()) {
      text += " (" + secret.check(List.of(TOKEN_KEY)) + ")";
    }
    return new MetricsProviderException(text);
  }

  /**
   * The result of a SignalFlow SSE stream: the last non-null value of its data messages, refusing
   * an error message, no value, or values of several time series.
   */
  static double lastValue(String sse) throws MetricsProviderException {
    Set<String> series = new LinkedHashSet<>();
    JsonNumber last = null;
    for (Event event : events(sse)) {
      switch (event.name()) {
        case "data" -> {
          JsonArray data = json(event.data()).getJsonArray("data");
          if (data == null) {
            continue;
          }
          for (JsonValue item : data) {
            JsonObject point = item.asJsonObject();
            if (point.get("value") instanceof JsonNumber number) {
              series.add(String.valueOf(point.get("tsId")));
              last = number;
            }
          }
        }
        case "error" ->
            throw new MetricsProviderException(
                "error executing query: " + errorText(json(event.data())));
        default -> {
          // control-message, metadata, message, event: not values
        }
      }
    }
    if (last == null) {
      throw new NoValuesFoundException().wrap("invalid response: ");
    }
    if (series.size() > 1) {
      throw new MultipleValuesException();
    }
    return last.doubleValue();
  }

  private static String errorText(JsonObject error) {
    JsonValue message = error.get("message");
    String text = message instanceof JsonString s ? s.getString() : error.toString();
    return error.containsKey("error") ? error.get("error") + ": " + text : text;
  }

  private static JsonObject json(String text) throws MetricsProviderException {
    try (JsonReader reader = Jsons.createReader(new StringReader(text))) {
      return reader.readObject();
    } catch (JsonParsingException | ClassCastException | IllegalStateException e) {
      throw new MetricsProviderException(
          "invalid response: " + e.getMessage() + ", '" + HttpProviderClient.excerpt(text) + "'");
    }
  }

  /** The events of a Server-Sent Events stream: {@code event:} name and joined {@code data:}. */
  static List<Event> events(String sse) {
    List<Event> events = new ArrayList<>();
    String name = "message";
    StringBuilder data = null;
    for (String line : (sse + "\n\n").split("\r\n|\r|\n", -1)) {
      if (line.isEmpty()) {
        if (data != null) {
          events.add(new Event(name, data.toString()));
        }
        name = "message";
        data = null;
        continue;
      }
      if (line.startsWith(":")) {
        continue;
      }
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1);
      if (value.startsWith(" ")) {
        value = value.substring(1);
      }
      if (field.equals("event")) {
        name = value;
      } else if (field.equals("data")) {
        data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
      }
    }
    return events;
  }

  /** One Server-Sent Event. */
  record Event(String name, String data) {}
}
