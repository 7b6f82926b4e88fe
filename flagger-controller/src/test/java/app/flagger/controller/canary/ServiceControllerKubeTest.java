package app.flagger.controller.canary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.controller.kube.InformerCache;
import app.flagger.controller.support.CacheSync;
import app.flagger.controller.support.CanaryFixture;
import app.flagger.controller.support.Crds;
import app.flagger.controller.support.ServiceTargetFixture;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanarySpec;
import app.flagger.model.canary.CanaryStatus;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Service target on the mock API server, against what Flagger's {@code ServiceController} does:
 * {@code <target>-canary} and {@code <target>-primary} are copies of the target Service owned by
 * the Canary, the canary copy follows the target, promotion copies the spec to the primary, and the
 * workload operations are no-ops.
 */
@EnableKubernetesMockClient(crud = true)
class ServiceControllerKubeTest {
  private static final String NS = CanaryFixture.NS;

  KubernetesClient client;
  InformerCache cache;

  @BeforeEach
  void setUp() {
    Crds.register(client);
    cache = new InformerCache(client, NS);
    cache.start();
  }

  @AfterEach
  void tearDown() {
    CacheSync.awaitWatching(cache);
    cache.close();
  }

  private ServiceController controller(List<String> includeLabelPrefix, String meshProvider) {
    return new ServiceController(client, cache, new Labels(includeLabelPrefix), meshProvider);
  }

  private ServiceController controller() {
    return controller(List.of(), "gatewayapi:v1");
  }

  private Canary canary(String provider, String trafficDistribution, String apiVersion) {
    CanarySpec base = CanaryFixture.spec(provider, CanaryFixture.analysis(10, null, null, 2, null));
    Map<String, Object> service = new HashMap<>();
    if (trafficDistribution != null) {
      service.put("trafficDistribution", trafficDistribution);
    }
    return new CanaryFixture(client)
        .create(ServiceTargetFixture.targetingService(base, apiVersion, service));
  }

  private Canary canary() {
    return canary("gatewayapi:v1", null, "v1");
  }

  private void createTarget(Service s) {
    client.services().inNamespace(NS).resource(s).create();
    synced();
  }

  private void editTarget(Consumer<Service> change) {
    editService("podinfo", change);
  }

  private void editService(String name, Consumer<Service> change) {
    client
        .services()
        .inNamespace(NS)
        .withName(name)
        .edit(
            s -> {
              change.accept(s);
              return s;
            });
    synced();
  }

  private void synced() {
    CacheSync.await(cache, client);
  }

  private Service get(String name) {
    return client.services().inNamespace(NS).withName(name).get();
  }

  private static void assertOwnedBy(Service s, Canary canary) {
    assertThat(s.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            (OwnerReference r) -> {
              assertThat(r.getApiVersion()).isEqualTo("flagger.app/v1beta1");
              assertThat(r.getKind()).isEqualTo("Canary");
              assertThat(r.getName()).isEqualTo("podinfo");
              assertThat(r.getUid()).isEqualTo(canary.getMetadata().getUid());
              assertThat(r.getController()).isTrue();
            });
  }

  @Test
  void initializeCopiesTheTargetToTheCanaryAndPrimaryServices() {
    createTarget(ServiceTargetFixture.target());
    Canary canary = canary();

    Readiness r = controller().initialize(canary, false);

    assertThat(r.ready()).isTrue();
    Service t = get("podinfo");
    for (String name : List.of("podinfo-canary", "podinfo-primary")) {
      Service s = get(name);
      assertThat(s).as(name).isNotNull();
      assertThat(s.getMetadata().getLabels())
          .as(name + " labels, all of the target's")
          .isEqualTo(Map.of("app", "podinfo", "team", "payments"));
      assertThat(s.getMetadata().getAnnotations())
          .as(name + " annotations, without kubectl's last-applied configuration")
          .isEqualTo(Map.of("team/owner", "ops", "note", "hi"));
      assertOwnedBy(s, canary);
      assertThat(s.getSpec().getType()).isEqualTo("ClusterIP");
      assertThat(s.getSpec().getSelector()).isEqualTo(Map.of("app", "podinfo"));
      assertThat(s.getSpec().getPorts()).isEqualTo(t.getSpec().getPorts());
      assertThat(s.getSpec().getSessionAffinity()).isEqualTo("ClientIP");
      assertThat(s.getSpec().getClusterIP())
          .as(name + " clusterIP, left for the API server to allocate")
          .isNull();
      assertThat(s.getSpec().getClusterIPs()).isNullOrEmpty();
    }
    assertThat(get("podinfo").getMetadata().getOwnerReferences())
        .as("the target stays the user's")
        .isNullOrEmpty();
  }

