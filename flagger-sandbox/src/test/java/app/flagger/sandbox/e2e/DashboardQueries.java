package app.flagger.sandbox.e2e;

import app.flagger.grafana.dashboard.Dashboard;
import app.flagger.grafana.dashboard.Dashboards;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every panel query of a generated Grafana dashboard, read from the dashboard JSON that the
 * provisioner uploads, with the template variables filled in as Grafana would for the sandbox's
 * canary.
 */
final class DashboardQueries {
  /** One query of one panel, variables substituted. */
  record Query(String dashboard, String panel, String expr) {}

  private DashboardQueries() {}

  /**
   * The queries of dashboard {@code uid}.
   *
   * @param variables value of each {@code $name}; {@code $__rate_interval} and {@code $__range} are
   *     set here
   * @param outgoingWorkload for the "Outgoing" panels, the workload whose outgoing traffic is shown
   *     (in the sandbox the pods call nobody; the load tester is the workload that calls)
   */
  static List<Query> of(String uid, Map<String, String> variables, String outgoingWorkload) {
    Dashboard dashboard =
        Dashboards.all().stream()
            .filter(d -> d.uid().equals(uid))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no dashboard " + uid));
    JsonObject json = dashboard.toJson("prometheus");
    List<Query> out = new ArrayList<>();
    for (JsonValue v : json.getJsonArray("panels")) {
      JsonObject panel = v.asJsonObject();
      if (!panel.containsKey("targets")) {
        continue;
      }
      String title = panel.getString("title");
      for (JsonValue t : panel.getJsonArray("targets")) {
        String expr = t.asJsonObject().getString("expr");
        if (title.contains("Outgoing")) {
          expr = expr.replace("$primary", outgoingWorkload).replace("$canary", outgoingWorkload);
        }
        out.add(new Query(uid, title, substitute(expr, variables)));
      }
    }
    return out;
  }

  static String substitute(String expr, Map<String, String> variables) {
    String out = expr.replace("$__rate_interval", "1m").replace("$__range", "15m");
    // longest names first, so $canary does not eat the start of a longer name
    List<String> names = new ArrayList<>(variables.keySet());
    names.sort((a, b) -> b.length() - a.length());
    for (String name : names) {
      out = out.replace("$" + name, variables.get(name));
    }
    if (out.contains("$")) {
      throw new IllegalStateException("unsubstituted variable in " + out);
    }
    return out;
  }
}
