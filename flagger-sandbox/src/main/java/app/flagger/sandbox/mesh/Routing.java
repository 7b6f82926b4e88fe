package app.flagger.sandbox.mesh;

import java.time.Duration;

/**
 * Where one request goes.
 *
 * @param target the chosen destination
 * @param mirror where a copy goes, or null
 * @param timeout the route's timeout, or null
 */
public record Routing(Target target, Target mirror, Duration timeout) {}