  @Test
  void theCanaryServiceFollowsTheTargetWhileThePrimaryIsCreatedOnce() {
    createTarget(ServiceTargetFixture.target());
    Canary canary = canary();
    ServiceController c = controller();
    c.initialize(canary, false);
    synced();
    editService("podinfo-canary", s -> s.getSpec().setClusterIP("10.96.0.11"));
    editTarget(
        s -> {
          s.getSpec().setSelector(Map.of("app", "podinfo-v2"));
          s.getMetadata().setLabels(Map.of("app", "podinfo", "version", "v2"));
        });

    c.initialize(canary, true);

    Service canarySvc = get("podinfo-canary");
    assertThat(canarySvc.getSpec().getSelector()).isEqualTo(Map.of("app", "podinfo-v2"));
    assertThat(canarySvc.getMetadata().getLabels())
        .isEqualTo(Map.of("app", "podinfo", "version", "v2"));
    assertThat(canarySvc.getSpec().getClusterIP())
        .as("an allocated clusterIP is immutable and kept")
        .isEqualTo("10.96.0.11");
    assertOwnedBy(canarySvc, canary);
    assertThat(get("podinfo-primary").getSpec().getSelector())
        .as("the primary keeps the stable selector until promotion")
        .isEqualTo(Map.of("app", "podinfo"));
  }

  @Test
  void anUnchangedTargetWritesNothing() {
    createTarget(ServiceTargetFixture.target());
    Canary canary = canary();
    ServiceController c = controller();
    c.initialize(canary, false);
    synced();
    String canaryVersion = get("podinfo-canary").getMetadata().getResourceVersion();
    String primaryVersion = get("podinfo-primary").getMetadata().getResourceVersion();

    c.initialize(canary, false);

    assertThat(get("podinfo-canary").getMetadata().getResourceVersion()).isEqualTo(canaryVersion);
    assertThat(get("podinfo-primary").getMetadata().getResourceVersion()).isEqualTo(primaryVersion);
  }

  @Test
  void promoteCopiesTheSpecAndPrefixFilteredMetadataKeepingClusterIpAndOwner() {
    createTarget(ServiceTargetFixture.target());
    Canary canary = canary();
    ServiceController c = controller(List.of("team"), "gatewayapi:v1");
    c.initialize(canary, false);
    synced();
    editService(
        "podinfo-primary",
        s -> {
          s.getSpec().setClusterIP("10.96.0.12");
          s.getSpec().setClusterIPs(List.of("10.96.0.12"));
        });
    editTarget(
        s -> {
          s.getSpec().setSelector(Map.of("app", "podinfo-v2"));
          s.getSpec().getPorts().get(0).setPort(8080);
          s.getSpec().setSessionAffinity("None");
        });

    c.promote(canary);

    Service p = get("podinfo-primary");
    assertThat(p.getSpec().getSelector()).isEqualTo(Map.of("app", "podinfo-v2"));
    assertThat(p.getSpec().getPorts())
        .singleElement()
        .satisfies(x -> assertThat(x.getPort()).isEqualTo(8080));
    assertThat(p.getSpec().getSessionAffinity()).isEqualTo("None");
    assertThat(p.getSpec().getClusterIP()).isEqualTo("10.96.0.12");
    assertThat(p.getSpec().getClusterIPs()).containsExactly("10.96.0.12");
    assertThat(p.getMetadata().getLabels())
        .as("labels filtered by include-label-prefix 'team'")
        .isEqualTo(Map.of("team", "payments"));
    assertThat(p.getMetadata().getAnnotations())
        .as("annotations filtered by include-label-prefix 'team'")
        .isEqualTo(Map.of("team/owner", "ops"));
    assertOwnedBy(p, canary);
  }

  @Test
  void promoteWithoutIncludedPrefixesLeavesNoLabelsOrAnnotations() {
    createTarget(ServiceTargetFixture.target());
    Canary canary = canary();
    ServiceController c = controller();
    c.initialize(canary, false);
    synced();

    c.promote(canary);

    Service p = get("podinfo-primary");
    assertThat(p.getMetadata().getLabels()).isNullOrEmpty();
    assertThat(p.getMetadata().getAnnotations()).isNullOrEmpty();
  }

  @Test
  void promoteWithoutAPrimaryNamesIt() {
    createTarget(ServiceTargetFixture.target());
    Canary canary = canary();

    assertThatThrownBy(() -> controller().promote(canary))
        .isInstanceOf(TargetException.class)
        .hasMessageContaining("service podinfo-primary.default get query error");
  }

  @Test
  void changeDetectionHashesTheTargetSpecOnly() {
    createTarget(ServiceTargetFixture.target());
    Canary canary = canary();
    ServiceController c = controller();
    String hash = c.targetHash(canary);
    assertThat(c.hasTargetChanged(canary)).as("nothing applied yet").isTrue();
    canary.setStatus(status(hash, hash));
    assertThat(c.hasTargetChanged(canary)).isFalse();

    editTarget(s -> s.getMetadata().setLabels(Map.of("app", "podinfo", "release", "2")));
    assertThat(c.targetHash(canary)).as("labels are not part of the spec").isEqualTo(hash);
    assertThat(c.hasTargetChanged(canary)).isFalse();

    editTarget(s -> s.getSpec().setSelector(Map.of("app", "podinfo-v2")));
    String v2 = c.targetHash(canary);
    assertThat(v2).isNotEqualTo(hash);
    assertThat(c.hasTargetChanged(canary)).isTrue();

    canary.setStatus(status(v2, hash));
    assertThat(c.hasTargetChanged(canary)).as("already applied").isFalse();
    editTarget(s -> s.getSpec().setSelector(Map.of("app", "podinfo")));
    assertThat(c.hasTargetChanged(canary)).as("back to the promoted spec: no new canary").isFalse();
  }

