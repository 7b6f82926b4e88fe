package app.flagger.controller.metrics;

import app.flagger.model.metric.MetricTemplate;
import java.util.Map;

/**
 * The Kubernetes reads metric checks need: MetricTemplates, the Secrets their providers refer to,
 * and a Knative Service's latest created revision. {@link KubernetesMetricsLookup} reads them with
 * fabric8; tests supply maps.
 */
public interface MetricsLookup {
  /** The template, or a {@link LookupException} such as {@code ... "name" not found}. */
  MetricTemplate metricTemplate(String namespace, String name) throws LookupException;

  /** The decoded data of a Secret. */
  Map<String, String> secretData(String namespace, String name) throws LookupException;

  /** {@code status.latestCreatedRevisionName} of a Knative Service. */
  String knativeLatestRevision(String namespace, String name) throws LookupException;

  /** A read failed; the message is shown in Warning events after Flagger's prefixes. */
  class LookupException extends Exception {
    public LookupException(String message) {
      super(message);
    }
  }
}
