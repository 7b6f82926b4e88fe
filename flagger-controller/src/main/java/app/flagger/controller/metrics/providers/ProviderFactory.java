package app.flagger.controller.metrics.providers;

import app.flagger.controller.observe.ControllerMetrics;
import app.flagger.model.metric.MetricProviderType;
import app.flagger.model.metric.MetricTemplateProvider;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.random.RandomGenerator;

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

  private final Duration defaultTimeout;
  private final ControllerMetrics metrics;
  private final long responseLimit;
  private final KubernetesClient kube;
  private final RandomGenerator random;

  /**
   * @param defaultTimeout per-request timeout, used unless a shorter bound is asked for
   * @param metrics where the providers' calls are counted and timed
   * @param responseLimit the most bytes of an answer read ({@code flagger.http-response-limit})
   */
  public ProviderFactory(Duration defaultTimeout, ControllerMetrics metrics, long responseLimit) {
    this(defaultTimeout, metrics, responseLimit, null, null);
  }

  /**
   * A factory that also builds the providers reading the cluster ({@code keptn}, {@code
   * externalmetrics}) through {@code kube}.
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
    this.defaultTimeout = defaultTimeout;
    this.metrics = metrics;
    this.responseLimit = responseLimit;
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
    String type = spec.type() == null ? "" : spec.type();
    Optional<MetricProviderType> known = MetricProviderType.parse(type);
    if (known.isEmpty()) {
      LOG.warning(() -> "unknown metrics provider type '" + type + "', using prometheus");
      return prometheus(spec, credentials, bound);
    }
    return switch (known.get()) {
      case PROMETHEUS -> prometheus(spec, credentials, bound);
      case KEPTN -> keptn(type, bound);
      case EXTERNALMETRICS -> externalMetrics(type, spec, credentials, bound);
      case INFLUXDB, DATADOG, STACKDRIVER, CLOUDWATCH, NEWRELIC, GRAPHITE, DYNATRACE, SPLUNK ->
          throw new MetricsProviderException(
              "metrics provider type " + type + " is not supported by this version");
    };
  }

  private MetricsProvider keptn(String type, Duration bound) throws MetricsProviderException {
    return new MeteredProvider(
        new KeptnProvider(cluster(type), random, boundedBy(KeptnProvider.ANALYSIS_WAIT, bound)),
        metrics);
  }

  private MetricsProvider externalMetrics(
      String type, MetricTemplateProvider spec, Map<String, String> credentials, Duration bound)
      throws MetricsProviderException {
    if (spec.address() != null && !spec.address().isBlank()) {
      parseAddress(type, spec.address());
    }
    return new MeteredProvider(
        new ExternalMetricsProvider(
            cluster(type),
            spec.address(),
            credentials.get("token"),
            Boolean.TRUE.equals(spec.insecureSkipVerify()),
            timeout(bound),
            responseLimit),
        metrics);
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
    return prometheus(
        new MetricTemplateProvider("prometheus", address, null, null, null, null), Map.of(), bound);
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
    return new MeteredProvider(
        new PrometheusProvider(
            uri,
            auth,
            spec.headers(),
            Boolean.TRUE.equals(spec.insecureSkipVerify()),
            timeout(bound),
            responseLimit),
        metrics);
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

  private static URI parseAddress(String type, String address) throws MetricsProviderException {
    String invalid = type + " address " + (address == null ? "" : address) + " is not a valid URL";
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
    return boundedBy(defaultTimeout, bound);
  }

  private static Duration boundedBy(Duration wait, Duration bound) {
    if (bound == null || bound.isZero() || bound.isNegative()) {
      return wait;
    }
    return bound.compareTo(wait) < 0 ? bound : wait;
  }
}
