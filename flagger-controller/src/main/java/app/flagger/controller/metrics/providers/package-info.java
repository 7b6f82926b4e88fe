/**
 * Metrics backends behind {@link app.flagger.controller.metrics.providers.MetricsProvider}: one
 * class per MetricTemplate provider type, built by {@link
 * app.flagger.controller.metrics.providers.ProviderFactory}.
 */
package app.flagger.controller.metrics.providers;
