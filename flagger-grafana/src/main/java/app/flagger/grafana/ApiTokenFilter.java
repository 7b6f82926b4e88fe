package app.flagger.grafana;

import io.helidon.config.Config;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * Guards every endpoint of the provisioner except {@code /health} and {@code /metrics} (probes and
 * scraping) with a bearer token read from {@code grafana.api.token-file}. The file is read at each
 * request, so a rotated Secret applies at once; the comparison takes the same time whatever the
 * token sent. Without a token file the guarded endpoints answer 403: the API is never open by
 * default. The token is never logged.
 */
final class ApiTokenFilter implements Filter {
  /** The configuration key of the token file. */
  static final String KEY = "grafana.api.token-file";

  private static final System.Logger LOG = System.getLogger(ApiTokenFilter.class.getName());
  private static final String TEXT = "text/plain; charset=UTF-8";

  private final Optional<Path> tokenFile;

  ApiTokenFilter(Optional<Path> tokenFile) {
    this.tokenFile = tokenFile;
  }

  /** From the root configuration ({@value #KEY}, blank meaning unset). */
  static ApiTokenFilter from(Config root) {
    return new ApiTokenFilter(
        root.get(KEY)
            .asString()
            .asOptional()
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .map(Path::of));
  }

  @Override
  public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    if (unguarded(req.path().path())) {
      chain.proceed();
      return;
    }
    if (tokenFile.isEmpty()) {
      refuse(
          res,
          Status.FORBIDDEN_403,
          "Forbidden: the provisioner's API is off because no token is configured; set "
              + KEY
              + " (env GRAFANA_API_TOKEN_dash_FILE) to a file holding a bearer token, e.g."
              + " key \"token\" of Secret flagger-grafana-api mounted as a volume");
      return;
    }
    Optional<String> expected = readToken(tokenFile.get());
    if (expected.isEmpty()) {
      refuse(
          res,
          Status.SERVICE_UNAVAILABLE_503,
          "Service Unavailable: " + KEY + ": cannot read a token from " + tokenFile.get());
      return;
    }
    Optional<String> sent = req.headers().first(HeaderNames.AUTHORIZATION);
    if (sent.isPresent() && sameDigest("Bearer " + expected.get(), sent.get().trim())) {
      chain.proceed();
      return;
    }
    res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"flagger-grafana\"");
    refuse(
        res,
        Status.UNAUTHORIZED_401,
        "Unauthorized: send the token of " + KEY + " as 'Authorization: Bearer <token>'");
  }

  private static void refuse(RoutingResponse res, Status status, String message) {
    res.status(status).header(HeaderNames.CONTENT_TYPE, TEXT).send(message);
  }

  /** Probes and scraping stay open: {@code /health}, {@code /metrics} and what lies below them. */
  static boolean unguarded(String path) {
    for (String open : new String[] {"/health", "/metrics"}) {
      if (path.equals(open) || path.startsWith(open + "/")) {
        return true;
      }
    }
    return false;
  }

  private static Optional<String> readToken(Path file) {
    try {
      return Optional.of(Files.readString(file, StandardCharsets.UTF_8).trim())
          .filter(s -> !s.isEmpty());
    } catch (IOException e) {
      LOG.log(Level.WARNING, "{0}: cannot read {1} ({2})", KEY, file, e.getClass().getSimpleName());
      return Optional.empty();
    }
  }

  /** Compares SHA-256 digests, so neither the content nor the length leaks through timing. */
  private static boolean sameDigest(String expected, String sent) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] a = sha.digest(expected.getBytes(StandardCharsets.UTF_8));
      byte[] b = sha.digest(sent.getBytes(StandardCharsets.UTF_8));
      return MessageDigest.isEqual(a, b);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
