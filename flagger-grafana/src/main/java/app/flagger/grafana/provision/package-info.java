/**
 * Provisioning: the desired state (datasource, folder, dashboards), the two ways to apply it
 * (Grafana's HTTP API, or Grafana's provisioning files), and the loop that waits for Grafana with
 * backoff, re-provisions on configuration change and resyncs periodically.
 */
package app.flagger.grafana.provision;
