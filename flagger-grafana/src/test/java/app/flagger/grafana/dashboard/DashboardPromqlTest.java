package app.flagger.grafana.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.grafana.support.PrometheusProcess;
import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every panel expression and every variable selector of every generated dashboard is valid PromQL
 * for the real Prometheus parser (one Prometheus process for all of them).
 */
class DashboardPromqlTest {
  private static PrometheusProcess prometheus;

  @BeforeAll
  static void startPrometheus() throws Exception {
    prometheus = PrometheusProcess.start();
  }

  @AfterAll
  static void stopPrometheus() throws Exception {
    if (prometheus != null) {
      prometheus.close();
    }
  }

  @Test
  void everyExpressionParses() throws Exception {
    List<String> failures = new ArrayList<>();
    int checked = 0;
    for (Dashboard dashboard : Dashboards.all()) {
      for (String expr : expressions(dashboard)) {
        String query = PrometheusProcess.substituteVariables(expr);
        assertThat(query).as("unsubstituted variable in %s", expr).doesNotContain("$");
        JsonObject answer = prometheus.query(query);
        if (!"success".equals(answer.getString("status", ""))) {
          failures.add(
              dashboard.uid()
                  + ": "
                  + answer.getString("errorType", "?")
                  + " "
                  + answer.getString("error", "")
                  + "\n    "
                  + query);
        }
        checked++;
      }
    }
    assertThat(failures).as("expressions Prometheus rejected").isEmpty();
    assertThat(checked).isGreaterThan(100);
  }

  @Test
  void aBrokenExpressionIsReportedAsBadData() throws Exception {
    JsonObject answer = prometheus.query("sum(rate(istio_requests_total[1m])");
    assertThat(answer.getString("errorType")).isEqualTo("bad_data");
  }

  private static List<String> expressions(Dashboard dashboard) {
    List<String> out = new ArrayList<>();
    for (Panel panel : dashboard.panels()) {
      switch (panel) {
        case Panel.Row r -> {}
        case Panel.TimeSeries ts -> ts.targets().forEach(t -> out.add(t.expr()));
        case Panel.Stat s -> s.targets().forEach(t -> out.add(t.expr()));
      }
    }
    dashboard.variables().forEach(v -> out.add(v.selector()));
    return out;
  }
}
