package app.flagger.grafana.dashboard;

/**
 * One PromQL query of a panel.
 *
 * @param expr the PromQL expression; may use the dashboard's variables ({@code $namespace}) and
 *     Grafana's {@code $__rate_interval} / {@code $__range}
 * @param legend the legend format, e.g. {@code {{pod}}}
 */
public record Target(String expr, String legend) {
  public Target {
    if (expr == null || expr.isBlank()) {
      throw new IllegalArgumentException("target expr must not be blank");
    }
    legend = legend == null ? "" : legend;
  }

  static Target of(String expr) {
    return new Target(expr, "");
  }
}
