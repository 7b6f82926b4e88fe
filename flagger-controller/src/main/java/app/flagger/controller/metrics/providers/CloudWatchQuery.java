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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.Metric;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricStat;

/**
 * A CloudWatch MetricTemplate query: a JSON array of {@code MetricDataQuery} objects, with the
 * field names of the CloudWatch API ({@code Id}, {@code Expression}, {@code MetricStat}, ...). As
 * Flagger's Go decoder, names match regardless of case; unlike it, an unknown name is an error (the
 * check fails naming it) instead of being dropped silently.
 */
final class CloudWatchQuery {
  private static final Set<String> QUERY =
      Set.of("Id", "Expression", "Label", "MetricStat", "Period", "ReturnData", "AccountId");
  private static final Set<String> STAT = Set.of("Metric", "Period", "Stat", "Unit");
  private static final Set<String> METRIC = Set.of("Namespace", "MetricName", "Dimensions");
  private static final Set<String> DIMENSION = Set.of("Name", "Value");

  private CloudWatchQuery() {}

  /** The queries of {@code json}, or an error naming the first element that is not one. */
  static List<MetricDataQuery> parse(String json) throws MetricsProviderException {
    JsonValue root;
    try (JsonReader reader = Jsons.createReader(new StringReader(json))) {
      root = reader.readValue();
    } catch (JsonParsingException e) {
      throw invalid("not JSON: " + e.getMessage());
    }
    if (root.getValueType() != JsonValue.ValueType.ARRAY) {
      throw invalid("expected a JSON array of MetricDataQuery objects, got " + kind(root));
    }
    List<MetricDataQuery> queries = new ArrayList<>();
    JsonArray items = root.asJsonArray();
    for (int i = 0; i < items.size(); i++) {
      queries.add(query("[" + i + "]", object("[" + i + "]", items.get(i))));
    }
    return queries;
  }

  private static MetricDataQuery query(String path, JsonObject o) throws MetricsProviderException {
    Map<String, JsonValue> f = fields(path, o, QUERY);
    MetricDataQuery.Builder b = MetricDataQuery.builder();
    b.id(string(path, f, "Id"));
    b.expression(string(path, f, "Expression"));
    b.label(string(path, f, "Label"));
    b.period(integer(path, f, "Period"));
    b.returnData(bool(path, f, "ReturnData"));
    b.accountId(string(path, f, "AccountId"));
    b.metricStat(nested(path, f, "MetricStat", CloudWatchQuery::stat));
    return b.build();
  }

  private static MetricStat stat(String path, JsonObject o) throws MetricsProviderException {
    Map<String, JsonValue> f = fields(path, o, STAT);
    return MetricStat.builder()
        .period(integer(path, f, "Period"))
        .stat(string(path, f, "Stat"))
        .unit(string(path, f, "Unit"))
        .metric(nested(path, f, "Metric", CloudWatchQuery::metric))
        .build();
  }

  private static Metric metric(String path, JsonObject o) throws MetricsProviderException {
    Map<String, JsonValue> f = fields(path, o, METRIC);
    Metric.Builder b =
        Metric.builder()
            .namespace(string(path, f, "Namespace"))
            .metricName(string(path, f, "MetricName"));
    JsonValue dims = f.get("Dimensions");
    if (dims != null && dims != JsonValue.NULL) {
      String at = path + ".Dimensions";
      if (dims.getValueType() != JsonValue.ValueType.ARRAY) {
        throw invalid(
            at + ": expected an array of {\"Name\", \"Value\"} objects, got " + kind(dims));
      }
      List<Dimension> dimensions = new ArrayList<>();
      JsonArray items = dims.asJsonArray();
      for (int i = 0; i < items.size(); i++) {
        String item = at + "[" + i + "]";
        Map<String, JsonValue> d = fields(item, object(item, items.get(i)), DIMENSION);
        dimensions.add(
            Dimension.builder()
                .name(string(item, d, "Name"))
                .value(string(item, d, "Value"))
                .build());
      }
      b.dimensions(dimensions);
    }
    return b.build();
  }

