package app.flagger.controller.metrics.providers;

import app.flagger.model.json.Jsons;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * InfluxDB 2's Flux query API ({@code POST <address>/api/v2/query?org=<org>}), Flagger's {@code
 * InfluxdbProvider}. The answer is annotated CSV; the {@code _value} of its first record is the
 * result. As in Flagger, a query without any record returns 0 (templates counting errors rely on
 * it); an empty {@code _value} or NaN is {@link NoValuesFoundException}. {@code long} and {@code
 * unsignedLong} values are read as numbers too (Flagger's client refuses them). Range queries (the
 * judge's series) run the query with {@code now} at the window's end and read every record.
 */
public final class InfluxdbProvider implements MetricsProvider {
  /** Flagger's per-query timeout for InfluxDB. */
  public static final Duration TIMEOUT = Duration.ofSeconds(15);

  /** The query of the availability check, Flagger's. */
  public static final String ONLINE_QUERY = "from(bucket: \"default\") |> range(start: -2h)";

  private static final List<String> KEYS = List.of("token", "org");

  private final FluxClient http;

  /**
   * @param address the server URL, possibly with a path prefix
   * @param secret the template's Secret; {@code token} and {@code org} are required when it is set
   * @param headers extra request headers (MetricTemplate {@code provider.headers})
   * @param insecureSkipVerify trust any TLS certificate
   * @param timeout bound on connecting and on reading the answer
   * @param responseLimit the most bytes of an answer read; a longer one fails the query
   */
  public InfluxdbProvider(
      URI address,
      ProviderSecret secret,
      Map<String, List<String>> headers,
      boolean insecureSkipVerify,
      Duration timeout,
      long responseLimit)
      throws MetricsProviderException {
    String token = null;
    String org = null;
    if (secret.name() != null) {
      token = secret.require("token", "an authentication token");
      org = secret.require("org", "an organisation");
    }
    this.http =
        new FluxClient(
            new HttpProviderClient(address, insecureSkipVerify, timeout, responseLimit),
            secret,
            token,
            org,
            headers);
  }

  @Override
  public double runQuery(String query) throws MetricsProviderException {
    return firstValue(http.query(query));
  }

  @Override
  public boolean supportsRangeQueries() {
    return true;
  }

  /**
   * The Flux query run with {@code now} set to the window's end, so that its {@code range(start:
   * -{{ interval }})} is the window; the query's own {@code aggregateWindow(every: ...)} sets the
   * points' spacing. The {@code _value}s of the single table ordered by {@code _time}, empty or NaN
   * as NaN; no record is an empty sample, several tables a {@link MultipleValuesException}.
   */
  @Override
  public double[] runRangeQuery(String query, RangeWindow window) throws MetricsProviderException {
    return rangeValues(http.query(query, window.end()));
  }

  static double[] rangeValues(String csv) throws MetricsProviderException {
    List<Map<String, Cell>> records = records(csv, Integer.MAX_VALUE);
    long tables =
        records.stream()
            .map(r -> r.containsKey("table") ? r.get("table").text() : "")
            .distinct()
            .count();
    if (tables > 1) {
      throw new MultipleValuesException("range query returned " + tables + " series, expected one");
    }
    TimedValues values = new TimedValues();
    for (int i = 0; i < records.size(); i++) {
      Map<String, Cell> record = records.get(i);
      Cell time = record.get("_time");
      double at;
      try {
        at = time == null ? i : java.time.Instant.parse(time.text()).toEpochMilli();
      } catch (java.time.format.DateTimeParseException e) {
        throw new MetricsProviderException("invalid response: _time of " + describe(record));
      }
      Cell value = record.get("_value");
      values.add(at, value == null ? Double.NaN : number(value, record));
    }
    return values.values();
  }

  /** A {@code _value} cell of a range query: a number, NaN when empty. */
  private static double number(Cell value, Map<String, Cell> record)
      throws MetricsProviderException {
    if (value.text().isEmpty()) {
      return Double.NaN;
    }
    try {
      return switch (value.text()) {
        case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
        case "-Inf" -> Double.NEGATIVE_INFINITY;
        default -> Double.parseDouble(value.text());
      };
    } catch (NumberFormatException e) {
      throw new MetricsProviderException("invalid response: " + describe(record));
    }
  }

  @Override
  public boolean isOnline() throws MetricsProviderException {
    firstRecord(http.query(ONLINE_QUERY));
    return true;
  }

  /** The {@code _value} of the first record of an annotated CSV answer; 0 without any record. */
  static double firstValue(String csv) throws MetricsProviderException {
    Map<String, Cell> record = firstRecord(csv);
    if (record == null) {
      return 0;
    }
    Cell value = record.get("_value");
    if (value == null || value.text().isEmpty()) {
      throw new NoValuesFoundException().wrap("invalid response: " + describe(record) + ": ");
    }
    String type = value.datatype();
    boolean numeric =
        type == null || type.equals("double") || type.equals("long") || type.equals("unsignedLong");
    if (!numeric) {
      throw new MetricsProviderException("invalid response: " + describe(record));
    }
    double parsed = number(value, record);
    if (Double.isNaN(parsed)) {
      throw new NoValuesFoundException().wrap("invalid response: " + describe(record) + ": ");
    }
    return parsed;
  }

  /**
   * The first data record of an annotated CSV answer, column name to cell; null when the answer has
   * none. An error table ({@code error,reference}) fails with {@code query error: <error>}.
   */
  static Map<String, Cell> firstRecord(String csv) throws MetricsProviderException {
    List<Map<String, Cell>> records = records(csv, 1);
    return records.isEmpty() ? null : records.get(0);
  }

  /**
   * The data records of an annotated CSV answer in order, at most {@code limit}; an error table
   * fails with {@code query error: <error>}.
   */
  static List<Map<String, Cell>> records(String csv, int limit) throws MetricsProviderException {
    List<Map<String, Cell>> records = new ArrayList<>();
    List<String> datatypes = List.of();
    List<String> defaults = List.of();
    List<String> header = null;
    for (List<String> row : AnnotatedCsv.rows(csv)) {
      if (row.size() == 1 && row.get(0).isEmpty()) {
        datatypes = List.of();
        defaults = List.of();
        header = null;
        continue;
      }
      String first = row.get(0);
      if (first.startsWith("#")) {
        if (first.equals("#datatype")) {
          datatypes = row;
        } else if (first.equals("#default")) {
          defaults = row;
        }
        continue;
      }
      if (header == null) {
        header = row;
        continue;
      }
      Map<String, Cell> record = new LinkedHashMap<>();
      for (int i = 1; i < header.size(); i++) {
        String text = i < row.size() ? row.get(i) : "";
        if (text.isEmpty() && i < defaults.size()) {
          text = defaults.get(i);
        }
        record.put(header.get(i), new Cell(text, i < datatypes.size() ? datatypes.get(i) : null));
      }
      if (header.contains("error") && header.contains("reference") && !header.contains("_value")) {
        throw new MetricsProviderException("query error: " + record.get("error").text());
      }
      records.add(record);
      if (records.size() >= limit) {
        break;
      }
    }
    return records;
  }

  private static String describe(Map<String, Cell> record) {
    List<String> parts = new ArrayList<>();
    record.forEach((name, cell) -> parts.add(name + ":" + cell.text()));
    return "{" + String.join(" ", parts) + "}";
  }

  /** One cell of a record: its text (the column default when empty) and the column's datatype. */
  record Cell(String text, String datatype) {}

  /** Sends Flux queries and turns refused ones into Flagger's words. */
  private record FluxClient(
      HttpProviderClient client,
      ProviderSecret secret,
      String token,
      String org,
      Map<String, List<String>> extraHeaders) {
    String query(String flux) throws MetricsProviderException {
      return query(flux, null);
    }

    /** Runs {@code flux}; with {@code now} set, Flux's {@code now()} is that instant. */
    String query(String flux, java.time.Instant now) throws MetricsProviderException {
      Map<String, List<String>> headers = new LinkedHashMap<>();
      if (extraHeaders != null) {
        headers.putAll(extraHeaders);
      }
      if (token != null && !token.isEmpty()) {
        headers.put("Authorization", List.of("Token " + token));
      }
      headers.put("Content-Type", List.of("application/json"));
      headers.put("Accept", List.of("application/csv"));
      Map<String, String> params = org == null || org.isEmpty() ? Map.of() : Map.of("org", org);
      jakarta.json.JsonObjectBuilder request = Jsons.createObjectBuilder().add("query", flux);
      if (now != null) {
        request.add("now", now.toString());
      }
      JsonObject body =
          request
              .add("type", "flux")
              .add(
                  "dialect",
                  Jsons.createObjectBuilder()
                      .add("header", true)
                      .add("delimiter", ",")
                      .add(
                          "annotations",
                          Jsons.createArrayBuilder(List.of("datatype", "group", "default")))
                      .add("commentPrefix", "#")
                      .add("dateTimeFormat", "RFC3339"))
              .build();
      HttpProviderClient.Response response;
      try {
        response = client.post(client.path("/api/v2/query"), params, headers, body.toString());
      } catch (MetricsProviderException e) {
        throw new MetricsProviderException(
            "error accessing influxdb query api: " + e.getMessage(), e);
      }
      if (response.code() >= 300) {
        String text =
            "error accessing influxdb query api: " + response.status() + ": " + message(response);
        if (response.unauthorized()) {
          text += " (" + secret.check(KEYS) + ")";
        }
        throw new MetricsProviderException(text);
      }
      return response.body();
    }

    /** InfluxDB's {@code {"code":..,"message":..}} error text, else the body's excerpt. */
    private static String message(HttpProviderClient.Response response) {
      try (JsonReader reader = Jsons.createReader(new StringReader(response.body()))) {
        JsonValue message = reader.readObject().get("message");
        if (message instanceof JsonString s) {
          return s.getString();
        }
      } catch (RuntimeException e) {
        // not InfluxDB's JSON error: quote the body
      }
      return response.excerpt();
    }
  }
}
