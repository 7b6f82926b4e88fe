package app.flagger.controller.metrics.providers;

import app.flagger.controller.observe.ControllerMetrics;
import app.flagger.model.canary.CanaryMetric;
import app.flagger.model.common.GoDuration;
import app.flagger.model.metric.MetricProviderType;
import app.flagger.model.metric.MetricTemplateProvider;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

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
  private final Clock clock;

  /**
   * @param defaultTimeout per-request timeout, used unless a shorter bound is asked for
   * @param metrics where the providers' calls are counted and timed
   * @param responseLimit the most bytes of an answer read ({@code flagger.http-response-limit})
   */
  public ProviderFactory(Duration defaultTimeout, ControllerMetrics metrics, long responseLimit) {
    this(defaultTimeout, metrics, responseLimit, Clock.systemUTC());
  }

  /**
   * @param clock where providers that query a time window ({@code splunk}) take "now"
   */
  public ProviderFactory(
      Duration defaultTimeout, ControllerMetrics metrics, long responseLimit, Clock clock) {
    this.defaultTimeout = defaultTimeout;
    this.metrics = metrics;
    this.responseLimit = responseLimit;
    this.clock = clock;
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
   *     query one ({@code splunk}: ten of them)
   * @param bound an upper bound for the request timeout (the analysis interval)
   */
  public MetricsProvider provider(
      MetricTemplateProvider spec,
      Map<String, String> credentials,
      String metricInterval,
      Duration bound)
      throws MetricsProviderException {
    String type = spec.type() == null ? "" : spec.type();
    Optional<MetricProviderType> known = MetricProviderType.parse(type);
    if (known.isEmpty()) {
      LOG.warning(() -> "unknown metrics provider type '" + type + "', using prometheus");
      return prometheus(spec, credentials, bound);
    }
    return switch (known.get()) {
      case PROMETHEUS -> prometheus(spec, credentials, bound);
      case INFLUXDB -> influxdb(spec, credentials, bound);
      case SPLUNK -> splunk(spec, credentials, metricInterval, bound);
      case DATADOG,
          EXTERNALMETRICS,
          STACKDRIVER,
          CLOUDWATCH,
          NEWRELIC,
          GRAPHITE,
          DYNATRACE,
          KEPTN ->
          throw new MetricsProviderException(
              "metrics provider type " + type + " is not supported by this version");
    };
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

  private MetricsProvider influxdb(
      MetricTemplateProvider spec, Map<String, String> credentials, Duration bound)
      throws MetricsProviderException {
    String secretName = spec.secretRef() == null ? null : spec.secretRef().name();
    return new MeteredProvider(
        new InfluxdbProvider(
            parseAddress(spec.type(), spec.address()),
            new ProviderSecret(spec.type(), secretName, credentials),
            spec.headers(),
            Boolean.TRUE.equals(spec.insecureSkipVerify()),
            timeout(bound, InfluxdbProvider.TIMEOUT),
            responseLimit),
        metrics);
  }

  private MetricsProvider splunk(
      MetricTemplateProvider spec,
      Map<String, String> credentials,
      String metricInterval,
      Duration bound)
      throws MetricsProviderException {
    Duration interval =
        GoDuration.parse(metricInterval)
            .orElseThrow(
                () ->
                    new MetricsProviderException(
                        "error parsing metric interval: time: invalid duration \""
                            + metricInterval
                            + "\""));
    String secretName = spec.secretRef() == null ? null : spec.secretRef().name();
    return new MeteredProvider(
        new SplunkProvider(
            spec.address(),
            new ProviderSecret(spec.type(), secretName, credentials),
            spec.headers(),
            interval,
            Boolean.TRUE.equals(spec.insecureSkipVerify()),
            timeout(bound),
            responseLimit,
            clock),
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
}
