/**
 * Grafana dashboards as code: one class per dashboard (a mesh's canary analysis, or the controller
 * itself), built from small panel, target and variable records. Metric names come from {@code
 * flagger-model} wherever Flagger's own series are used, so a renamed metric breaks the build
 * instead of silently emptying a panel.
 */
package app.flagger.grafana.dashboard;
