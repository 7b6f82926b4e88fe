package app.flagger.controller.webhook;

import io.helidon.config.Config;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The bearer token the controller sends to the load tester, and the webhook URLs it is sent to.
 * Flagger's Canary has no field for webhook headers, so the token is a controller setting ({@code
 * flagger.webhook-auth.*}, docs/install.md) and Canary specs stay unchanged. The token is never
 * sent to a URL outside {@link #urls()} and never appears in {@link #toString()}.
 *
 * @param token the token itself, empty when none or when it is read from {@code tokenFile}
 * @param tokenFile a file holding the token (a mounted Secret), read at each matching call so a
 *     rotated Secret is picked up; empty when none
 * @param urls where the token goes: {@code scheme://host[:port][/path]} prefixes or bare host names
 */
public record WebhookAuth(String token, String tokenFile, List<Target> urls) {
  /** No token: every webhook is posted without {@code Authorization}. */
  public static final WebhookAuth NONE = new WebhookAuth("", "", List.of());

  public WebhookAuth {
    urls = List.copyOf(urls);
  }

  /**
   * One entry of {@code urls}: a bare host matches any scheme, port and path on that host; a URL
   * matches the same scheme, host and port, and paths under its path.
   */
  public record Target(String scheme, String host, int port, String path) {
    boolean matches(URI uri) {
      if (uri.getHost() == null || !host.equalsIgnoreCase(uri.getHost())) {
        return false;
      }
      if (scheme.isEmpty()) {
        return true;
      }
      String s = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals(s) || port != effectivePort(s, uri.getPort())) {
        return false;
      }
      String p = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
      return path.equals("/") || p.equals(path) || p.startsWith(path + "/");
    }

    @Override
    public String toString() {
      return scheme.isEmpty() ? host : scheme + "://" + host + ":" + port + path;
    }
  }

  /**
   * Reads {@code flagger.webhook-auth}: {@code token} or {@code token-file} (the file wins) and
   * {@code urls}, a comma-separated list or a YAML list.
   *
   * @throws IllegalArgumentException naming the key when a token is set without {@code urls}, or an
   *     entry of {@code urls} is not a host or an http(s) URL
   */
  public static WebhookAuth from(Config flagger) {
    Config c = flagger.get("webhook-auth");
    String token = c.get("token").asString().map(String::trim).orElse("");
    String file = c.get("token-file").asString().map(String::trim).orElse("");
    List<String> entries =
        c.get("urls").isList()
            ? c.get("urls").asList(String.class).orElse(List.of())
            : c.get("urls").asString().map(s -> Arrays.asList(s.split(","))).orElse(List.of());
    List<Target> urls = new ArrayList<>();
    for (String e : entries) {
      if (!e.isBlank()) {
        urls.add(target(e.trim()));
      }
    }
    if (token.isEmpty() && file.isEmpty()) {
      return NONE;
    }
    if (urls.isEmpty()) {
      throw new IllegalArgumentException(
          "flagger.webhook-auth.urls: expected the load tester URLs the token is sent to (e.g."
              + " http://flagger-loadtester.test/), got none");
    }
    if (file.isEmpty()) {
      checkToken(token, "flagger.webhook-auth.token");
    }
    return new WebhookAuth(file.isEmpty() ? token : "", file, urls);
  }

  /** Whether any token is configured. */
  public boolean enabled() {
    return !token.isEmpty() || !tokenFile.isEmpty();
  }

  /**
   * The token to send to {@code url}: empty when the URL is not listed.
   *
   * @throws IllegalStateException when the token file cannot be read or holds no valid token
   */
  public Optional<String> tokenFor(String url) {
    if (!enabled() || !applies(url)) {
      return Optional.empty();
    }
    if (tokenFile.isEmpty()) {
      return Optional.of(token);
    }
    try {
      String t = Files.readString(Path.of(tokenFile), StandardCharsets.UTF_8).trim();
      checkToken(t, "flagger.webhook-auth.token-file " + tokenFile);
      return Optional.of(t);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(e.getMessage(), e);
    } catch (IOException e) {
      throw new IllegalStateException(
          "flagger.webhook-auth.token-file: cannot read " + tokenFile, e);
    }
  }

  /** Whether {@code url} is one of {@link #urls()}. */
  public boolean applies(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return false;
    }
    return urls.stream().anyMatch(t -> t.matches(uri));
  }

  @Override
  public String toString() {
    return "WebhookAuth[token=" + (enabled() ? "****" : "") + ", urls=" + urls + "]";
  }

  private static Target target(String entry) {
    String expected = "expected a host or an http(s) URL prefix, got '" + entry + "'";
    if (!entry.contains("://")) {
      if (!entry.matches("[A-Za-z0-9.-]+")) {
        throw new IllegalArgumentException("flagger.webhook-auth.urls: " + expected);
      }
      return new Target("", entry.toLowerCase(Locale.ROOT), -1, "/");
    }
    try {
      URI u = new URI(entry);
      String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null) {
        throw new IllegalArgumentException("flagger.webhook-auth.urls: " + expected);
      }
      String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
      if (path.length() > 1 && path.endsWith("/")) {
        path = path.substring(0, path.length() - 1);
      }
      return new Target(
          scheme, u.getHost().toLowerCase(Locale.ROOT), effectivePort(scheme, u.getPort()), path);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("flagger.webhook-auth.urls: " + expected, e);
    }
  }

  private static int effectivePort(String scheme, int port) {
    if (port >= 0) {
      return port;
    }
    return scheme.equals("https") ? 443 : 80;
  }

  /** A header value must be visible ASCII: no spaces, no line breaks that could split a header. */
  private static void checkToken(String token, String key) {
    if (token.isEmpty() || !token.chars().allMatch(ch -> ch > 0x20 && ch < 0x7f)) {
      throw new IllegalArgumentException(
          key + ": expected a non-empty token of visible ASCII characters");
    }
  }
}
