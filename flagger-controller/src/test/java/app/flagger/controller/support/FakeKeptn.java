package app.flagger.controller.support;

import app.flagger.controller.metrics.providers.KeptnProvider;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;

/**
 * Plays Keptn's metrics operator on the mock API server: registers the KeptnMetric and Analysis
 * CRDs, writes KeptnMetric values, and completes every Analysis created with {@link #pass} (unless
 * {@link #complete} is off), recording the Analyses it saw.
 */
public final class FakeKeptn implements AutoCloseable {
  private final KubernetesClient client;
  private final SharedIndexInformer<GenericKubernetesResource> informer;

  /** The Analyses created so far, as created. */
  public final List<GenericKubernetesResource> analyses = new CopyOnWriteArrayList<>();

  public volatile boolean complete = true;
  public volatile boolean pass = true;

  public FakeKeptn(KubernetesClient client) {
    this.client = client;
    Crds.registerResource(client, "/crds/keptn-keptnmetrics.yaml");
    Crds.registerResource(client, "/crds/keptn-analyses.yaml");
    informer =
        client
            .genericKubernetesResources(KeptnProvider.ANALYSES)
            .inAnyNamespace()
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(GenericKubernetesResource analysis) {
                    analyses.add(analysis);
                    if (complete) {
                      analysis.setAdditionalProperty(
                          "status", Map.of("state", "Completed", "pass", pass));
                      client
                          .genericKubernetesResources(KeptnProvider.ANALYSES)
                          .inNamespace(analysis.getMetadata().getNamespace())
                          .resource(analysis)
                          .updateStatus();
                    }
                  }

                  @Override
                  public void onUpdate(GenericKubernetesResource o, GenericKubernetesResource n) {}

                  @Override
                  public void onDelete(GenericKubernetesResource analysis, boolean unknown) {}
                });
    // Closing the informer while its watch is still being opened leaves that connection open and
    // the mock server then fails to shut down ("Unable to close MockWebServer"): tests that never
    // create an Analysis close it right away, so wait here until the watch is open.
    Awaitility.await()
        .pollInterval(Duration.ofMillis(10))
        .atMost(Duration.ofSeconds(30))
        .until(informer::isWatching);
  }

  /** Creates or replaces the KeptnMetric {@code namespace/name} with {@code status.value}. */
  public void metric(String namespace, String name, String value) {
    var metrics =
        client.genericKubernetesResources(KeptnProvider.KEPTN_METRICS).inNamespace(namespace);
    GenericKubernetesResource m = metrics.withName(name).get();
    if (m == null) {
      m = new GenericKubernetesResource();
      m.setApiVersion("metrics.keptn.sh/v1beta1");
      m.setKind("KeptnMetric");
      m.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
      m.setAdditionalProperty(
          "spec", Map.of("provider", Map.of("name", "prometheus"), "query", "up"));
      m = metrics.resource(m).create();
    }
    m.setAdditionalProperty("status", Map.of("value", value, "rawValue", "MQ=="));
    metrics.resource(m).updateStatus();
  }

  @Override
  public void close() {
    informer.close();
  }
}
