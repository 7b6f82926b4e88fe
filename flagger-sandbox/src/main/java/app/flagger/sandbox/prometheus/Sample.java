package app.flagger.sandbox.prometheus;

import java.util.Map;

/**
 * One element of a Prometheus instant-query result.
 *
 * @param labels the series labels ({@code __name__} included when present)
 * @param value the sample value
 */
public record Sample(Map<String, String> labels, double value) {}
