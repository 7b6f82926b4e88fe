package app.flagger.controller.metrics.providers;

import app.flagger.controller.observe.ControllerMetrics;
import app.flagger.model.canary.CanaryMetric;
import app.flagger.model.common.GoDuration;
import app.flagger.model.metric.MetricProviderType;
import app.flagger.model.metric.MetricTemplateProvider;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * Builds the provider a MetricTemplate names (Flagger's {@code providers.Factory}). One class per
 * provider type; a type this build has no class for yet is a construction error, and an unknown
 * type falls back to Prometheus with a logged warning, as Flagger does. Every provider it builds
 * records its queries as {@code metrics_provider} calls in {@link ControllerMetrics}.
 */
public class ProviderFactory {
  private static final Logger LOG = Logger.getLogger(ProviderFactory.class.getName());

  /** Flagger's per-request timeout for HTTP providers. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  /** A Google Cloud project id or number, possibly domain-scoped ({@code example.com:proj}). */
  private static final Pattern PROJECT_ID = Pattern.compile("[a-z0-9][a-z0-9.:-]*");

  private final Duration defaultTimeout;
  private final ControllerMetrics metrics;
  private final long responseLimit;
  private final Clock clock;
  private final CloudWatchClients cloudWatch;
  private final KubernetesClient kube;
  private final RandomGenerator random;

  /**
   * @param defaultTimeout per-request timeout, used unless a shorter bound is asked for
   * @param metrics where the providers' calls are counted and timed
   * @param responseLimit the most bytes of an answer read ({@code flagger.http-response-limit})
   */
  public ProviderFactory(Duration defaultTimeout, ControllerMetrics metrics, long responseLimit) {
    this(defaultTimeout, metrics, responseLimit, Clock.systemUTC());
  }

  /**
   * @param clock where the providers' query windows end
   */
  public ProviderFactory(
      Duration defaultTimeout, ControllerMetrics metrics, long responseLimit, Clock clock) {
    this(defaultTimeout, metrics, responseLimit, clock, CloudWatchClients.standard());
  }

  /**
   * @param clock where the providers' query windows end
   * @param cloudWatch the AWS SDK clients of {@code cloudwatch} templates
   */
  public ProviderFactory(
      Duration defaultTimeout,
      ControllerMetrics metrics,
      long responseLimit,
      Clock clock,
      CloudWatchClients cloudWatch) {
    this(defaultTimeout, metrics, responseLimit, clock, cloudWatch, null, null);
  }

  /**
   * A factory that also builds the providers reading the cluster ({@code keptn}, {@code
   * externalmetrics}) through {@code kube}, with the system clock and the standard CloudWatch
   * clients.
   *
   * @param kube the controller's client, or null when those providers are unavailable
   * @param random the source of generated names (Keptn Analyses)
   */
  public ProviderFactory(
      Duration defaultTimeout,
      ControllerMetrics metrics,
      long responseLimit,
      KubernetesClient kube,
      RandomGenerator random) {
    this(
        defaultTimeout,
        metrics,
        responseLimit,
        Clock.systemUTC(),
        CloudWatchClients.standard(),
        kube,
        random);
  }

  /**
   * @param clock where the providers' query windows end
   * @param cloudWatch the AWS SDK clients of {@code cloudwatch} templates
   * @param kube the controller's client, or null when {@code keptn} and {@code externalmetrics} are
   *     unavailable
   * @param random the source of generated names (Keptn Analyses)
   */
  public ProviderFactory(
      Duration defaultTimeout,
      ControllerMetrics metrics,
      long responseLimit,
      Clock clock,
      CloudWatchClients cloudWatch,
      KubernetesClient kube,
      RandomGenerator random) {
    this.defaultTimeout = defaultTimeout;
    this.metrics = metrics;
    this.responseLimit = responseLimit;
    this.clock = clock;
    this.cloudWatch = cloudWatch;
    this.kube = kube;
    this.random = random;
  }

  /**
   * The provider of a MetricTemplate.
   *
   * @param spec {@code spec.provider} of the template
   * @param credentials decoded data of {@code spec.provider.secretRef}, empty without one
   * @param bound an upper bound for the request timeout (the analysis interval)
   */
  public MetricsProvider provider(
      MetricTemplateProvider spec, Map<String, String> credentials, Duration bound)
      throws MetricsProviderException {
    return provider(spec, credentials, CanaryMetric.DEFAULT_INTERVAL, bound);
  }

  /**
   * The provider of a MetricTemplate for one metric.
   *
   * @param spec {@code spec.provider} of the template
   * @param credentials decoded data of {@code spec.provider.secretRef}, empty without one
   * @param metricInterval the metric's {@code interval} (Go duration), the window of providers that
   *     query one ({@code datadog}: ten of them)
   * @param bound an upper bound for the request timeout (the analysis interval)
   */
  public MetricsProvider provider(
      MetricTemplateProvider spec,
      Map<String, String> credentials,
      String metricInterval,
      Duration bound)
      throws MetricsProviderException {
    HttpApi.Settings settings =
        new HttpApi.Settings(
            spec, credentials, metricInterval, timeout(bound), responseLimit, clock);
    String type = spec.type() == null ? "" : spec.type();
    Optional<MetricProviderType> known = MetricProviderType.parse(type);
    if (known.isEmpty()) {
      LOG.warning(() -> "unknown metrics provider type '" + type + "', using prometheus");
    }
    MetricProviderType kind = known.orElse(MetricProviderType.PROMETHEUS);
    MetricsProvider provider =
        switch (kind) {
          case PROMETHEUS -> prometheus(spec, credentials, bound);
          case DATADOG -> datadog(spec, credentials, metricInterval, bound);
          case CLOUDWATCH -> cloudWatch(spec, metricInterval, bound);
          case NEWRELIC -> NewRelicProvider.create(settings);
          case GRAPHITE -> GraphiteProvider.create(settings);
          case DYNATRACE -> DynatraceProvider.create(settings);
          case STACKDRIVER -> stackdriver(spec, credentials, bound);
          case KEPTN -> keptn(type, bound);
          case EXTERNALMETRICS -> externalMetrics(type, spec, credentials, bound);
          case INFLUXDB -> influxdb(spec, credentials, bound);
          case SPLUNK -> splunk(spec, credentials, metricInterval, bound);
        };
    return new MeteredProvider(provider, metrics, kind.value());
  }

  private MetricsProvider keptn(String type, Duration bound) throws MetricsProviderException {
    return new KeptnProvider(cluster(type), random, boundedBy(KeptnProvider.ANALYSIS_WAIT, bound));
  }

  private MetricsProvider externalMetrics(
      String type, MetricTemplateProvider spec, Map<String, String> credentials, Duration bound)
      throws MetricsProviderException {
    if (spec.address() != null && !spec.address().isBlank()) {
      parseAddress(type, spec.address());
    }
    return new ExternalMetricsProvider(
        cluster(type),
        spec.address(),
        credentials.get("token"),
        Boolean.TRUE.equals(spec.insecureSkipVerify()),
        timeout(bound),
        responseLimit);
  }

  private KubernetesClient cluster(String type) throws MetricsProviderException {
    if (kube == null) {
      throw new MetricsProviderException(
          "could not initialize " + type + " provider: no Kubernetes client configured");
    }
    return kube;
  }

  /**
   * A Prometheus client for the controller's {@code metrics-server} or {@code spec.metricsServer}.
   */
  public MetricsProvider prometheus(String address, Duration bound)
      throws MetricsProviderException {
    return new MeteredProvider(
        prometheus(
            new MetricTemplateProvider("prometheus", address, null, null, null, null),
            Map.of(),
            bound),
        metrics,
        MetricProviderType.PROMETHEUS.value());
  }

  private MetricsProvider prometheus(
      MetricTemplateProvider spec, Map<String, String> credentials, Duration bound)
      throws MetricsProviderException {
    String type = spec.type() == null || spec.type().isEmpty() ? "prometheus" : spec.type();
    String address = credentials.getOrDefault("address", spec.address());
    URI uri = parseAddress(type, address);
    PrometheusProvider.Credentials auth = PrometheusProvider.Credentials.NONE;
    if (spec.secretRef() != null) {
      auth = credentials(type, credentials);
    }
    return new PrometheusProvider(
        uri,
        auth,
        spec.headers(),
        Boolean.TRUE.equals(spec.insecureSkipVerify()),
        timeout(bound),
        responseLimit);
  }

  private MetricsProvider datadog(
      MetricTemplateProvider spec,
      Map<String, String> credentials,
      String metricInterval,
      Duration bound)
      throws MetricsProviderException {
    String address =
        spec.address() == null || spec.address().isBlank()
            ? DatadogProvider.DEFAULT_ADDRESS
            : spec.address();
    Duration interval = metricInterval(metricInterval);
    return new DatadogProvider(
        parseAddress(spec.type(), address),
        secret(spec, credentials),
        spec.headers(),
        interval,
        Boolean.TRUE.equals(spec.insecureSkipVerify()),
        timeout(bound),
        responseLimit,
        clock);
  }

  private MetricsProvider cloudWatch(
      MetricTemplateProvider spec, String metricInterval, Duration bound)
      throws MetricsProviderException {
    if (spec.region() == null || spec.region().isBlank()) {
      throw new MetricsProviderException("region not specified");
    }
    String region = spec.region().strip();
    return new CloudWatchProvider(
        cloudWatch.client(region, timeout(bound)), region, metricInterval, clock);
  }

  /**
   * Google Cloud Monitoring: the project from the Secret key {@code project}, credentials from its
   * optional key {@code serviceAccountKey}, else the application default credentials (Workload
   * Identity). {@code address} overrides the API endpoint.
   */
  private MetricsProvider stackdriver(
      MetricTemplateProvider spec, Map<String, String> credentials, Duration bound)
      throws MetricsProviderException {
    String secret = secretName(spec);
    String project = credentials.get("project");
    if (secret == null || project == null || project.isBlank()) {
      throw new MetricsProviderException(
          "stackdriver credentials does not contain a project id: set the key project in "
              + (secret == null ? "the Secret of spec.provider.secretRef" : "Secret " + secret));
    }
    if (!PROJECT_ID.matcher(project.strip()).matches()) {
      throw new MetricsProviderException(
          "stackdriver project '"
              + project.strip()
              + "' of Secret "
              + secret
              + " is not a Google Cloud project id (lower-case letters, digits, '-', '.', ':')");
    }
    URI endpoint =
        spec.address() == null || spec.address().isBlank()
            ? StackdriverProvider.DEFAULT_ENDPOINT
            : parseAddress("stackdriver", spec.address());
    StackdriverProvider.AccessTokens tokens;
    try {
      tokens = StackdriverProvider.AccessTokens.google(credentials.get("serviceAccountKey"));
    } catch (IOException | RuntimeException e) {
      throw new MetricsProviderException(
          "stackdriver credentials could not be read: "
              + e.getMessage()
              + "; check the key serviceAccountKey of Secret "
              + secret
              + " (a service account key JSON), or without it the Workload Identity binding",
          e);
    }
    return new StackdriverProvider(
        endpoint, project.strip(), secret, tokens, spec.headers(), timeout(bound), responseLimit);
  }

  private MetricsProvider influxdb(
      MetricTemplateProvider spec, Map<String, String> credentials, Duration bound)
      throws MetricsProviderException {
    return new InfluxdbProvider(
        parseAddress(spec.type(), spec.address()),
        secret(spec, credentials),
        spec.headers(),
        Boolean.TRUE.equals(spec.insecureSkipVerify()),
        timeout(bound, InfluxdbProvider.TIMEOUT),
        responseLimit);
  }

  private MetricsProvider splunk(
      MetricTemplateProvider spec,
      Map<String, String> credentials,
      String metricInterval,
      Duration bound)
      throws MetricsProviderException {
    Duration interval = metricInterval(metricInterval);
    return new SplunkProvider(
        spec.address(),
        secret(spec, credentials),
        spec.headers(),
        interval,
        Boolean.TRUE.equals(spec.insecureSkipVerify()),
        timeout(bound),
        responseLimit,
        clock);
  }

  /** The metric's {@code interval} (a Go duration), the window of providers that query one. */
  private static Duration metricInterval(String metricInterval) throws MetricsProviderException {
    return GoDuration.parse(metricInterval)
        .orElseThrow(
            () ->
                new MetricsProviderException(
                    "error parsing metric interval: time: invalid duration \""
                        + metricInterval
                        + "\""));
  }

  private static String secretName(MetricTemplateProvider spec) {
    return spec.secretRef() == null ? null : spec.secretRef().name();
  }

  /** The decoded data of {@code spec.provider.secretRef}, named for the provider's errors. */
  private static ProviderSecret secret(
      MetricTemplateProvider spec, Map<String, String> credentials) {
    return new ProviderSecret(spec.type(), secretName(spec), credentials);
  }

  private static PrometheusProvider.Credentials credentials(
      String type, Map<String, String> credentials) throws MetricsProviderException {
    String token = credentials.get("token");
    if (token != null) {
      return new PrometheusProvider.Credentials(token, null, null);
    }
    String username = credentials.get("username");
    if (username == null) {
      throw new MetricsProviderException(
          type + " credentials does not contain either token or username");
    }
    String password = credentials.get("password");
    if (password == null) {
      throw new MetricsProviderException(type + " credentials does not contain password");
    }
    return new PrometheusProvider.Credentials(null, username, password);
  }

  static URI parseAddress(String type, String address) throws MetricsProviderException {
    return parseAddress(type, address, address);
  }

  /**
   * {@code address} as an absolute http(s) URL, else {@code <type> address <shown> is not a valid
   * URL} ({@code shown}: the address as the user wrote it, when {@code address} is derived from
   * it).
   */
  static URI parseAddress(String type, String address, String shown)
      throws MetricsProviderException {
    String invalid = type + " address " + (shown == null ? "" : shown) + " is not a valid URL";
    if (address == null || address.isBlank()) {
      throw new MetricsProviderException(invalid);
    }
    try {
      URI uri = new URI(address.strip());
      if (uri.getScheme() == null
          || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
          || uri.getRawAuthority() == null) {
        throw new MetricsProviderException(invalid);
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new MetricsProviderException(invalid);
    }
  }

  /** The request timeout: the default, never above {@code bound} when one is given. */
  Duration timeout(Duration bound) {
    return timeout(bound, defaultTimeout);
  }

  /**
   * The request timeout of a provider whose own timeout is {@code ceiling}, within {@code bound}.
   */
  static Duration timeout(Duration bound, Duration ceiling) {
    if (bound == null || bound.isZero() || bound.isNegative()) {
      return ceiling;
    }
    return bound.compareTo(ceiling) < 0 ? bound : ceiling;
  }

  private static Duration boundedBy(Duration wait, Duration bound) {
    return timeout(bound, wait);
  }
}
