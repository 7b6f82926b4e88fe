/**
 * The flagger-grafana service: waits for Grafana, then provisions the Prometheus datasource and
 * Flagger's dashboards through Grafana's HTTP API (or writes Grafana's file provisioning), and
 * reports its state at {@code /health} and {@code /metrics}. {@link app.flagger.grafana.Main} is
 * the composition root.
 */
package app.flagger.grafana;
