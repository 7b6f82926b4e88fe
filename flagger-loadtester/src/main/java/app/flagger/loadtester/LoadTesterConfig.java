package app.flagger.loadtester;

import app.flagger.loadtester.gate.GateStore;
import app.flagger.loadtester.load.LoadLimits;
import io.helidon.config.Config;
import io.helidon.config.ConfigException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The {@code loadtester:} section of {@code application.yaml}: Flagger's load tester flags in
 * kebab-case plus the security settings this implementation adds.
 *
 * @param timeout longest time any task may run ({@code -timeout}, default 1h)
 * @param namespaceRegexp accept only payloads whose namespace matches ({@code -namespace-regexp})
 * @param authToken bearer token required on every endpoint but health and metrics; empty only when
 *     {@code authDisabled}
 * @param authDisabled run without authentication ({@code auth.disabled}): the operator's explicit
 *     choice, logged as a warning and exposed as {@code flagger_loadtester_auth_disabled}
 * @param commandsEnabled allow external programs at all
 * @param allowedCommands executables external commands may start (exact {@code argv[0]})
 * @param bashEnabled allow {@code type: bash} and {@code cmd} lines that need a shell
 * @param maxConcurrentTasks cap on tasks running at once
 * @param bodyFileDir directory {@code hey -D} may read request bodies from; empty to refuse -D
 * @param eventLoops threads of the built-in generator (0: half the processors, at least one)
 * @param gateStore {@code configmap} (durable, shared) or {@code memory}
 * @param gateNamespace namespace of the gate ConfigMap (empty: the pod's namespace)
 * @param gateConfigMap name of the gate ConfigMap
 * @param maxGates most gates open at once; opening one more answers 507
 * @param ngrinderServers nGrinder servers {@code ngrinder} tasks may call (empty: type refused)
 * @param concordServers Concord servers {@code concord} tasks may call (empty: type refused)
 * @param limits bounds of load runs and the connection budget ({@code limits.*})
 * @param allowedHosts host patterns the generator may target (empty: any host not refused)
 * @param virtualHosts {@code Host} header values that may differ from the URL's host
 * @param kubectlVerbs kubectl verbs allowed besides the read-only ones
 * @param concordApiKeyDir directory Concord's {@code apiKeyPath} must be in (empty: refused)
 */
public record LoadTesterConfig(
    Duration timeout,
    Optional<Pattern> namespaceRegexp,
    Optional<String> authToken,
    boolean authDisabled,
    boolean commandsEnabled,
    Set<String> allowedCommands,
    boolean bashEnabled,
    int maxConcurrentTasks,
    Optional<Path> bodyFileDir,
    int eventLoops,
    String gateStore,
    String gateNamespace,
    String gateConfigMap,
    int maxGates,
    List<URI> ngrinderServers,
    List<URI> concordServers,
    LoadLimits limits,
    List<String> allowedHosts,
    List<String> virtualHosts,
    Set<String> kubectlVerbs,
    Optional<Path> concordApiKeyDir) {

  public LoadTesterConfig {
    allowedHosts = List.copyOf(allowedHosts);
    virtualHosts = List.copyOf(virtualHosts);
    kubectlVerbs = Set.copyOf(kubectlVerbs);
    allowedCommands = Set.copyOf(allowedCommands);
    ngrinderServers = List.copyOf(ngrinderServers);
    concordServers = List.copyOf(concordServers);
    if (maxConcurrentTasks < 1) {
      throw new IllegalArgumentException("loadtester.max-concurrent-tasks: must be at least 1");
    }
    if (!gateStore.equals("configmap") && !gateStore.equals("memory")) {
      throw new IllegalArgumentException(
          "loadtester.gates.store: must be configmap or memory, got " + gateStore);
    }
    if (maxGates < 1) {
      throw new IllegalArgumentException("loadtester.gates.max: must be at least 1");
    }
    if (authDisabled) {
      authToken = Optional.empty();
    }
  }

  /**
   * Refuses to run without a token unless the operator set {@code auth.disabled}: the load tester
   * starts closed.
   *
   * @throws IllegalArgumentException saying how to configure a token or turn authentication off
   */
  public void requireAuthentication() {
    if (authToken.isEmpty() && !authDisabled) {
      throw new IllegalArgumentException(
          "no bearer token configured for the load tester, refusing to start. Mount the token Secret"
              + " and set loadtester.auth.token-file (env LOADTESTER_AUTH_TOKEN_FILE), or set"
              + " loadtester.auth.token (env LOADTESTER_AUTH_TOKEN); `make deploy` creates the"
              + " Secret flagger-loadtester-auth. To run without authentication set"
              + " loadtester.auth.disabled to true (env LOADTESTER_AUTH_DISABLED)");
    }
  }

  /**
   * Reads the {@code loadtester} node.
   *
   * @throws IllegalArgumentException naming the key whose value is wrong
   */
  public static LoadTesterConfig from(Config c) {
    return new LoadTesterConfig(
        duration(c, "timeout", Duration.ofHours(1)),
        string(c, "namespace-regexp").map(LoadTesterConfig::regexp),
        authDisabled(c) ? Optional.empty() : token(c),
        authDisabled(c),
        c.get("commands.enabled").asBoolean().orElse(false),
        Set.copyOf(list(c, "commands.allow")),
        c.get("commands.bash.enabled").asBoolean().orElse(false),
        c.get("max-concurrent-tasks").asInt().orElse(32),
        string(c, "load.body-file-dir").map(Path::of),
        c.get("load.event-loops").asInt().orElse(0),
        string(c, "gates.store").orElse("configmap"),
        string(c, "gates.namespace").orElse(""),
        string(c, "gates.config-map").orElse("flagger-loadtester-gates"),
        c.get("gates.max").asInt().orElse(GateStore.DEFAULT_MAX_GATES),
        servers(c, "ngrinder.servers"),
        servers(c, "concord.servers"),
        limits(c),
        list(c, "destinations.allow"),
        list(c, "destinations.virtual-hosts"),
        Set.copyOf(list(c, "commands.kubectl.verbs")),
        string(c, "concord.api-key-dir").map(Path::of));
  }

  private static LoadLimits limits(Config c) {
    LoadLimits d = LoadLimits.DEFAULT;
    return new LoadLimits(
        (int) number(c, "limits.max-connections", d.maxConnections()),
        number(c, "limits.max-rate", d.maxRate()),
        duration(c, "limits.max-duration", d.maxDuration()),
        (long) number(c, "limits.max-requests", d.maxRequests()),
        (int) number(c, "limits.connection-budget", d.connectionBudget()));
  }

  private static double number(Config c, String key, double def) {
    try {
      // casts to int and long saturate, so a huge value means "no practical bound"
      return c.get(key).asDouble().orElse(def);
    } catch (ConfigException e) {
      throw new IllegalArgumentException(
          "loadtester."
              + key
              + ": expected a number, got '"
              + c.get(key).asString().orElse("")
              + "'",
          e);
    }
  }

  private static Optional<String> string(Config c, String key) {
    return c.get(key).asString().asOptional().map(String::trim).filter(s -> !s.isEmpty());
  }

  /** A YAML list, or a comma-separated value (an environment variable), which wins. */
  private static List<String> list(Config c, String key) {
    Optional<String> direct = string(c, key);
    if (direct.isPresent()) {
      return Arrays.stream(direct.get().split(","))
          .map(String::trim)
          .filter(s -> !s.isEmpty())
          .toList();
    }
    return c.get(key).asNodeList().orElse(List.of()).stream()
        .map(n -> n.asString().orElse("").trim())
        .filter(s -> !s.isEmpty())
        .toList();
  }

  private static List<URI> servers(Config c, String key) {
    return list(c, key).stream()
        .map(
            s -> {
              try {
                URI u = new URI(s.endsWith("/") ? s : s + "/");
                if (u.getHost() != null
                    && ("http".equalsIgnoreCase(u.getScheme())
                        || "https".equalsIgnoreCase(u.getScheme()))) {
                  return u;
                }
              } catch (URISyntaxException e) {
                // reported below
              }
              throw new IllegalArgumentException(
                  "loadtester." + key + ": expected http(s) URLs, got '" + s + "'");
            })
        .toList();
  }

  private static Duration duration(Config c, String key, Duration def) {
    Optional<String> v = string(c, key);
    if (v.isEmpty()) {
      return def;
    }
    try {
      return app.flagger.loadtester.load.GoDuration.parse(v.get());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("loadtester." + key + ": " + e.getMessage(), e);
    }
  }

  private static Pattern regexp(String s) {
    try {
      return Pattern.compile(s);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("loadtester.namespace-regexp: " + e.getMessage(), e);
    }
  }

  private static boolean authDisabled(Config c) {
    return c.get("auth.disabled").asBoolean().orElse(false);
  }

  private static Optional<String> token(Config c) {
    Optional<String> file = string(c, "auth.token-file");
    if (file.isPresent()) {
      String t;
      try {
        t = Files.readString(Path.of(file.get()), StandardCharsets.UTF_8).trim();
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "loadtester.auth.token-file: cannot read "
                + file.get()
                + " ("
                + e.getClass().getSimpleName()
                + "): create the token Secret (`make deploy` creates flagger-loadtester-auth) or"
                + " set loadtester.auth.disabled to true",
            e);
      }
      return Optional.of(checkToken(t, "loadtester.auth.token-file: " + file.get()));
    }
    return string(c, "auth.token").map(t -> checkToken(t, "loadtester.auth.token"));
  }

  /** A header value: visible ASCII, no spaces or line breaks. */
  private static String checkToken(String token, String where) {
    if (token.isEmpty() || !token.chars().allMatch(ch -> ch > 0x20 && ch < 0x7f)) {
      throw new IllegalArgumentException(
          where + ": expected a non-empty token of visible ASCII characters");
    }
    return token;
  }
}
