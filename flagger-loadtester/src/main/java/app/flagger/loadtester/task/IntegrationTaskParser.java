package app.flagger.loadtester.task;

import app.flagger.loadtester.load.GoDuration;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the metadata of Flagger's {@code ngrinder} and {@code concord} tasks. The load tester then
 * calls the server named in the metadata, so the server must be one the operator listed ({@code
 * loadtester.ngrinder.servers}, {@code loadtester.concord.servers}); with an empty list the type is
 * refused with 403.
 */
final class IntegrationTaskParser {
  private final List<URI> ngrinderServers;
  private final List<URI> concordServers;
  private final Optional<Path> concordKeyDir;

  IntegrationTaskParser(
      List<URI> ngrinderServers, List<URI> concordServers, Optional<Path> concordKeyDir) {
    this.ngrinderServers = List.copyOf(ngrinderServers);
    this.concordServers = List.copyOf(concordServers);
    this.concordKeyDir = concordKeyDir;
  }

  NGrinderTask ngrinder(String canary, Map<String, String> md) {
    String server = md.getOrDefault("server", "").trim();
    String clone = md.getOrDefault("clone", "").trim();
    String username = md.getOrDefault("username", "").trim();
    String passwd = md.getOrDefault("passwd", "").trim();
    if (server.isEmpty() || clone.isEmpty() || username.isEmpty() || passwd.isEmpty()) {
      throw TaskRejected.badRequest("server, clone, username and passwd are required metadata");
    }
    URI base = allowed("ngrinder", server, ngrinderServers);
    long cloneId;
    try {
      cloneId = Long.parseLong(clone);
    } catch (NumberFormatException e) {
      throw TaskRejected.badRequest("clone: expected an integer test id, got \"" + clone + "\"");
    }
    String password;
    try {
      password = new String(Base64.getDecoder().decode(passwd), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw TaskRejected.badRequest("passwd: expected the password in base64");
    }
    Duration poll = duration(md, "pollInterval", Duration.ofSeconds(1));
    return new NGrinderTask(canary, base, cloneId, username, password, poll);
  }

  ConcordTask concord(String canary, Map<String, String> md, boolean returnOutput) {
    for (String key : List.of("server", "org", "project", "repo", "entrypoint", "apiKeyPath")) {
      require(md, key);
    }
    require(md, "endpoint");
    if (md.containsKey("arguments.endpoint")) {
      throw TaskRejected.badRequest(
          "arguments.endpoint: set endpoint instead, it cannot be overridden through arguments");
    }
    URI base = allowed("concord", md.get("server").trim(), concordServers);
    Path key = apiKey(md.get("apiKeyPath").trim());
    Map<String, String> args = new HashMap<>();
    md.forEach(
        (k, v) -> {
          if (k.startsWith("arguments.")) {
            args.put(k.substring("arguments.".length()), v);
          }
        });
    return new ConcordTask(
        canary,
        base,
        md.get("org").trim(),
        md.get("project").trim(),
        md.get("repo").trim(),
        md.get("entrypoint").trim(),
        key,
        md.get("endpoint").trim(),
        args,
        seconds(md, "pollInterval", 5),
        seconds(md, "pollTimeout", 30),
        returnOutput);
  }

  /**
   * The API key file, which must lie in {@code loadtester.concord.api-key-dir}: otherwise a webhook
   * could send any file the load tester can read to the Concord server as a credential.
   */
  private Path apiKey(String file) {
    if (concordKeyDir.isEmpty()) {
      throw TaskRejected.forbidden(
          "apiKeyPath: Concord API key files are read only from loadtester.concord.api-key-dir"
              + " (env LOADTESTER_CONCORD_API_KEY_DIR), which is not set");
    }
    Path key;
    try {
      key =
          ConfinedFile.resolve(
              concordKeyDir.get(), file, "apiKeyPath", "loadtester.concord.api-key-dir");
    } catch (IllegalArgumentException e) {
      throw TaskRejected.badRequest(e.getMessage());
    }
    if (!Files.isRegularFile(key)) {
      throw TaskRejected.badRequest("apiKeyPath: file " + file + " does not exist");
    }
    return key;
  }

  private static void require(Map<String, String> md, String key) {
    if (md.getOrDefault(key, "").isBlank()) {
      throw TaskRejected.badRequest("`" + key + "` is required with type concord");
    }
  }

  /** The server as a base URL (ending in /), if it is under one of {@code allowed}. */
  private static URI allowed(String type, String server, List<URI> allowed) {
    URI uri;
    try {
      uri = new URI(server.endsWith("/") ? server : server + "/");
    } catch (URISyntaxException e) {
      throw TaskRejected.badRequest("server: expected an http(s) URL, got \"" + server + "\"");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw TaskRejected.badRequest("server: expected an http(s) URL, got \"" + server + "\"");
    }
    if (allowed.stream().noneMatch(a -> under(uri, a))) {
      String key = "loadtester." + type + ".servers";
      throw TaskRejected.forbidden(
          "type "
              + type
              + " may only call servers the operator listed: add "
              + server
              + " to "
              + key
              + " (env "
              + key.toUpperCase(Locale.ROOT).replace('.', '_')
              + ") to allow it");
    }
    return uri;
  }

  static boolean under(URI uri, URI allowed) {
    String p =
        allowed.getRawPath() == null || allowed.getRawPath().isEmpty() ? "/" : allowed.getRawPath();
    String prefix = p.endsWith("/") ? p : p + "/";
    return allowed.getScheme().equalsIgnoreCase(uri.getScheme())
        && allowed.getHost().equalsIgnoreCase(uri.getHost())
        && port(allowed) == port(uri)
        && uri.getRawPath().startsWith(prefix);
  }

  private static int port(URI u) {
    return u.getPort() >= 0 ? u.getPort() : u.getScheme().equalsIgnoreCase("https") ? 443 : 80;
  }

  /** Flagger reads nGrinder's poll interval as a Go duration (and falls back to one second). */
  private static Duration duration(Map<String, String> md, String key, Duration dflt) {
    String v = md.getOrDefault(key, "").trim();
    if (v.isEmpty()) {
      return dflt;
    }
    Duration d;
    try {
      d = GoDuration.parse(v);
    } catch (IllegalArgumentException e) {
      d = Duration.ZERO;
    }
    if (d.isZero() || d.isNegative()) {
      throw TaskRejected.badRequest(
          key + ": expected a positive duration like 1s or 30s, got \"" + v + "\"");
    }
    return d;
  }

  /** Flagger reads Concord's poll settings as whole seconds. */
  private static Duration seconds(Map<String, String> md, String key, int dflt) {
    String v = md.getOrDefault(key, "").trim();
    if (v.isEmpty()) {
      return Duration.ofSeconds(dflt);
    }
    try {
      int s = Integer.parseInt(v);
      if (s > 0) {
        return Duration.ofSeconds(s);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw TaskRejected.badRequest(
        key + ": expected a positive number of seconds, got \"" + v + "\"");
  }
}
