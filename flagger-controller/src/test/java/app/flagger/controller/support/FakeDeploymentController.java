package app.flagger.controller.support;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Plays the Deployment controller on the mock API server (after Strimzi's
 * MockDeploymentController): marks Deployments rolled out and available, or stuck. With {@link
 * #observingCreates} it also observes each new Deployment the moment it is created, as Flagger's
 * test fixture does.
 */
public final class FakeDeploymentController {
  private static final Pattern DEPLOYMENTS =
      Pattern.compile("/apis/apps/v1/namespaces/[^/]+/deployments");
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private final KubernetesClient client;
  private final String namespace;

  public FakeDeploymentController(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  /** Every Deployment of the namespace finished its rollout. */
  public void reconcileAll() {
    for (Deployment d : client.apps().deployments().inNamespace(namespace).list().getItems()) {
      markReady(d.getMetadata().getName());
    }
  }

  /** {@code name} finished its rollout with all replicas available. */
  public void markReady(String name) {
    Deployment d = client.apps().deployments().inNamespace(namespace).withName(name).get();
    int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    DeploymentStatus status =
        new DeploymentStatusBuilder()
            .withObservedGeneration(d.getMetadata().getGeneration())
            .withReplicas(replicas)
            .withUpdatedReplicas(replicas)
            .withAvailableReplicas(replicas)
            .withReadyReplicas(replicas)
            .build();
    writeStatus(d, status);
  }

  /** {@code name} has no updated replica yet. */
  public void markNotReady(String name) {
    Deployment d = client.apps().deployments().inNamespace(namespace).withName(name).get();
    writeStatus(
        d,
        new DeploymentStatusBuilder()
            .withObservedGeneration(d.getMetadata().getGeneration())
            .withReplicas(0)
            .withUpdatedReplicas(0)
            .build());
  }

  /** {@code name} is stuck: minimum replicas unavailable since {@code since}. */
  public void markStuck(String name, Instant since) {
    Deployment d = client.apps().deployments().inNamespace(namespace).withName(name).get();
    DeploymentCondition available =
        new DeploymentConditionBuilder()
            .withType("Available")
            .withStatus("False")
            .withReason("MinimumReplicasUnavailable")
            .withLastUpdateTime(since.toString())
            .withLastTransitionTime(since.toString())
            .build();
    writeStatus(
        d,
        new DeploymentStatusBuilder()
            .withObservedGeneration(d.getMetadata().getGeneration())
            .withReplicas(1)
            .withUpdatedReplicas(0)
            .withConditions(List.of(available))
            .build());
  }

  /**
   * Wraps the mock API server's dispatcher so that a Deployment comes back from its create already
   * observed but not rolled out: {@code status.observedGeneration} equal to its generation and no
   * updated replica. That is what Flagger's fake clientset shows on the first look at a new primary
   * ("0 out of 1 new replicas have been updated"), where a real Deployment controller would need a
   * moment to observe the new generation.
   */
  public static Dispatcher observingCreates(Dispatcher crud) {
    return new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        MockResponse created = crud.dispatch(request);
        String path = request.getPath();
        int q = path.indexOf('?');
        path = q < 0 ? path : path.substring(0, q);
        if (!"POST".equals(request.getMethod())
            || !DEPLOYMENTS.matcher(path).matches()
            || created.code() != 201) {
          return created;
        }
        Deployment d = JSON.unmarshal(created.getBody().readUtf8(), Deployment.class);
        d.setStatus(
            new DeploymentStatusBuilder()
                .withObservedGeneration(d.getMetadata().getGeneration())
                .withReplicas(0)
                .withUpdatedReplicas(0)
                .build());
        MockResponse observed =
            crud.dispatch(
                new RecordedRequest(
                    "HTTP/1.1",
                    HttpMethod.PUT,
                    path + "/" + d.getMetadata().getName() + "/status",
                    Headers.builder().add("Content-Type", "application/json").build(),
                    new Buffer(JSON.asJson(d).getBytes(StandardCharsets.UTF_8))));
        return observed.setResponseCode(201);
      }
    };
  }

  private void writeStatus(Deployment d, DeploymentStatus status) {
    d.setStatus(status);
    client.apps().deployments().inNamespace(namespace).resource(d).updateStatus();
  }
}
