package app.flagger.controller.metrics;

import app.flagger.controller.kube.KnativeServices;
import app.flagger.controller.kube.SecretData;
import app.flagger.model.metric.MetricTemplate;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;

/** {@link MetricsLookup} on a fabric8 client (reads go to the API server or its cache). */
public final class KubernetesMetricsLookup implements MetricsLookup {
  private final KubernetesClient client;

  public KubernetesMetricsLookup(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public MetricTemplate metricTemplate(String namespace, String name) throws LookupException {
    try {
      MetricTemplate t =
          client.resources(MetricTemplate.class).inNamespace(namespace).withName(name).get();
      if (t == null) {
        throw new LookupException("metrictemplates.flagger.app \"" + name + "\" not found");
      }
      return t;
    } catch (KubernetesClientException e) {
      throw new LookupException(e.getMessage());
    }
  }

  @Override
  public Map<String, String> secretData(String namespace, String name) throws LookupException {
    try {
      Secret s = client.secrets().inNamespace(namespace).withName(name).get();
      if (s == null) {
        throw new LookupException("secrets \"" + name + "\" not found");
      }
      return SecretData.decode(s);
    } catch (KubernetesClientException e) {
      throw new LookupException(e.getMessage());
    }
  }

  @Override
  public String knativeLatestRevision(String namespace, String name) throws LookupException {
    try {
      GenericKubernetesResource svc = new KnativeServices(client).service(namespace, name);
      if (svc == null) {
        throw new LookupException("services.serving.knative.dev \"" + name + "\" not found");
      }
      return KnativeServices.latestCreatedRevision(svc);
    } catch (KubernetesClientException e) {
      throw new LookupException(e.getMessage());
    }
  }
}
