package app.flagger.grafana.provision;

/** Applies the desired state somewhere: Grafana's HTTP API, or provisioning files. */
public interface ProvisioningTarget {

  /**
   * Makes the target match the desired state, idempotently.
   *
   * @throws app.flagger.grafana.client.GrafanaException when Grafana fails or rejects a call
   */
  ProvisioningReport apply(DesiredState desired);

  /**
   * What the loop says it is waiting for, e.g. {@code Grafana's HTTP API at http://grafana:3000}.
   */
  String describe();
}
