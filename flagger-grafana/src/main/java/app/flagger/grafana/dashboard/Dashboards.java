package app.flagger.grafana.dashboard;

import java.util.List;

/** The catalogue of generated dashboards. */
public final class Dashboards {
  private Dashboards() {}

  /** Every dashboard flagger-grafana provisions, the controller's first. */
  public static List<Dashboard> all() {
    return List.of(
        ControllerDashboard.create(),
        IstioDashboard.create(),
        LinkerdDashboard.create(),
        AppMeshDashboard.create(),
        EnvoyDashboard.create(),
        NginxDashboard.create(),
        GatewayApiDashboard.create());
  }
}
