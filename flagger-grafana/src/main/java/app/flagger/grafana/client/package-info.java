/**
 * A small client for the parts of Grafana's HTTP API that provisioning needs (health, datasources,
 * folders, dashboards), with errors that say what to do about them.
 */
package app.flagger.grafana.client;
