package app.flagger.controller.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.controller.support.MockApiServer;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Writes that start from a cache that may be behind: a create of an object that already exists
 * returns it as the API server holds it (the primary DaemonSet or Deployment the cache had not seen
 * yet), and an update retries from a fresh read after each conflict, up to five attempts.
 */
class ConflictsKubeTest {
  private static final String DAEMON_SETS = "/apis/apps/v1/namespaces/test/daemonsets";

  private final MockApiServer server = MockApiServer.start();
  private final KubernetesClient client =
      new KubernetesClientBuilder().withConfig(server.config(0)).build();

  @AfterEach
  void tearDown() {
    client.close();
    server.close();
  }

  private static DaemonSet daemonSet(String image) {
    return new DaemonSetBuilder()
        .withNewMetadata()
        .withName("podinfo-primary")
        .withNamespace("test")
        .endMetadata()
        .withNewSpec()
        .withNewSelector()
        .addToMatchLabels("app", "podinfo-primary")
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", "podinfo-primary")
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("podinfo")
        .withImage(image)
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  @Test
  void createReturnsTheCreatedObject() {
    DaemonSet created =
        Conflicts.createOrGet(
            client.apps().daemonSets().inNamespace("test"), daemonSet("podinfo:1"));

    assertThat(created.getMetadata().getResourceVersion()).isNotBlank();
    assertThat(server.api().requests("GET", DAEMON_SETS + "/podinfo-primary")).isZero();
  }

  @Test
  void createOfAnObjectTheCacheHadNotSeenReturnsTheStoredOne() {
    client.apps().daemonSets().inNamespace("test").resource(daemonSet("podinfo:1")).create();

    DaemonSet existing =
        Conflicts.createOrGet(
            client.apps().daemonSets().inNamespace("test"), daemonSet("podinfo:2"));

    assertThat(existing.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo("podinfo:1");
    assertThat(server.api().requests("GET", DAEMON_SETS + "/podinfo-primary")).isEqualTo(1);
  }

  @Test
  void aCreateRejectedForAnotherReasonIsNotSwallowed() {
    server.api().fail("POST", DAEMON_SETS, 403, 1);

    assertThatThrownBy(
            () ->
                Conflicts.createOrGet(
                    client.apps().daemonSets().inNamespace("test"), daemonSet("podinfo:1")))
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(403));
  }

  @Test
  void anUpdateRetriesFromAFreshReadAfterEachConflictAndGivesUpAfterFiveAttempts() {
    AtomicInteger fresh = new AtomicInteger();
    AtomicInteger attempts = new AtomicInteger();

    String result =
        Conflicts.retry(
            "cached",
            () -> "fresh-" + fresh.incrementAndGet(),
            current -> {
              if (attempts.incrementAndGet() < 3) {
                throw new KubernetesClientException("conflict", 409, null);
              }
              return current;
            });
    assertThat(result).isEqualTo("fresh-2");

    attempts.set(0);
    assertThatThrownBy(
            () ->
                Conflicts.retry(
                    "cached",
                    () -> "fresh",
                    current -> {
                      attempts.incrementAndGet();
                      throw new KubernetesClientException("conflict", 409, null);
                    }))
        .isInstanceOf(KubernetesClientException.class);
    assertThat(attempts).hasValue(Conflicts.ATTEMPTS);
  }
}
