package app.flagger.grafana.dashboard;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.util.List;

/** Renders {@link Panel}s as Grafana panel JSON. */
final class PanelJson {
  private final JsonObject datasource;

  PanelJson(JsonObject datasource) {
    this.datasource = datasource;
  }

  JsonObject render(Panel panel, int id, GridPos pos) {
    JsonObjectBuilder b =
        Json.createObjectBuilder()
            .add("id", id)
            .add("title", panel.title())
            .add("gridPos", pos.toJson());
    return switch (panel) {
      case Panel.Row row ->
          b.add("type", "row")
              .add("collapsed", false)
              .add("panels", Json.createArrayBuilder())
              .build();
      case Panel.TimeSeries ts -> timeseries(b, ts);
      case Panel.Stat stat -> stat(b, stat);
    };
  }

  private JsonObject timeseries(JsonObjectBuilder b, Panel.TimeSeries ts) {
    JsonObjectBuilder custom =
        Json.createObjectBuilder()
            .add("drawStyle", "line")
            .add("lineWidth", 1)
            .add("fillOpacity", ts.stacked() ? 30 : 10)
            .add("showPoints", "never")
            .add("spanNulls", false)
            .add(
                "stacking",
                Json.createObjectBuilder().add("mode", ts.stacked() ? "normal" : "none"));
    return b.add("type", "timeseries")
        .add("datasource", datasource)
        .add(
            "fieldConfig",
            Json.createObjectBuilder()
                .add(
                    "defaults",
                    Json.createObjectBuilder()
                        .add("unit", ts.unit())
                        .add("custom", custom)
                        .add("thresholds", thresholds(List.of())))
                .add("overrides", Json.createArrayBuilder()))
        .add(
            "options",
            Json.createObjectBuilder()
                .add(
                    "legend",
                    Json.createObjectBuilder()
                        .add("displayMode", "list")
                        .add("placement", "bottom")
                        .add("showLegend", true))
                .add(
                    "tooltip", Json.createObjectBuilder().add("mode", "multi").add("sort", "desc")))
        .add("targets", targets(ts.targets()))
        .build();
  }

  private JsonObject stat(JsonObjectBuilder b, Panel.Stat stat) {
    JsonArrayBuilder mappings = Json.createArrayBuilder();
    if (!stat.mappings().isEmpty()) {
      JsonObjectBuilder options = Json.createObjectBuilder();
      for (Panel.ValueText m : stat.mappings()) {
        options.add(
            String.valueOf(m.value()),
            Json.createObjectBuilder().add("text", m.text()).add("color", m.color()));
      }
      mappings.add(Json.createObjectBuilder().add("type", "value").add("options", options));
    }
    return b.add("type", "stat")
        .add("datasource", datasource)
        .add(
            "fieldConfig",
            Json.createObjectBuilder()
                .add(
                    "defaults",
                    Json.createObjectBuilder()
                        .add("unit", stat.unit())
                        .add("decimals", 2)
                        .add("mappings", mappings)
                        .add("thresholds", thresholds(stat.thresholds())))
                .add("overrides", Json.createArrayBuilder()))
        .add(
            "options",
            Json.createObjectBuilder()
                .add(
                    "reduceOptions",
                    Json.createObjectBuilder()
                        .add("calcs", Json.createArrayBuilder().add("lastNotNull"))
                        .add("fields", "")
                        .add("values", false))
                .add("colorMode", "value")
                .add("graphMode", "area")
                .add("textMode", stat.textMode())
                .add("justifyMode", "auto")
                .add("orientation", "auto"))
        .add("targets", targets(stat.targets()))
        .build();
  }

  private JsonObject thresholds(List<Panel.Threshold> steps) {
    String base = steps.isEmpty() ? "green" : "red";
    JsonArrayBuilder list =
        Json.createArrayBuilder()
            .add(Json.createObjectBuilder().add("color", base).addNull("value"));
    steps.forEach(
        s -> list.add(Json.createObjectBuilder().add("color", s.color()).add("value", s.value())));
    return Json.createObjectBuilder().add("mode", "absolute").add("steps", list).build();
  }

  private JsonArrayBuilder targets(List<Target> targets) {
    JsonArrayBuilder list = Json.createArrayBuilder();
    for (int i = 0; i < targets.size(); i++) {
      Target t = targets.get(i);
      list.add(
          Json.createObjectBuilder()
              .add("refId", String.valueOf((char) ('A' + i)))
              .add("datasource", datasource)
              .add("expr", t.expr())
              .add("legendFormat", t.legend().isEmpty() ? "__auto" : t.legend())
              .add("range", true)
              .add("editorMode", "code"));
    }
    return list;
  }
}