  /** Reads one JSON object of the query into its SDK shape. */
  private interface Part<T> {
    T read(String path, JsonObject o) throws MetricsProviderException;
  }

  /** The object field {@code name} of {@code f} read by {@code part}; null when absent. */
  private static <T> T nested(String path, Map<String, JsonValue> f, String name, Part<T> part)
      throws MetricsProviderException {
    JsonValue v = f.get(name);
    if (v == null || v == JsonValue.NULL) {
      return null;
    }
    String at = path + "." + name;
    return part.read(at, object(at, v));
  }

  /** The fields of {@code o} under their canonical names; an unknown or repeated name fails. */
  private static Map<String, JsonValue> fields(String path, JsonObject o, Set<String> known)
      throws MetricsProviderException {
    Map<String, JsonValue> byName = new java.util.HashMap<>();
    for (Map.Entry<String, JsonValue> e : o.entrySet()) {
      String name =
          known.stream()
              .filter(k -> k.toLowerCase(Locale.ROOT).equals(e.getKey().toLowerCase(Locale.ROOT)))
              .findFirst()
              .orElseThrow(
                  () ->
                      invalid(
                          path
                              + ": unknown field \""
                              + e.getKey()
                              + "\", expected one of "
                              + known.stream().sorted().toList()));
      if (byName.put(name, e.getValue()) != null) {
        throw invalid(path + ": field " + name + " given twice");
      }
    }
    return byName;
  }

  private static JsonObject object(String path, JsonValue v) throws MetricsProviderException {
    if (v.getValueType() != JsonValue.ValueType.OBJECT) {
      throw invalid(path + ": expected an object, got " + kind(v));
    }
    return v.asJsonObject();
  }

  private static String string(String path, Map<String, JsonValue> f, String name)
      throws MetricsProviderException {
    return scalar(path, f, name, "a string", v -> v instanceof JsonString s ? s.getString() : null);
  }

  private static Integer integer(String path, Map<String, JsonValue> f, String name)
      throws MetricsProviderException {
    return scalar(path, f, name, "a whole number of seconds", CloudWatchQuery::seconds);
  }

  private static Boolean bool(String path, Map<String, JsonValue> f, String name)
      throws MetricsProviderException {
    return scalar(path, f, name, "true or false", CloudWatchQuery::truth);
  }

  private static Integer seconds(JsonValue v) {
    if (v instanceof JsonNumber n && n.isIntegral()) {
      try {
        return n.bigIntegerValueExact().intValueExact();
      } catch (ArithmeticException e) {
        return null;
      }
    }
    return null;
  }

  private static Boolean truth(JsonValue v) {
    return v == JsonValue.TRUE ? Boolean.TRUE : v == JsonValue.FALSE ? Boolean.FALSE : null;
  }

  /** Converts a JSON value, or returns null when it has the wrong type. */
  private interface Scalar<T> {
    T of(JsonValue v) throws MetricsProviderException;
  }

  /** The field {@code name} of {@code f}: null when absent, an error when of another type. */
  private static <T> T scalar(
      String path, Map<String, JsonValue> f, String name, String expected, Scalar<T> read)
      throws MetricsProviderException {
    JsonValue v = f.get(name);
    if (v == null || v == JsonValue.NULL) {
      return null;
    }
    T value = read.of(v);
    if (value == null) {
      throw invalid(path + "." + name + ": expected " + expected + ", got " + kind(v));
    }
    return value;
  }

  private static String kind(JsonValue v) {
    return switch (v.getValueType()) {
      case OBJECT -> "an object";
      case ARRAY -> "an array";
      case STRING -> "the string " + v;
      case NUMBER -> "the number " + v;
      case TRUE, FALSE -> v.toString();
      case NULL -> "null";
    };
  }

  private static MetricsProviderException invalid(String what) {
    return new MetricsProviderException("error unmarshaling query: " + what);
  }
}
