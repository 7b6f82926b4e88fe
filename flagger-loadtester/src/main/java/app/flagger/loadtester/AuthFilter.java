package app.flagger.loadtester;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Requires {@code Authorization: Bearer <token>} on every endpoint except {@code /healthz}, {@code
 * /health} and {@code /metrics} (probes and scraping); answers 401 otherwise. Installed whenever a
 * token is configured, which {@link Main} requires unless authentication is disabled. The token is
 * compared in constant time and never logged.
 */
public final class AuthFilter implements Filter {
  private final byte[] expected;

  public AuthFilter(String token) {
    this.expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    String path = req.path().path();
    if (isPublic(path) || authorized(req.headers().first(HeaderNames.AUTHORIZATION))) {
      chain.proceed();
      return;
    }
    res.status(Status.UNAUTHORIZED_401)
        .header(HeaderNames.WWW_AUTHENTICATE, "Bearer")
        .header(HeaderNames.CONTENT_TYPE, "text/plain; charset=UTF-8")
        .send("Unauthorized: a valid bearer token is required");
  }

  static boolean isPublic(String path) {
    return path.equals("/healthz")
        || path.equals("/health")
        || path.startsWith("/health/")
        || path.equals("/metrics")
        || path.startsWith("/metrics/");
  }

  private boolean authorized(Optional<String> header) {
    return header
        .map(h -> MessageDigest.isEqual(expected, h.trim().getBytes(StandardCharsets.UTF_8)))
        .orElse(false);
  }
}
