package app.flagger.controller.metrics.observers;

/**
 * The request counts behind a builtin {@code request-success-rate} with {@code comparison.kind:
 * proportion}: the successful (non-5xx) requests and all requests over the metric's interval, as Go
 * templates like the observer's own queries ({@code sum(increase(...[{{ interval }}]))}).
 *
 * @param successes the query counting successful requests
 * @param total the query counting all requests
 */
public record RequestCounts(String successes, String total) {}
