package app.flagger.controller.router.knative;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.controller.kube.KnativeServices;
import app.flagger.controller.router.RouterException;
import app.flagger.controller.router.Routes;
import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Flagger's knative_test.go cases and more, on the mock API server with Knative's CRDs. */
@EnableKubernetesMockClient(crud = true)
class KnativeRouterKubeTest {
  KubernetesClient client;
  KnativeFixtures knative;
  final Canary canary = KnativeFixtures.canary("default", "podinfo");

  @BeforeEach
  void setUp() {
    KnativeFixtures.registerCrds(client);
    knative = new KnativeFixtures(client, "default", "podinfo").create("podinfo:6.0.0");
  }

  private KnativeRouter router() {
    return new KnativeRouter(new KnativeServices(client));
  }

  @Test
  void reconcileRecordsTheLatestCreatedRevisionAsThePrimary() {
    router().reconcile(canary);

    assertThat(KnativeServices.primaryRevision(knative.service())).isEqualTo("podinfo-00001");
  }

  @Test
  void reconcileKeepsAnExistingPrimaryRevision() {
    router().reconcile(canary);
    knative.release("podinfo:6.0.1");
    knative.reconcile();
    String version = knative.service().getMetadata().getResourceVersion();

    router().reconcile(canary);

    assertThat(KnativeServices.primaryRevision(knative.service())).isEqualTo("podinfo-00001");
    assertThat(knative.service().getMetadata().getResourceVersion()).isEqualTo(version);
  }

  @Test
  void setRoutesNeedsThePrimaryRevisionAnnotation() {
    assertThatThrownBy(() -> router().setRoutes(canary, new Routes(10, 90, false)))
        .isInstanceOf(RouterException.class)
        .hasMessage("Knative Service podinfo.default annotation not found");
  }

  @Test
  void setRoutesWritesTheLatestRevisionThenThePrimaryRevision() {
    router().reconcile(canary);

    router().setRoutes(canary, new Routes(10, 90, false));

    assertThat(KnativeServices.specTraffic(knative.service()))
        .containsExactly(
            Map.of("latestRevision", true, "percent", 90),
            Map.of("revisionName", "podinfo-00001", "percent", 10));
  }

  @Test
  void getRoutesNeedsTheAnnotationThenReadsStatusTraffic() {
    assertThatThrownBy(() -> router().getRoutes(canary))
        .isInstanceOf(RouterException.class)
        .hasMessage("Knative Service podinfo.default annotation not found");
    router().reconcile(canary);
    router().setRoutes(canary, new Routes(10, 90, false));

    assertThatThrownBy(() -> router().getRoutes(canary))
        .as("Knative has not applied spec.traffic yet")
        .hasMessage("Knative Service podinfo.default traffic spec invalid");
    knative.reconcile();

    assertThat(router().getRoutes(canary)).isEqualTo(new Routes(10, 90, false));
  }

  @Test
  void userFieldsOfTheServiceArePreserved() {
    GenericKubernetesResource svc = knative.service();
    svc.getMetadata().setLabels(Map.of("team", "web"));
    svc.getMetadata().setAnnotations(Map.of("owner", "alice"));
    client.genericKubernetesResources(KnativeServices.SERVICES).resource(svc).update();
    Object template = KnativeFixtures.spec(knative.service()).get("template");

    router().reconcile(canary);
    router().setRoutes(canary, new Routes(70, 30, false));

    GenericKubernetesResource after = knative.service();
    assertThat(after.getMetadata().getLabels()).containsEntry("team", "web");
    assertThat(after.getMetadata().getAnnotations())
        .containsEntry("owner", "alice")
        .containsEntry(KnativeServices.PRIMARY_REVISION, "podinfo-00001");
    assertThat(KnativeFixtures.spec(after).get("template")).isEqualTo(template);
  }

  @Test
  void finalizeRemovesOnlyTheAnnotationAndLeavesTheTrafficAsLastSet() {
    router().reconcile(canary);
    router().setRoutes(canary, Routes.allPrimary());

    router().finalize(canary);

    GenericKubernetesResource after = knative.service();
    assertThat(KnativeServices.primaryRevision(after)).isNull();
    assertThat(KnativeServices.specTraffic(after))
        .isEqualTo(KnativeServices.traffic("podinfo-00001", 100, 0));
    String version = after.getMetadata().getResourceVersion();
    router().finalize(canary);
    assertThat(knative.service().getMetadata().getResourceVersion()).isEqualTo(version);
  }

  @Test
  void aMissingServiceIsNamed() {
    Canary other = KnativeFixtures.canary("default", "missing");

    assertThatThrownBy(() -> router().reconcile(other))
        .isInstanceOf(RouterException.class)
        .hasMessage(
            "Knative Service missing.default get query error: services.serving.knative.dev"
                + " \"missing\" not found");
    assertThatThrownBy(() -> router().getRoutes(other))
        .hasMessageStartingWith("Knative Service missing.default get query error: ");
  }
}
