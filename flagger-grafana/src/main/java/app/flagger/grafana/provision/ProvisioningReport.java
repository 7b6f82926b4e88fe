package app.flagger.grafana.provision;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The result of one successful provisioning run.
 *
 * @param grafanaVersion Grafana's version from {@code /api/health}, or {@code files}
 * @param datasource what happened to the datasource
 * @param folder what happened to the folder
 * @param dashboards what happened to each dashboard, by uid
 */
public record ProvisioningReport(
    String grafanaVersion, Change datasource, Change folder, Map<String, Change> dashboards) {
  public ProvisioningReport {
    dashboards = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(dashboards));
  }

  /** Whether anything was created or updated. */
  public boolean changed() {
    return datasource != Change.UNCHANGED
        || folder != Change.UNCHANGED
        || dashboards.values().stream().anyMatch(c -> c != Change.UNCHANGED);
  }

  /**
   * One line for the log, e.g. {@code datasource CREATED, folder CREATED, 7 dashboards (7
   * CREATED)}.
   */
  public String summary() {
    Map<Change, Long> counts = new java.util.EnumMap<>(Change.class);
    dashboards.values().forEach(c -> counts.merge(c, 1L, Long::sum));
    return "datasource "
        + datasource
        + ", folder "
        + folder
        + ", "
        + dashboards.size()
        + " dashboards "
        + counts;
  }
}
