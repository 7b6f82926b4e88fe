/**
 * Flagger's query templates: the Go {@code text/template} subset MetricTemplates and the builtin
 * queries are written in, the model they render from, and Go's number and duration formatting.
 */
package app.flagger.controller.metrics.template;