  private static CanaryStatus status(String lastApplied, String lastPromoted) {
    StatusBuilder b = new StatusBuilder(null);
    b.lastAppliedSpec = lastApplied;
    b.lastPromotedSpec = lastPromoted;
    return b.build();
  }

  @Test
  void trafficDistributionFromTheCanaryIsSetOnBothCopies() {
    createTarget(ServiceTargetFixture.target());
    Canary canary = canary("gatewayapi:v1", "PreferClose", "v1");
    ServiceController c = controller();

    c.initialize(canary, false);
    synced();
    c.promote(canary);

    assertThat(get("podinfo-canary").getSpec().getTrafficDistribution()).isEqualTo("PreferClose");
    assertThat(get("podinfo-primary").getSpec().getTrafficDistribution()).isEqualTo("PreferClose");
    assertThat(get("podinfo").getSpec().getTrafficDistribution()).isNull();
  }

  @Test
  void aHeadlessTargetGivesHeadlessCopies() {
    Service t = ServiceTargetFixture.target();
    t.getSpec().setClusterIP("None");
    t.getSpec().setClusterIPs(List.of("None"));
    createTarget(t);

    controller().initialize(canary(), false);

    assertThat(get("podinfo-canary").getSpec().getClusterIP()).isEqualTo("None");
    assertThat(get("podinfo-primary").getSpec().getClusterIP()).isEqualTo("None");
  }

  @Test
  void nodePortsAreAllocatedForTheCopiesAndKeptOnUpdate() {
    Service t = ServiceTargetFixture.target();
    t.getSpec().setType("NodePort");
    t.getSpec().getPorts().get(0).setNodePort(30080);
    createTarget(t);
    Canary canary = canary();
    ServiceController c = controller();
    c.initialize(canary, false);
    assertThat(get("podinfo-canary").getSpec().getPorts().get(0).getNodePort())
        .as("the target's node port is taken")
        .isNull();
    synced();
    editService("podinfo-canary", s -> s.getSpec().getPorts().get(0).setNodePort(30081));
    editTarget(s -> s.getSpec().setSelector(Map.of("app", "podinfo-v2")));

    c.initialize(canary, false);

    Service canarySvc = get("podinfo-canary");
    assertThat(canarySvc.getSpec().getSelector()).isEqualTo(Map.of("app", "podinfo-v2"));
    assertThat(canarySvc.getSpec().getPorts().get(0).getNodePort()).isEqualTo(30081);
  }

  @Test
  void workloadOperationsAreNoOps() {
    createTarget(ServiceTargetFixture.target());
    Canary canary = canary();
    ServiceController c = controller();
    c.initialize(canary, false);
    synced();
    String targetVersion = get("podinfo").getMetadata().getResourceVersion();

    c.scaleToZero(canary);
    c.scaleFromZero(canary);

    assertThat(c.metadata(canary)).isEqualTo(new TargetMetadata("", "", Map.of()));
    assertThat(c.isPrimaryReady(canary).ready()).isTrue();
    assertThat(c.isCanaryReady(canary).ready()).isTrue();
    assertThat(c.finalize(canary).ready()).isTrue();
    assertThat(c.haveDependenciesChanged(canary)).isFalse();
    assertThat(c.trackedConfigs(canary)).isEmpty();
    assertThat(get("podinfo").getMetadata().getResourceVersion()).isEqualTo(targetVersion);
  }

  @Test
  void aMissingTargetNamesTheService() {
    Canary canary = canary();

    assertThatThrownBy(() -> controller().initialize(canary, false))
        .isInstanceOf(TargetException.class)
        .hasMessage("service podinfo.default get query error: services \"podinfo\" not found");
  }

  @Test
  void aDefaultProviderThatCannotRouteServicesIsRefusedNamingKindAndProvider() {
    createTarget(ServiceTargetFixture.target());
    Canary canary = canary(null, null, "v1");

    assertThatThrownBy(() -> controller(List.of(), "appmesh:v1beta2").metadata(canary))
        .isInstanceOf(TargetException.class)
        .hasMessageStartingWith(
            "spec.targetRef.kind: kind Service cannot be used with provider 'appmesh:v1beta2'");
    assertThat(controller(List.of(), "istio").metadata(canary).label()).isEmpty();
  }

  @Test
  void aKnativeServiceIsRefused() {
    Canary canary = canary("knative", null, "serving.knative.dev/v1");

    assertThatThrownBy(() -> controller().metadata(canary))
        .isInstanceOf(TargetException.class)
        .hasMessage(
            "Knative Service podinfo.default is not supported as a target by this controller");
  }
}
