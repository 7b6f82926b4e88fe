package app.flagger.controller;

import app.flagger.controller.kube.Shard;
import app.flagger.controller.notifier.GlobalNotifierSettings;
import app.flagger.controller.notifier.NotifierSecretFiles;
import app.flagger.controller.webhook.WebhookAuth;
import app.flagger.model.http.BoundedBody;
import app.flagger.model.provider.MeshProvider;
import io.helidon.config.Config;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code flagger:} section of the controller's configuration: Flagger's command-line flags
 * renamed to kebab-case keys (docs/install.md). Secrets (notifier URLs and tokens) never appear in
 * {@link #toString()}.
 *
 * @param meshProvider global provider; a Canary's {@code spec.provider} overrides it
 * @param metricsServer Prometheus URL for the builtin metrics
 * @param selectorLabels candidate selector labels of a target, first match wins
 * @param includeLabelPrefix label/annotation prefixes copied to primaries; {@code *} = all
 * @param namespace the single namespace to watch, empty for all
 * @param controlLoopInterval how often jobs are created or removed
 * @param threadiness work-queue workers: syncs and ticks of different Canaries run in parallel up
 *     to this many
 * @param enableConfigTracking track ConfigMaps/Secrets and copy them as {@code -primary}
 * @param enableLeaderElection run jobs only while holding the Lease
 * @param leaderElectionNamespace namespace of the Lease
 * @param eventWebhook URL receiving every event, empty for none
 * @param notifiers global Slack / MS Teams settings
 * @param clusterName added to alerts when set
 * @param noCrossNamespaceRefs reject references to other namespaces
 * @param kubeconfigQps Kubernetes client requests per second (token bucket refill); 0 or less: off
 * @param kubeconfigBurst Kubernetes client burst (token bucket size)
 * @param version the controller version for {@code flagger_info}
 * @param webhookAuth bearer token sent to the load tester's webhook URLs ({@code
 *     flagger.webhook-auth})
 * @param httpResponseLimit the most bytes read of any answer from webhooks, metric providers and
 *     notifiers ({@code flagger.http-response-limit}); a longer answer fails that call
 * @param hostname this replica's identity in the leader-election Lease: the pod's {@code HOSTNAME},
 *     else {@code flagger.hostname}, else {@code flagger}
 * @param ingressClass the Contour HTTPProxy's {@code ingressClassName} ({@code
 *     flagger.ingress-class}, Flagger's {@code -ingress-class}); empty: none
 * @param ingressAnnotationsPrefix the annotation prefix of the NGINX router's canary Ingress
 *     ({@code <prefix>/canary-weight}); {@code nginx.ingress.kubernetes.io} when unset or blank
 * @param maxConcurrentCanaries how many releases may run at once in the cluster ({@code
 *     flagger.max-concurrent-canaries}), counted over this shard's Canaries with sharding; 0: no
 *     limit
 * @param maxConcurrentCanariesPerNamespace how many releases may run at once in one namespace
 *     ({@code flagger.max-concurrent-canaries-per-namespace}); 0: no limit
 * @param decisionLogSize how many analysis decisions a Canary's status keeps ({@code
 *     flagger.decision-log-size}); 0: none
 * @param shard which Canaries this controller handles ({@code flagger.shard-index}, {@code
 *     flagger.shard-count}); {@link Shard#ALL} without sharding
 */
public record ControllerConfig(
    String meshProvider,
    String metricsServer,
    List<String> selectorLabels,
    List<String> includeLabelPrefix,
    String namespace,
    Duration controlLoopInterval,
    int threadiness,
    boolean enableConfigTracking,
    boolean enableLeaderElection,
    String leaderElectionNamespace,
    String eventWebhook,
    GlobalNotifierSettings notifiers,
    String clusterName,
    boolean noCrossNamespaceRefs,
    int kubeconfigQps,
    int kubeconfigBurst,
    String version,
    WebhookAuth webhookAuth,
    long httpResponseLimit,
    String hostname,
    String ingressClass,
    String ingressAnnotationsPrefix,
    int maxConcurrentCanaries,
    int maxConcurrentCanariesPerNamespace,
    int decisionLogSize,
    Shard shard) {

  /** The version reported in {@code flagger_info} and the start-up log. */
  public static final String VERSION = "0.1.0";

  /** Flagger's default {@code -ingress-annotations-prefix}: ingress-nginx's own. */
  public static final String DEFAULT_INGRESS_ANNOTATIONS_PREFIX = "nginx.ingress.kubernetes.io";

  public static final List<String> DEFAULT_SELECTOR_LABELS =
      List.of("app", "name", "app.kubernetes.io/name");

  public ControllerConfig {
    selectorLabels = List.copyOf(selectorLabels);
    includeLabelPrefix = List.copyOf(includeLabelPrefix);
  }

  /** Reads the {@code flagger} node of {@code root}, with Flagger's environment overrides. */
  public static ControllerConfig from(Config root) {
    return from(root, System.getenv());
  }

  /**
   * Reads the {@code flagger} node of {@code root}. Flagger's own environment variables ({@code
   * EVENT_WEBHOOK_URL}, {@code SLACK_URL}, {@code MSTEAMS_URL}, ...) win over the keys, as in
   * Flagger.
   */
  public static ControllerConfig from(Config root, Map<String, String> env) {
    Config c = root.get("flagger");
    String namespace = string(c, "namespace", "");
    String leNamespace = string(c, "leader-election-namespace", "kube-system");
    return new ControllerConfig(
        meshProvider(c),
        string(c, "metrics-server", "http://prometheus:9090"),
        list(c, "selector-labels", DEFAULT_SELECTOR_LABELS),
        list(c, "include-label-prefix", List.of()),
        namespace,
        duration(c, "control-loop-interval", Duration.ofSeconds(10)),
        positive(c, "threadiness", "workers", 2),
        c.get("enable-config-tracking").asBoolean().orElse(true),
        c.get("enable-leader-election").asBoolean().orElse(false),
        namespace.isEmpty() ? leNamespace : namespace,
        env(env, "EVENT_WEBHOOK_URL").orElse(string(c, "event-webhook", "")),
        notifiers(c, env),
        string(c, "cluster-name", ""),
        c.get("no-cross-namespace-refs").asBoolean().orElse(false),
        c.get("kubeconfig-qps").asInt().orElse(100),
        positive(c, "kubeconfig-burst", "requests", 250),
        string(c, "version", VERSION),
        WebhookAuth.from(c),
        c.get("http-response-limit")
            .asString()
            .map(v -> BoundedBody.parseLimit("flagger.http-response-limit", v))
            .orElse(BoundedBody.DEFAULT_LIMIT),
        env(env, "HOSTNAME").orElse(string(c, "hostname", "flagger")),
        string(c, "ingress-class", ""),
        string(c, "ingress-annotations-prefix", "").isEmpty()
            ? DEFAULT_INGRESS_ANNOTATIONS_PREFIX
            : string(c, "ingress-annotations-prefix", ""),
        atLeastZero(c, "max-concurrent-canaries", "running Canaries (0: no limit)", 0),
        atLeastZero(
            c, "max-concurrent-canaries-per-namespace", "running Canaries (0: no limit)", 0),
        atLeastZero(c, "decision-log-size", "decisions kept (0: none)", 20),
        new Shard(wholeNumber(c, "shard-index", 0), wholeNumber(c, "shard-count", 1)));
  }

  /** Defaults only, as if the configuration were empty. */
  public static ControllerConfig defaults() {
    return from(Config.empty(), Map.of());
  }

  /** A copy with another event webhook URL. */
  public ControllerConfig withEventWebhook(String url) {
    return copy(url, kubeconfigQps, kubeconfigBurst);
  }

  /**
   * A copy with other Kubernetes client limits ({@code kubeconfig-qps}, {@code kubeconfig-burst}).
   */
  public ControllerConfig withKubeClientLimits(int qps, int burst) {
    return copy(eventWebhook, qps, burst);
  }

  /** A copy with the settings the {@code with...} methods change, and every other one kept. */
  private ControllerConfig copy(String webhook, int qps, int burst) {
    return new ControllerConfig(
        meshProvider,
        metricsServer,
        selectorLabels,
        includeLabelPrefix,
        namespace,
        controlLoopInterval,
        threadiness,
        enableConfigTracking,
        enableLeaderElection,
        leaderElectionNamespace,
        webhook,
        notifiers,
        clusterName,
        noCrossNamespaceRefs,
        qps,
        burst,
        version,
        webhookAuth,
        httpResponseLimit,
        hostname,
        ingressClass,
        ingressAnnotationsPrefix,
        maxConcurrentCanaries,
        maxConcurrentCanariesPerNamespace,
        decisionLogSize,
        shard);
  }

  /** Whether every namespace is watched. */
  public boolean allNamespaces() {
    return namespace.isEmpty();
  }

  @Override
  public String toString() {
    return "ControllerConfig[meshProvider="
        + meshProvider
        + ", metricsServer="
        + metricsServer
        + ", selectorLabels="
        + selectorLabels
        + ", namespace="
        + (namespace.isEmpty() ? "(all)" : namespace)
        + ", eventWebhook="
        + (eventWebhook.isEmpty() ? "" : "****")
        + ", leaderElection="
        + enableLeaderElection
        + ", shard="
        + shard
        + ", notifiers="
        + notifiers
        + ", webhookAuth="
        + webhookAuth
        + "]";
  }

  private static GlobalNotifierSettings notifiers(Config c, Map<String, String> env) {
    Config slack = c.get("slack");
    Config teams = c.get("msteams");
    return new GlobalNotifierSettings(
        env(env, "SLACK_URL").orElse(string(slack, "url", "")),
        env(env, "SLACK_TOKEN").orElse(string(slack, "token", "")),
        env(env, "SLACK_PROXY_URL").orElse(string(slack, "proxy-url", "")),
        string(slack, "user", "flagger"),
        string(slack, "channel", ""),
        env(env, "MSTEAMS_URL").orElse(string(teams, "url", "")),
        env(env, "MSTEAMS_PROXY_URL").orElse(string(teams, "proxy-url", "")),
        notifierFiles(slack, teams));
  }

  /** The {@code *-file} settings of the notifier secrets; a file that exists must be readable. */
  private static NotifierSecretFiles notifierFiles(Config slack, Config teams) {
    NotifierSecretFiles files =
        new NotifierSecretFiles(
            string(slack, "url-file", ""),
            string(slack, "token-file", ""),
            string(slack, "proxy-url-file", ""),
            string(teams, "url-file", ""),
            string(teams, "proxy-url-file", ""));
    files.checkReadable();
    return files;
  }

  private static Optional<String> env(Map<String, String> env, String name) {
    return Optional.ofNullable(env.get(name)).filter(s -> !s.isBlank());
  }

  private static String string(Config c, String key, String dflt) {
    return c.get(key).asString().map(String::trim).orElse(dflt);
  }

  private static List<String> list(Config c, String key, List<String> dflt) {
    Config node = c.get(key);
    if (node.isList()) {
      return node.asList(String.class).orElse(dflt);
    }
    return node.asString()
        .map(s -> Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList())
        .orElse(dflt);
  }

  /**
   * The global provider: a string of {@link MeshProvider#IMPLEMENTED_VALUES} or an SMI version
   * naming its mesh ({@code smi:v1alpha3:linkerd}); anything else stops the start.
   */
  private static String meshProvider(Config c) {
    String value = string(c, "mesh-provider", "istio");
    if (!MeshProvider.isImplemented(value)) {
      throw new IllegalArgumentException(
          "flagger.mesh-provider: "
              + MeshProvider.notImplementedMessage(value)
              + " (or smi:<version>:<mesh>)");
    }
    return value;
  }

  private static int positive(Config c, String key, String what, int dflt) {
    int value = c.get(key).asInt().orElse(dflt);
    if (value < 1) {
      throw new IllegalArgumentException(
          "flagger." + key + ": expected a number of " + what + " of at least 1, got " + value);
    }
    return value;
  }

  /** A whole number of at least 0; anything else stops the start, naming the key. */
  private static int atLeastZero(Config c, String key, String what, int dflt) {
    Optional<String> raw = c.get(key).asString().map(String::trim).filter(v -> !v.isEmpty());
    if (raw.isEmpty()) {
      return dflt;
    }
    int value;
    try {
      value = Integer.parseInt(raw.get());
    } catch (NumberFormatException e) {
      value = -1;
    }
    if (value < 0) {
      throw new IllegalArgumentException(
          "flagger."
              + key
              + ": expected a whole number of at least 0, the "
              + what
              + ", got '"
              + raw.get()
              + "'");
    }
    return value;
  }

  /** A whole number (range checked by the caller); anything else stops the start. */
  private static int wholeNumber(Config c, String key, int dflt) {
    Optional<String> raw = c.get(key).asString().map(String::trim).filter(v -> !v.isEmpty());
    try {
      return raw.map(Integer::parseInt).orElse(dflt);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "flagger." + key + ": expected a whole number, got '" + raw.get() + "'", e);
    }
  }

  private static Duration duration(Config c, String key, Duration dflt) {
    return c.get(key)
        .asString()
        .map(
            s -> {
              try {
                return app.flagger.model.common.GoDuration.parse(s)
                    .orElseThrow(() -> new IllegalArgumentException(s));
              } catch (RuntimeException e) {
                throw new IllegalArgumentException(
                    "flagger." + key + ": expected a duration like 10s or 1m, got '" + s + "'");
              }
            })
        .orElse(dflt);
  }
}
