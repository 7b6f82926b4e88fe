package app.flagger.grafana;

import app.flagger.grafana.provision.ProvisioningLoop;
import app.flagger.grafana.provision.ProvisioningState;
import app.flagger.model.json.Jsons;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.JsonObjectBuilder;

/**
 * {@code GET /status}: the provisioning state as JSON; {@code POST /provision}: provision again now
 * (idempotent). Both sit behind {@link ApiTokenFilter} (bearer token of {@code
 * grafana.api.token-file}).
 */
final class ProvisioningRoutes implements HttpService {
  private final ProvisioningLoop loop;

  ProvisioningRoutes(ProvisioningLoop loop) {
    this.loop = loop;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/status", this::status).post("/provision", this::provision);
  }

  private void status(ServerRequest req, ServerResponse res) {
    ProvisioningState state = loop.state();
    GrafanaConfig config = loop.config();
    JsonObjectBuilder b = Jsons.createObjectBuilder().add("phase", state.phase());
    if (config != null) {
      b.add("mode", config.mode().name().toLowerCase(java.util.Locale.ROOT))
          .add("grafana", config.url().toString())
          .add("prometheus", config.prometheusUrl().toString())
          .add("folder", config.folder());
    }
    switch (state) {
      case ProvisioningState.Ready r -> {
        JsonObjectBuilder dashboards = Jsons.createObjectBuilder();
        r.report().dashboards().forEach((uid, change) -> dashboards.add(uid, change.name()));
        b.add("at", r.at().toString())
            .add("grafanaVersion", r.report().grafanaVersion())
            .add("datasource", r.report().datasource().name())
            .add("dashboards", dashboards);
      }
      case ProvisioningState.Waiting w ->
          b.add("reason", w.reason())
              .add("attempt", w.attempt())
              .add("retryInSeconds", w.retryIn().toMillis() / 1000.0);
      case ProvisioningState.Failed f ->
          b.add("reason", f.reason())
              .add("attempt", f.attempt())
              .add("retryInSeconds", f.retryIn().toMillis() / 1000.0);
      case ProvisioningState.Starting s -> {}
    }
    res.header(HeaderNames.CONTENT_TYPE, "application/json").send(b.build().toString());
  }

  private void provision(ServerRequest req, ServerResponse res) {
    loop.trigger();
    res.status(Status.ACCEPTED_202).send();
  }
}
