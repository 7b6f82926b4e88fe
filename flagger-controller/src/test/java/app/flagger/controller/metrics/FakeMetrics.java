package app.flagger.controller.metrics;

import app.flagger.controller.metrics.providers.MetricsProvider;
import app.flagger.controller.metrics.providers.MetricsProviderException;
import app.flagger.controller.metrics.providers.ProviderFactory;
import app.flagger.controller.metrics.providers.RangeWindow;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryAnalysis;
import app.flagger.model.canary.CanaryMetric;
import app.flagger.model.canary.CanarySpec;
import app.flagger.model.common.LocalObjectReference;
import app.flagger.model.metric.MetricTemplate;
import app.flagger.model.metric.MetricTemplateProvider;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** In-memory providers, lookup and canaries for metric-check tests. */
final class FakeMetrics {
  private FakeMetrics() {}

  /** Answers by the first key contained in the query; records every query. */
  static final class FakeProvider implements MetricsProvider {
    final Map<String, Object> answers = new java.util.LinkedHashMap<>();
    final List<String> queries = new ArrayList<>();
    MetricsProviderException offline;

    /** Range-query answers by the first key contained in the query (double[] or exception). */
    final Map<String, Object> series = new java.util.LinkedHashMap<>();

    final List<String> rangeQueries = new ArrayList<>();
    final List<RangeWindow> windows = new ArrayList<>();
    boolean ranges = true;

    @Override
    public boolean supportsRangeQueries() {
      return ranges;
    }

    @Override
    public double[] runRangeQuery(String query, RangeWindow window)
        throws MetricsProviderException {
      rangeQueries.add(query);
      windows.add(window);
      for (var e : series.entrySet()) {
        if (query.contains(e.getKey())) {
          if (e.getValue() instanceof MetricsProviderException ex) {
            throw ex;
          }
          return (double[]) e.getValue();
        }
      }
      throw new MetricsProviderException("unexpected range query " + query);
    }

    FakeProvider answer(String contains, Object valueOrException) {
      answers.put(contains, valueOrException);
      return this;
    }

    @Override
    public double runQuery(String query) throws MetricsProviderException {
      queries.add(query);
      for (var e : answers.entrySet()) {
        if (query.contains(e.getKey())) {
          if (e.getValue() instanceof MetricsProviderException ex) {
            throw ex;
          }
          return ((Number) e.getValue()).doubleValue();
        }
      }
      throw new MetricsProviderException("unexpected query " + query);
    }

    @Override
    public boolean isOnline() throws MetricsProviderException {
      if (offline != null) {
        throw offline;
      }
      return true;
    }
  }

  /** Hands out {@code prometheus} for every request and records what was asked. */
  static final class FakeFactory extends ProviderFactory {
    final FakeProvider prometheus = new FakeProvider();
    final FakeProvider templates = new FakeProvider();
    final List<String> addresses = new ArrayList<>();

    FakeFactory() {
      super(
          ProviderFactory.DEFAULT_TIMEOUT,
          app.flagger.controller.support.TestFactories.metrics(),
          app.flagger.model.http.BoundedBody.DEFAULT_LIMIT);
    }

    MetricsProviderException constructionError;
    Map<String, String> lastCredentials;
    String lastInterval;

    @Override
    public MetricsProvider prometheus(String address, Duration bound)
        throws MetricsProviderException {
      addresses.add(address);
      return prometheus;
    }

    @Override
    public MetricsProvider provider(
        MetricTemplateProvider spec,
        Map<String, String> credentials,
        String metricInterval,
        Duration bound)
        throws MetricsProviderException {
      if (constructionError != null) {
        throw constructionError;
      }
      lastCredentials = credentials;
      lastInterval = metricInterval;
      return templates;
    }
  }

  static final class FakeLookup implements MetricsLookup {
    final Map<String, MetricTemplate> templates = new HashMap<>();
    final Map<String, Map<String, String>> secrets = new HashMap<>();

    void template(String namespace, String name, String query, String secret) {
      template(namespace, name, "prometheus", "http://prom:9090", query, secret);
    }

    /** A MetricTemplate of provider {@code type} at {@code address}. */
    void template(
        String namespace, String name, String type, String address, String query, String secret) {
      MetricTemplate t = new MetricTemplate();
      t.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
      t.setSpec(
          new app.flagger.model.metric.MetricTemplateSpec(
              new MetricTemplateProvider(
                  type,
                  address,
                  null,
                  secret == null ? null : new app.flagger.model.common.SecretReference(secret),
                  null,
                  null),
              query));
      templates.put(namespace + "/" + name, t);
    }

    @Override
    public MetricTemplate metricTemplate(String namespace, String name) throws LookupException {
      MetricTemplate t = templates.get(namespace + "/" + name);
      if (t == null) {
        throw new LookupException("metrictemplates.flagger.app \"" + name + "\" not found");
      }
      return t;
    }

    @Override
    public Map<String, String> secretData(String namespace, String name) throws LookupException {
      Map<String, String> s = secrets.get(namespace + "/" + name);
      if (s == null) {
        throw new LookupException("secrets \"" + name + "\" not found");
      }
      return s;
    }

    @Override
    public String knativeLatestRevision(String namespace, String name) {
      return "podinfo-00002";
    }
  }

  static CanaryMetric metric(String name, Double min, Double max) {
    return new CanaryMetric(
        name,
        "1m",
        null,
        min == null && max == null ? null : new app.flagger.model.canary.ThresholdRange(min, max),
        null,
        null,
        null);
  }

  static Canary canary(String metricsServer, CanaryMetric... metrics) {
    Canary c = new Canary();
    c.setMetadata(new ObjectMetaBuilder().withName("podinfo").withNamespace("test").build());
    CanaryAnalysis analysis =
        new CanaryAnalysis(
            "1m",
            5,
            50,
            10,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            List.of(metrics),
            null,
            null,
            null);
    c.setSpec(
        new CanarySpec(
            null,
            metricsServer,
            new LocalObjectReference("apps/v1", "Deployment", "podinfo"),
            null,
            null,
            null,
            null,
            null,
            analysis,
            null,
            null,
            null,
            null,
            null));
    return c;
  }
}
