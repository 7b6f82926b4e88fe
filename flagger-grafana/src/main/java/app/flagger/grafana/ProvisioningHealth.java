package app.flagger.grafana;

import app.flagger.grafana.provision.ProvisioningLoop;
import app.flagger.grafana.provision.ProvisioningState;
import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;

/** Readiness is UP only once everything is provisioned; the details say what is missing. */
final class ProvisioningHealth implements HealthCheck {
  private final ProvisioningLoop loop;

  ProvisioningHealth(ProvisioningLoop loop) {
    this.loop = loop;
  }

  @Override
  public String name() {
    return "grafana-provisioning";
  }

  @Override
  public HealthCheckType type() {
    return HealthCheckType.READINESS;
  }

  @Override
  public HealthCheckResponse call() {
    ProvisioningState state = loop.state();
    HealthCheckResponse.Builder b =
        HealthCheckResponse.builder()
            .status(state instanceof ProvisioningState.Ready)
            .detail("phase", state.phase());
    switch (state) {
      case ProvisioningState.Ready r ->
          b.detail("dashboards", r.report().dashboards().size())
              .detail("grafanaVersion", r.report().grafanaVersion())
              .detail("at", r.at().toString());
      case ProvisioningState.Waiting w ->
          b.detail("reason", w.reason()).detail("attempt", w.attempt());
      case ProvisioningState.Failed f ->
          b.detail("reason", f.reason()).detail("attempt", f.attempt());
      case ProvisioningState.Starting s -> {}
    }
    return b.build();
  }
}
