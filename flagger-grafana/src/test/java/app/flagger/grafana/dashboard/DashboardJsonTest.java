package app.flagger.grafana.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.model.metrics.FlaggerMetrics;
import app.flagger.model.metrics.MetricName;
import app.flagger.model.metrics.MetricType;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The generated dashboards are well-formed current Grafana dashboard JSON. */
class DashboardJsonTest {
  static final String DS = "flagger-prometheus";

  static Stream<Dashboard> dashboards() {
    return Dashboards.all().stream();
  }

  @ParameterizedTest
  @MethodSource("dashboards")
  void hasDashboardEnvelope(Dashboard dashboard) {
    JsonObject json = dashboard.toJson(DS);
    assertThat(json.getString("uid")).startsWith("flagger-").hasSizeLessThanOrEqualTo(40);
    assertThat(json.getString("title")).isNotBlank();
    assertThat(json.getInt("schemaVersion")).isGreaterThanOrEqualTo(36);
    assertThat(json.containsKey("id")).isFalse();
    assertThat(json.getJsonObject("templating").getJsonArray("list")).isNotEmpty();
    assertThat(json.getJsonArray("tags").getString(0)).isEqualTo("flagger");
  }

  @ParameterizedTest
  @MethodSource("dashboards")
  void everyPanelHasGridPosDatasourceAndTargets(Dashboard dashboard) {
    Set<Integer> ids = new HashSet<>();
    for (JsonObject panel : panels(dashboard)) {
      String title = panel.getString("title");
      assertThat(ids.add(panel.getInt("id"))).as("unique id of %s", title).isTrue();
      JsonObject pos = panel.getJsonObject("gridPos");
      assertThat(pos.getInt("x") + pos.getInt("w"))
          .as("width of %s", title)
          .isLessThanOrEqualTo(24);
      assertThat(pos.getInt("h")).isPositive();
      String type = panel.getString("type");
      assertThat(type).isIn("row", "timeseries", "stat");
      if (type.equals("row")) {
        continue;
      }
      assertThat(panel.getJsonObject("datasource").getString("uid")).isEqualTo(DS);
      assertThat(panel.getJsonArray("targets")).as("targets of %s", title).isNotEmpty();
      for (JsonObject target : panel.getJsonArray("targets").getValuesAs(JsonObject.class)) {
        assertThat(target.getString("expr")).isNotBlank();
        assertThat(target.getString("refId")).isNotBlank();
        assertThat(target.getJsonObject("datasource").getString("uid")).isEqualTo(DS);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("dashboards")
  void panelsDoNotOverlap(Dashboard dashboard) {
    List<int[]> boxes = new ArrayList<>();
    for (JsonObject panel : panels(dashboard)) {
      JsonObject p = panel.getJsonObject("gridPos");
      int[] box = {p.getInt("x"), p.getInt("y"), p.getInt("w"), p.getInt("h")};
      for (int[] o : boxes) {
        boolean overlap =
            box[0] < o[0] + o[2]
                && o[0] < box[0] + box[2]
                && box[1] < o[1] + o[3]
                && o[1] < box[1] + box[3];
        assertThat(overlap).as("%s overlaps another panel", panel.getString("title")).isFalse();
      }
      boxes.add(box);
    }
  }

  @ParameterizedTest
  @MethodSource("dashboards")
  void variablesQueryPrometheusLabelValues(Dashboard dashboard) {
    JsonObject json = dashboard.toJson(DS);
    for (JsonObject v :
        json.getJsonObject("templating").getJsonArray("list").getValuesAs(JsonObject.class)) {
      assertThat(v.getString("type")).isEqualTo("query");
      assertThat(v.getString("query"))
          .startsWith("label_values(")
          .isEqualTo(v.getString("definition"));
      assertThat(v.getJsonObject("datasource").getString("uid")).isEqualTo(DS);
    }
  }

  @ParameterizedTest
  @MethodSource("dashboards")
  void everyPanelVariableIsDefined(Dashboard dashboard) {
    Set<String> defined = new HashSet<>(Set.of("__rate_interval", "__range"));
    dashboard.variables().forEach(v -> defined.add(v.name()));
    for (String expr : expressions(dashboard)) {
      var m = java.util.regex.Pattern.compile("\\$(\\w+)").matcher(expr);
      while (m.find()) {
        assertThat(defined).as("variable in %s", expr).contains(m.group(1));
      }
    }
  }

  @Test
  void controllerDashboardUsesEveryControllerFamily() {
    List<String> exprs = expressions(ControllerDashboard.create());
    for (MetricName family : FlaggerMetrics.CONTROLLER) {
      String series = family.type() == MetricType.HISTOGRAM ? family.bucket() : family.name();
      assertThat(exprs).as("a panel showing %s", family.name()).anyMatch(e -> e.contains(series));
    }
  }

  @Test
  void controllerDashboardShowsTheLoadTestersTraffic() {
    List<String> exprs = expressions(ControllerDashboard.create());
    assertThat(exprs)
        .anyMatch(e -> e.contains(FlaggerMetrics.LOADTESTER_REQUESTS.name()))
        .anyMatch(e -> e.contains(FlaggerMetrics.LOADTESTER_LATENCY.bucket()));
  }

  /** Helidon adds scope="application": every controller query aggregates it away. */
  @Test
  void controllerQueriesAggregateAwayExtraLabels() {
    for (String expr : expressions(ControllerDashboard.create())) {
      assertThat(expr).doesNotContain("scope");
      assertThat(expr).matches("^(sum|max|histogram_quantile)\\(.*| ?(sum|max) by .*");
    }
  }

  @Test
  void uidsAreUnique() {
    assertThat(Dashboards.all().stream().map(Dashboard::uid)).doesNotHaveDuplicates();
  }

  static List<JsonObject> panels(Dashboard dashboard) {
    return dashboard.toJson(DS).getJsonArray("panels").stream()
        .map(JsonValue::asJsonObject)
        .toList();
  }

  static List<String> expressions(Dashboard dashboard) {
    List<String> out = new ArrayList<>();
    for (JsonObject panel : panels(dashboard)) {
      if (panel.containsKey("targets")) {
        panel.getJsonArray("targets").getValuesAs(JsonObject.class).stream()
            .map(t -> t.getString("expr"))
            .forEach(out::add);
      }
    }
    return out;
  }
}
