package app.flagger.controller.metrics.providers;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.random.RandomGenerator;

/**
 * Keptn's metrics API ({@code metrics.keptn.sh/v1beta1}), Flagger's {@code KeptnProvider}. A query
 * {@code keptnmetric/<namespace>/<name>} reads the KeptnMetric's {@code status.value}; {@code
 * analysis/<namespace>/<definition>[/<timeframe>[/<k=v;k=v>]]} creates an Analysis of that
 * AnalysisDefinition, waits (on a watch, at most the analysis wait) until Keptn completes it, and
 * returns 1 when it passed, 0 when it failed; the Analysis is deleted afterwards. The query is
 * lower-cased first, as Flagger does. Keptn is always reported online.
 */
public final class KeptnProvider implements MetricsProvider {
  private static final Logger LOG = Logger.getLogger(KeptnProvider.class.getName());

  /** Flagger's wait for Keptn to complete an Analysis. */
  public static final Duration ANALYSIS_WAIT = Duration.ofSeconds(10);

  static final String FORMAT =
      "<keptnmetric|analysis>/<namespace>/<resourceName>/<duration>/<arguments>";

  public static final ResourceDefinitionContext KEPTN_METRICS =
      context("keptnmetrics", "KeptnMetric");
  public static final ResourceDefinitionContext ANALYSES = context("analyses", "Analysis");

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final KubernetesClient client;
  private final RandomGenerator random;
  private final Duration wait;

  /**
   * @param client the controller's client (Flagger uses its in-cluster config)
   * @param random source of the 6-character suffix of Analysis names
   * @param wait how long an Analysis may take to complete
   */
  public KeptnProvider(KubernetesClient client, RandomGenerator random, Duration wait) {
    this.client = client;
    this.random = random;
    this.wait = wait;
  }

  private static ResourceDefinitionContext context(String plural, String kind) {
    return new ResourceDefinitionContext.Builder()
        .withGroup("metrics.keptn.sh")
        .withVersion("v1beta1")
        .withPlural(plural)
        .withKind(kind)
        .withNamespaced(true)
        .build();
  }

  /** A parsed query: the kind, where, and for an Analysis its timeframe and arguments. */
  record Query(
      boolean analysis,
      String namespace,
      String name,
      String timeframe,
      Map<String, String> arguments) {}

  static Query parse(String query) throws MetricsProviderException {
    String[] parts = query.toLowerCase(Locale.ROOT).strip().split("/", -1);
    if (parts.length < 3) {
      throw new MetricsProviderException(
          "unexpected query format. query must be in the format "
              + FORMAT
              + ", got '"
              + query
              + "'");
    }
    boolean analysis =
        switch (parts[0]) {
          case "keptnmetric", "keptnmetrics" -> false;
          case "analysis", "analyses" -> true;
          default ->
              throw new MetricsProviderException(
                  "unexpected resource kind provided in the query. must be one of: ['keptnmetric',"
                      + " 'analysis'], got '"
                      + parts[0]
                      + "'");
        };
    if (parts[1].isEmpty() || parts[2].isEmpty()) {
      throw new MetricsProviderException(
          "unexpected query format: empty namespace or name, query must be in the format "
              + FORMAT);
    }
    Map<String, String> arguments = new LinkedHashMap<>();
    if (analysis && parts.length >= 5) {
      for (String pair : parts[4].split(";")) {
        String[] kv = pair.split("=", -1);
        if (kv.length == 2) {
          arguments.put(kv[0], kv[1]);
        }
      }
    }
    String timeframe = analysis ? (parts.length >= 4 ? parts[3] : "1m") : null;
    return new Query(analysis, parts[1], parts[2], timeframe, arguments);
  }

  @Override
  public double runQuery(String query) throws MetricsProviderException {
    Query q = parse(query);
    return q.analysis() ? analysis(q) : keptnMetric(q);
  }

  @Override
  public boolean isOnline() {
    return true;
  }

  private double keptnMetric(Query q) throws MetricsProviderException {
    String id = q.namespace() + "/" + q.name();
    GenericKubernetesResource metric;
    try {
      metric =
          client
              .genericKubernetesResources(KEPTN_METRICS)
              .inNamespace(q.namespace())
              .withName(q.name())
              .get();
    } catch (KubernetesClientException e) {
      throw new MetricsProviderException(
          "could not retrieve KeptnMetric " + id + ": " + e.getMessage(), e);
    }
    if (metric == null) {
      throw new MetricsProviderException(
          "could not retrieve KeptnMetric " + id + ": keptnmetrics \"" + q.name() + "\" not found");
    }
    if (status(metric).get("value") instanceof String value) {
      try {
        return Double.parseDouble(value.strip());
      } catch (NumberFormatException e) {
        throw new MetricsProviderException(
            "could not parse value of KeptnMetric " + id + " to float: '" + value + "'");
      }
    }
    throw new MetricsProviderException(
        "could not retrieve KeptnMetric - no value found in resource " + id);
  }

  private double analysis(Query q) throws MetricsProviderException {
    String id = q.namespace() + "/" + q.name();
    GenericKubernetesResource analysis = new GenericKubernetesResource();
    analysis.setApiVersion("metrics.keptn.sh/v1beta1");
    analysis.setKind("Analysis");
    analysis.setMetadata(
        new ObjectMetaBuilder()
            .withName(q.name() + "-" + suffix())
            .withNamespace(q.namespace())
            .build());
    analysis.setAdditionalProperty(
        "spec",
        Map.of(
            "analysisDefinition", Map.of("name", q.name()),
            "timeframe", Map.of("recent", q.timeframe()),
            "args", q.arguments()));
    String name = analysis.getMetadata().getName();
    var analyses = client.genericKubernetesResources(ANALYSES).inNamespace(q.namespace());
    try {
      analyses.resource(analysis).create();
    } catch (KubernetesClientException e) {
      throw new MetricsProviderException(
          "could not create Keptn Analysis " + id + ": " + e.getMessage(), e);
    }
    try {
      GenericKubernetesResource done =
          analyses
              .withName(name)
              .waitUntilCondition(KeptnProvider::completed, wait.toMillis(), TimeUnit.MILLISECONDS);
      return Boolean.TRUE.equals(status(done).get("pass")) ? 1 : 0;
    } catch (KubernetesClientTimeoutException e) {
      throw new MetricsProviderException(
          "encountered timeout while waiting for Keptn Analysis "
              + id
              + " to be finished (waited "
              + wait.toSeconds()
              + "s)");
    } catch (KubernetesClientException e) {
      throw new MetricsProviderException(
          "could not check status of created Keptn Analysis " + id + ": " + e.getMessage(), e);
    } finally {
      try {
        analyses.withName(name).delete();
      } catch (KubernetesClientException e) {
        LOG.warning(() -> "Could not delete Keptn Analysis '" + name + "': " + e.getMessage());
      }
    }
  }

  /** Keptn wrote the result: {@code status.state} Completed and a boolean {@code status.pass}. */
  private static boolean completed(GenericKubernetesResource r) {
    if (r == null) {
      return false;
    }
    Map<String, Object> status = status(r);
    return "Completed".equals(status.get("state")) && status.get("pass") instanceof Boolean;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> status(GenericKubernetesResource r) {
    return r.getAdditionalProperties().get("status") instanceof Map<?, ?> m
        ? (Map<String, Object>) m
        : Map.of();
  }

  private String suffix() {
    char[] s = new char[6];
    for (int i = 0; i < s.length; i++) {
      s[i] = HEX[random.nextInt(HEX.length)];
    }
    return new String(s);
  }
}
