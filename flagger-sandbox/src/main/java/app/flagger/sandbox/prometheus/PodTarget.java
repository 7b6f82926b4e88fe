package app.flagger.sandbox.prometheus;

import java.util.Map;

/**
 * A pod Prometheus scrapes (job {@code kubernetes-pods}).
 *
 * @param address {@code 127.0.0.1:<port>}
 * @param labels target labels, e.g. namespace, pod, container
 */
public record PodTarget(String address, Map<String, String> labels) {}
