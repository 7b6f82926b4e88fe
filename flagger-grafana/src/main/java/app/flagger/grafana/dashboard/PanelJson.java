package app.flagger.grafana.dashboard;

import app.flagger.model.json.Jsons;
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
        Jsons.createObjectBuilder()
            .add("id", id)
            .add("title", panel.title())
            .add("gridPos", pos.toJson());
    return switch (panel) {
      case Panel.Row row ->
          b.add("type", "row")
              .add("collapsed", false)
              .add("panels", Jsons.createArrayBuilder())
              .build();
      case Panel.TimeSeries ts -> timeseries(b, ts);
      case Panel.Stat stat -> stat(b, stat);
    };
  }

  private JsonObject timeseries(JsonObjectBuilder b, Panel.TimeSeries ts) {
    JsonObjectBuilder custom =
        Jsons.createObjectBuilder()
            .add("drawStyle", "line")
            .add("lineWidth", 1)
            .add("fillOpacity", ts.stacked() ? 30 : 10)
            .add("showPoints", "never")
            .add("spanNulls", false)
            .add(
                "stacking",
                Jsons.createObjectBuilder().add("mode", ts.stacked() ? "normal" : "none"));
    return b.add("type", "timeseries")
        .add("datasource", datasource)
        .add(
            "fieldConfig",
            Jsons.createObjectBuilder()
                .add(
                    "defaults",
                    Jsons.createObjectBuilder()
                        .add("unit", ts.unit())
                        .add("custom", custom)
                        .add("thresholds", thresholds(List.of())))
                .add("overrides", Jsons.createArrayBuilder()))
        .add(
            "options",
            Jsons.createObjectBuilder()
                .add(
                    "legend",
                    Jsons.createObjectBuilder()
                        .add("displayMode", "list")
                        .add("placement", "bottom")
                        .add("showLegend", true))
                .add(
                    "tooltip",
                    Jsons.createObjectBuilder().add("mode", "multi").add("sort", "desc")))
        .add("targets", targets(ts.targets()))
        .build();
  }

  private JsonObject stat(JsonObjectBuilder b, Panel.Stat stat) {
    JsonArrayBuilder mappings = Jsons.createArrayBuilder();
    if (!stat.mappings().isEmpty()) {
      JsonObjectBuilder options = Jsons.createObjectBuilder();
      for (Panel.ValueText m : stat.mappings()) {
        options.add(
            String.valueOf(m.value()),
            Jsons.createObjectBuilder().add("text", m.text()).add("color", m.color()));
      }
      mappings.add(Jsons.createObjectBuilder().add("type", "value").add("options", options));
    }
    return b.add("type", "stat")
        .add("datasource", datasource)
        .add(
            "fieldConfig",
            Jsons.createObjectBuilder()
                .add(
                    "defaults",
                    Jsons.createObjectBuilder()
                        .add("unit", stat.unit())
                        .add("decimals", 2)
                        .add("mappings", mappings)
                        .add("thresholds", thresholds(stat.thresholds())))
                .add("overrides", Jsons.createArrayBuilder()))
        .add(
            "options",
            Jsons.createObjectBuilder()
                .add(
                    "reduceOptions",
                    Jsons.createObjectBuilder()
                        .add("calcs", Jsons.createArrayBuilder().add("lastNotNull"))
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
        Jsons.createArrayBuilder()
            .add(Jsons.createObjectBuilder().add("color", base).addNull("value"));
    steps.forEach(
        s -> list.add(Jsons.createObjectBuilder().add("color", s.color()).add("value", s.value())));
    return Jsons.createObjectBuilder().add("mode", "absolute").add("steps", list).build();
  }

  private JsonArrayBuilder targets(List<Target> targets) {
    JsonArrayBuilder list = Jsons.createArrayBuilder();
    for (int i = 0; i < targets.size(); i++) {
      Target t = targets.get(i);
      list.add(
          Jsons.createObjectBuilder()
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
