package app.flagger.sandbox.mesh;

import java.util.List;

/**
 * A Service a request goes to, with its ready endpoints.
 *
 * @param service the Service's host
 * @param endpoints its ready endpoints (possibly none)
 */
public record Target(HostName service, List<Endpoint> endpoints) {}
