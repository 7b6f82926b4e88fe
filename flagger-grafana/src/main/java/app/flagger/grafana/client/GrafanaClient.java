package app.flagger.grafana.client;

import jakarta.json.JsonObject;
import java.util.Optional;

/**
 * The Grafana HTTP API calls provisioning needs. Every method throws {@link GrafanaException} on
 * failure.
 */
public interface GrafanaClient {

  /** {@code GET /api/health}: returns Grafana's version once its database is ok. */
  String health();

  /** {@code GET /api/datasources/uid/:uid}, empty on 404. */
  Optional<JsonObject> datasource(String uid);

  /** {@code POST /api/datasources}. */
  void createDatasource(JsonObject datasource);

  /** {@code PUT /api/datasources/uid/:uid}. */
  void updateDatasource(String uid, JsonObject datasource);

  /** {@code GET /api/folders/:uid}, empty on 404. */
  Optional<JsonObject> folder(String uid);

  /** {@code POST /api/folders}. */
  void createFolder(String uid, String title);

  /** {@code GET /api/dashboards/uid/:uid}: {@code {dashboard, meta}}, empty on 404. */
  Optional<JsonObject> dashboard(String uid);

  /**
   * {@code POST /api/dashboards/db} without overwrite: Grafana answers 412 (a {@link
   * GrafanaException.Kind#CONFLICT}) when {@code dashboard.version} is stale.
   */
  void saveDashboard(JsonObject dashboard, String folderUid, String message);
}
