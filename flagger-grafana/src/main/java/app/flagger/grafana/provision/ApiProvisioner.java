package app.flagger.grafana.provision;

import app.flagger.grafana.client.GrafanaClient;
import app.flagger.grafana.client.GrafanaException;
import app.flagger.model.json.Jsons;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.lang.System.Logger.Level;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Provisions through Grafana's HTTP API, keyed by uid: the datasource and folder are created when
 * missing (the datasource updated when it differs), and each dashboard is saved only when its
 * content or folder differs, carrying Grafana's current {@code version} so a concurrent edit is a
 * 412 that is re-read and retried.
 */
public final class ApiProvisioner implements ProvisioningTarget {
  private static final System.Logger LOG = System.getLogger(ApiProvisioner.class.getName());
  static final int CONFLICT_ATTEMPTS = 3;
  static final String MESSAGE = "Provisioned by flagger-grafana";

  private final GrafanaClient client;
  private final String url;

  public ApiProvisioner(GrafanaClient client, String url) {
    this.client = client;
    this.url = url;
  }

  @Override
  public String describe() {
    return "Grafana's HTTP API at " + url;
  }

  @Override
  public ProvisioningReport apply(DesiredState desired) {
    String version = client.health();
    Change datasource = ensureDatasource(desired.datasource());
    Change folder = ensureFolder(desired.folderUid(), desired.folderTitle());
    Map<String, Change> dashboards = new LinkedHashMap<>();
    for (JsonObject dashboard : desired.dashboards()) {
      dashboards.put(dashboard.getString("uid"), ensureDashboard(dashboard, desired.folderUid()));
    }
    return new ProvisioningReport(version, datasource, folder, dashboards);
  }

  private Change ensureDatasource(JsonObject wanted) {
    String uid = wanted.getString("uid");
    for (int attempt = 1; ; attempt++) {
      Optional<JsonObject> existing = client.datasource(uid);
      try {
        if (existing.isEmpty()) {
          createDatasource(wanted);
          return Change.CREATED;
        }
        if (JsonSubset.contains(existing.get(), wanted)) {
          return Change.UNCHANGED;
        }
        JsonObjectBuilder body = Jsons.createObjectBuilder(wanted);
        if (existing.get().containsKey("version")) {
          body.add("version", existing.get().get("version"));
        }
        client.updateDatasource(uid, body.build());
        return Change.UPDATED;
      } catch (GrafanaException e) {
        retryOnConflict(e, attempt, "datasource " + uid);
      }
    }
  }

  private void createDatasource(JsonObject wanted) {
    try {
      client.createDatasource(wanted);
    } catch (GrafanaException e) {
      if (e.kind() != GrafanaException.Kind.CONFLICT) {
        throw e;
      }
      throw new GrafanaException(
          GrafanaException.Kind.REJECTED,
          e.status(),
          "creating datasource '"
              + wanted.getString("name")
              + "' (uid "
              + wanted.getString("uid")
              + "): Grafana already has a datasource with that name under another uid; delete"
              + " or rename it, or set grafana.datasource.name / grafana.datasource.uid",
          e);
    }
  }

  private Change ensureFolder(String uid, String title) {
    if (client.folder(uid).isPresent()) {
      return Change.UNCHANGED;
    }
    try {
      client.createFolder(uid, title);
    } catch (GrafanaException e) {
      if (e.kind() != GrafanaException.Kind.CONFLICT) {
        throw e;
      }
      throw new GrafanaException(
          GrafanaException.Kind.REJECTED,
          e.status(),
          "creating folder '"
              + title
              + "' (uid "
              + uid
              + "): Grafana already has a folder with that title under another uid; delete or"
              + " rename it, or set grafana.folder-uid to its uid",
          e);
    }
    return Change.CREATED;
  }

  private Change ensureDashboard(JsonObject wanted, String folderUid) {
    String uid = wanted.getString("uid");
    for (int attempt = 1; ; attempt++) {
      Optional<JsonObject> existing = client.dashboard(uid);
      JsonObjectBuilder body = Jsons.createObjectBuilder(wanted);
      if (existing.isPresent()) {
        JsonObject current = existing.get().getJsonObject("dashboard");
        JsonObject meta = existing.get().getJsonObject("meta");
        String currentFolder = meta == null ? "" : meta.getString("folderUid", "");
        if (current != null
            && folderUid.equals(currentFolder)
            && JsonSubset.contains(current, wanted)) {
          return Change.UNCHANGED;
        }
        if (current != null) {
          copy(current, "id", body);
          copy(current, "version", body);
        }
      }
      try {
        client.saveDashboard(body.build(), folderUid, MESSAGE);
        return existing.isPresent() ? Change.UPDATED : Change.CREATED;
      } catch (GrafanaException e) {
        retryOnConflict(e, attempt, "dashboard " + uid);
      }
    }
  }

  private static void retryOnConflict(GrafanaException e, int attempt, String what) {
    if (e.kind() != GrafanaException.Kind.CONFLICT || attempt >= CONFLICT_ATTEMPTS) {
      throw e;
    }
    LOG.log(
        Level.INFO,
        "{0} changed in Grafana meanwhile ({1}); re-reading it and retrying ({2}/{3})",
        what,
        e.status(),
        attempt,
        CONFLICT_ATTEMPTS);
  }

  private static void copy(JsonObject from, String key, JsonObjectBuilder to) {
    if (from.containsKey(key)
        && from.get(key).getValueType() != jakarta.json.JsonValue.ValueType.NULL) {
      to.add(key, from.get(key));
    }
  }
}
