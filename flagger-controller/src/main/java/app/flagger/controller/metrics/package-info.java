/** Metric analysis: providers, observers (builtin queries), templates and checks. */
package app.flagger.controller.metrics;
