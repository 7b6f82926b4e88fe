package app.flagger.sandbox.prometheus;

import app.flagger.model.json.Jsons;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the answer of Prometheus's {@code /api/v1/query}. */
final class QueryResults {
  private QueryResults() {}

  /** The samples of a vector result, or one unlabelled sample of a scalar result. */
  static List<Sample> parse(int status, String json, String promql) throws IOException {
    JsonObject body;
    try (JsonReader reader = Jsons.createReader(new StringReader(json))) {
      body = reader.readObject();
    } catch (RuntimeException e) {
      throw new IOException("prometheus answered " + status + " without JSON: " + json, e);
    }
    if (!"success".equals(body.getString("status", ""))) {
      throw new IOException("query failed: " + body.getString("error", json) + " in " + promql);
    }
    JsonObject data = body.getJsonObject("data");
    List<Sample> out = new ArrayList<>();
    switch (data.getString("resultType")) {
      case "vector" -> {
        for (JsonValue v : data.getJsonArray("result")) {
          JsonObject o = v.asJsonObject();
          Map<String, String> labels = new LinkedHashMap<>();
          o.getJsonObject("metric").forEach((k, s) -> labels.put(k, ((JsonString) s).getString()));
          out.add(new Sample(Map.copyOf(labels), value(o.getJsonArray("value"))));
        }
      }
      case "scalar" -> out.add(new Sample(Map.of(), value(data.getJsonArray("result"))));
      default ->
          throw new IOException(
              "query result type " + data.getString("resultType") + " is not supported: " + promql);
    }
    return out;
  }

  private static double value(JsonArray pair) {
    return Double.parseDouble(pair.getString(1));
  }
}
