package app.flagger.sandbox.mesh;

/**
 * One {@code route} entry of an HTTP route.
 *
 * @param host the destination host as written in the VirtualService
 * @param weight its weight (an only destination without a weight gets 100)
 */
public record WeightedDestination(String host, int weight) {}
