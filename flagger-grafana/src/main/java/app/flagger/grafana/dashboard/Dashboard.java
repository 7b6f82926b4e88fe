package app.flagger.grafana.dashboard;

import app.flagger.model.json.Jsons;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.util.List;

/**
 * A generated dashboard. {@link #toJson(String)} renders the Grafana dashboard model (without
 * {@code id} and {@code version}, which Grafana owns) pointing every panel, target and variable at
 * the Prometheus datasource with the given uid.
 *
 * @param uid stable uid, the key of idempotent provisioning
 */
public record Dashboard(
    String uid,
    String title,
    String description,
    List<String> tags,
    List<Variable> variables,
    List<Panel> panels) {

  /** The dashboard schema version written; Grafana 10.4 and later read it without migration. */
  public static final int SCHEMA_VERSION = 39;

  public Dashboard {
    tags = List.copyOf(tags);
    variables = List.copyOf(variables);
    panels = List.copyOf(panels);
  }

  /** The Grafana dashboard JSON for a datasource uid. */
  public JsonObject toJson(String datasourceUid) {
    JsonObject datasource =
        Jsons.createObjectBuilder().add("type", "prometheus").add("uid", datasourceUid).build();
    PanelJson renderer = new PanelJson(datasource);
    GridLayout layout = new GridLayout();
    JsonArrayBuilder panelList = Jsons.createArrayBuilder();
    int id = 1;
    for (Panel panel : panels) {
      GridPos pos =
          switch (panel) {
            case Panel.Row r -> layout.row();
            case Panel.TimeSeries ts -> layout.next(ts.width(), ts.height());
            case Panel.Stat s -> layout.next(s.width(), s.height());
          };
      panelList.add(renderer.render(panel, id++, pos));
    }
    JsonArrayBuilder tagList = Jsons.createArrayBuilder();
    tags.forEach(tagList::add);
    return Jsons.createObjectBuilder()
        .add("uid", uid)
        .add("title", title)
        .add("description", description)
        .add("tags", tagList)
        .add("schemaVersion", SCHEMA_VERSION)
        .add("editable", true)
        .add("graphTooltip", 1)
        .add("timezone", "browser")
        .add("refresh", "10s")
        .add("time", Jsons.createObjectBuilder().add("from", "now-15m").add("to", "now"))
        .add("timepicker", timepicker())
        .add("annotations", annotations())
        .add("templating", Jsons.createObjectBuilder().add("list", variables(datasource)))
        .add("links", Jsons.createArrayBuilder())
        .add("panels", panelList)
        .build();
  }

  private JsonArrayBuilder variables(JsonObject datasource) {
    JsonArrayBuilder list = Jsons.createArrayBuilder();
    for (Variable v : variables) {
      JsonObjectBuilder b =
          Jsons.createObjectBuilder()
              .add("name", v.name())
              .add("label", v.label())
              .add("type", "query")
              .add("datasource", datasource)
              .add("definition", v.query())
              // the classic string form, which every Grafana version reads for Prometheus
              .add("query", v.query())
              .add("refresh", 2)
              .add("regex", v.regex())
              .add("sort", 1)
              .add("hide", 0)
              .add("multi", v.multi())
              .add("includeAll", v.multi())
              .add("current", Jsons.createObjectBuilder())
              .add("options", Jsons.createArrayBuilder());
      if (v.multi()) {
        b.add("allValue", ".*");
      }
      list.add(b);
    }
    return list;
  }

  private static JsonObject timepicker() {
    JsonArrayBuilder intervals = Jsons.createArrayBuilder();
    List.of("5s", "10s", "30s", "1m", "5m", "15m", "30m", "1h", "2h", "1d").forEach(intervals::add);
    return Jsons.createObjectBuilder().add("refresh_intervals", intervals).build();
  }

  private static JsonObject annotations() {
    return Jsons.createObjectBuilder()
        .add(
            "list",
            Jsons.createArrayBuilder()
                .add(
                    Jsons.createObjectBuilder()
                        .add("builtIn", 1)
                        .add(
                            "datasource",
                            Jsons.createObjectBuilder()
                                .add("type", "grafana")
                                .add("uid", "-- Grafana --"))
                        .add("enable", true)
                        .add("hide", true)
                        .add("iconColor", "rgba(0, 211, 255, 1)")
                        .add("name", "Annotations & Alerts")
                        .add("type", "dashboard")))
        .build();
  }
}
