package app.flagger.grafana.provision;

import java.time.Duration;
import java.time.Instant;

/** Where provisioning stands; only {@link Ready} makes the service ready. */
public sealed interface ProvisioningState {

  /** A short name for status output and the log. */
  String phase();

  /** Not tried yet. */
  record Starting() implements ProvisioningState {
    @Override
    public String phase() {
      return "starting";
    }
  }

  /** Grafana is not reachable or not ready; retrying after {@code retryIn}. */
  record Waiting(String reason, int attempt, Duration retryIn, Instant at)
      implements ProvisioningState {
    @Override
    public String phase() {
      return "waiting";
    }
  }

  /** Grafana or the configuration rejected provisioning (401, 403, 400, unreadable secret). */
  record Failed(String reason, int attempt, Duration retryIn, Instant at)
      implements ProvisioningState {
    @Override
    public String phase() {
      return "failed";
    }
  }

  /** Everything is provisioned. */
  record Ready(ProvisioningReport report, Instant at) implements ProvisioningState {
    @Override
    public String phase() {
      return "ready";
    }
  }
}
