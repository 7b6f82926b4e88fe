package app.flagger.controller.router.traefik;

import static app.flagger.controller.router.traefik.TraefikFixtures.canary;
import static app.flagger.controller.router.traefik.TraefikFixtures.services;
import static app.flagger.controller.router.traefik.TraefikFixtures.weights;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.controller.router.RouterException;
import app.flagger.controller.router.Routes;
import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Flagger's TestTraefikRouter_Reconcile, _SetRoutes and _GetRoutes, and what others add. */
@EnableKubernetesMockClient(crud = true)
class TraefikRouterKubeTest {
  KubernetesClient client;
  TraefikRouter router;

  @BeforeEach
  void setUp() {
    TraefikFixtures.registerCrd(client);
    router = new TraefikRouter(client);
  }

  private GenericKubernetesResource traefikService() {
    return client
        .genericKubernetesResources(TraefikRouter.TRAEFIK_SERVICES)
        .inNamespace("default")
        .withName("podinfo")
        .get();
  }

  private void replace(GenericKubernetesResource ts) {
    client.genericKubernetesResources(TraefikRouter.TRAEFIK_SERVICES).resource(ts).update();
  }

  @Test
  void reconcileCreatesTheTraefikServiceWithTheApexMetadata() {
    Canary c = TraefikFixtures.withApexMetadata();

    router.reconcile(c);

    GenericKubernetesResource ts = traefikService();
    assertThat(weights(ts)).containsExactly(100);
    assertThat(ts.getMetadata().getLabels()).isEqualTo(Map.of("test", "label"));
    assertThat(ts.getMetadata().getAnnotations()).containsEntry("test", "annotation");
    assertThat(ts.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getName()).isEqualTo("podinfo"));
    assertThat(router.getRoutes(c)).isEqualTo(Routes.allPrimary());
  }

  /** Flagger's reconcile subtests: reconcile → SetRoutes → reconcile keeps the weights. */
  @ParameterizedTest
  @CsvSource({"60, 40, 2", "100, 0, 1", "0, 100, 2"})
  void reconcileDoesNotChangeTheWeights(int primary, int canary, int entries) {
    Canary c = TraefikFixtures.withApexMetadata();
    router.reconcile(c);
    router.setRoutes(c, new Routes(primary, canary, false));
    String version = traefikService().getMetadata().getResourceVersion();

    router.reconcile(c);

    GenericKubernetesResource ts = traefikService();
    assertThat(ts.getMetadata().getResourceVersion()).isEqualTo(version);
    assertThat(services(ts)).hasSize(entries);
    assertThat(router.getRoutes(c)).isEqualTo(new Routes(primary, canary, false));
  }

  /**
   * A port change mid-analysis rewrites the entries, keeping the split (Flagger writes 100/100).
   */
  @Test
  void reconcileUpdatesTheEntriesWhenThePortChangesKeepingTheWeights() {
    router.reconcile(canary());
    router.setRoutes(canary(), new Routes(70, 30, false));
    Canary moved = canary("port: 8080", TraefikFixtures.PROGRESSIVE);

    router.reconcile(moved);

    assertThat(services(traefikService()))
        .extracting(s -> s.get("port"), s -> s.get("weight"))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(8080, 70),
            org.assertj.core.groups.Tuple.tuple(8080, 30));
  }

  @Test
  void reconcileKeepsWhatOthersAddedAndAddsNewApexMetadata() {
    router.reconcile(canary());
    GenericKubernetesResource ts = traefikService();
    ts.getMetadata().getAnnotations().put("foo", "bar");
    Map<String, Object> spec = new LinkedHashMap<>(TraefikRouter.spec(ts));
    Map<String, Object> weighted = new LinkedHashMap<>(castMap(spec.get("weighted")));
    weighted.put("sticky", Map.of("cookie", Map.of("name", "lvl1")));
    Map<String, Object> primary = new LinkedHashMap<>(services(ts).get(0));
    primary.put("scheme", "h2c");
    weighted.put("services", List.of(primary));
    spec.put("weighted", weighted);
    ts.setAdditionalProperty("spec", spec);
    replace(ts);

    router.reconcile(TraefikFixtures.withApexMetadata());
    router.setRoutes(canary(), new Routes(80, 20, false));
    router.reconcile(canary("port: 8080", TraefikFixtures.PROGRESSIVE));

    GenericKubernetesResource after = traefikService();
    assertThat(after.getMetadata().getAnnotations())
        .containsEntry("foo", "bar")
        .containsEntry("test", "annotation");
    assertThat(after.getMetadata().getLabels()).containsEntry("test", "label");
    assertThat(castMap(TraefikRouter.spec(after).get("weighted")))
        .containsEntry("sticky", Map.of("cookie", Map.of("name", "lvl1")));
    assertThat(services(after))
        .allSatisfy(s -> assertThat(s).containsEntry("scheme", "h2c").containsEntry("port", 8080));
    assertThat(weights(after)).containsExactly(80, 20);
  }

  /** Flagger's TestTraefikRouter_SetRoutes, then back to the primary on promotion. */
  @Test
  void setRoutesWritesTheCanaryEntryOnlyWhileItHasAWeight() {
    Canary c = canary();
    router.reconcile(c);

    for (int canary : new int[] {0, 20, 40, 60, 80, 100, 0}) {
      router.setRoutes(c, new Routes(100 - canary, canary, false));

      List<Object> weights = weights(traefikService());
      assertThat(weights).hasSize(canary > 0 ? 2 : 1).startsWith(100 - canary);
      if (canary > 0) {
        assertThat(weights.get(1)).isEqualTo(canary);
      }
      assertThat(router.getRoutes(c)).isEqualTo(new Routes(100 - canary, canary, false));
    }
  }

  @Test
  void analysisMatchIsRefusedNamingTheField() {
    Canary ab =
        canary(
            "port: 9898",
            """
            iterations: 5
            match:
              - headers:
                  x-user-type:
                    exact: test
            """);

    assertThatThrownBy(() -> router.reconcile(ab))
        .isInstanceOf(RouterException.class)
        .hasMessageStartingWith(
            "analysis.match of podinfo.default is not supported with the traefik provider");
    assertThat(weights(traefikService()))
        .as("written first, everything on the primary, so the app stays reachable")
        .containsExactly(100);
  }

  @Test
  void analysisMirrorIsRefusedNamingTheField() {
    Canary mirrored = canary("port: 9898", "iterations: 5\nmirror: true");

    assertThatThrownBy(() -> router.reconcile(mirrored))
        .isInstanceOf(RouterException.class)
        .hasMessageStartingWith(
            "analysis.mirror of podinfo.default is not supported with the traefik provider");
  }

  @Test
  void getRoutesWithoutTheTraefikServiceFailsNamingIt() {
    assertThatThrownBy(() -> router.getRoutes(canary()))
        .isInstanceOf(RouterException.class)
        .hasMessage(
            "TraefikService podinfo.default query error: traefikservices.traefik.io"
                + " \"podinfo\" not found");
  }

  @Test
  void finalizeLeavesTheTraefikServiceToItsOwnerReference() {
    Canary c = canary();
    router.reconcile(c);

    router.finalize(c);

    assertThat(weights(traefikService())).containsExactly(100);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Object o) {
    return (Map<String, Object>) o;
  }
}
