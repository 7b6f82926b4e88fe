package app.flagger.controller.router.traefik;

import static app.flagger.controller.router.traefik.TraefikFixtures.canary;
import static app.flagger.controller.router.traefik.TraefikFixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.controller.router.RouterException;
import app.flagger.controller.router.Routes;
import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The TraefikService of Flagger's TraefikRouter, field by field, for its test canary. */
class TraefikServiceBuilderTest {
  private static final String KEY = "podinfo.default";

  @Test
  void buildsFlaggersTraefikServiceWithEverythingOnThePrimary() {
    GenericKubernetesResource ts = TraefikServiceBuilder.build(TraefikFixtures.withApexMetadata());

    assertThat(ts.getApiVersion()).isEqualTo("traefik.io/v1alpha1");
    assertThat(ts.getKind()).isEqualTo("TraefikService");
    assertThat(ts.getMetadata().getName()).isEqualTo("podinfo");
    assertThat(ts.getMetadata().getNamespace()).isEqualTo("default");
    assertThat(ts.getMetadata().getLabels()).isEqualTo(Map.of("test", "label"));
    assertThat(ts.getMetadata().getAnnotations())
        .containsEntry("test", "annotation")
        .containsEntry("kustomize.toolkit.fluxcd.io/reconcile", "disabled");
    assertThat(ts.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getKind()).isEqualTo("Canary"))
        .satisfies(o -> assertThat(o.getName()).isEqualTo("podinfo"))
        .satisfies(o -> assertThat(o.getController()).isTrue());
    assertThat(ts.getAdditionalProperties().get("spec"))
        .isEqualTo(
            yaml(
                """
                weighted:
                  services:
                    - name: podinfo-primary
                      namespace: default
                      port: 9898
                      weight: 100
                """));
  }

  /** Flagger's TestTraefikRouter_SetRoutes table: the canary entry only while it has a weight. */
  @ParameterizedTest
  @CsvSource({"100, 0, 1", "80, 20, 2", "60, 40, 2", "40, 60, 2", "20, 80, 2", "0, 100, 2"})
  void theCanaryEntryIsThereOnlyWhileItHasAWeight(int primary, int canary, int entries) {
    List<Object> services =
        TraefikServiceBuilder.services(canary(), new Routes(primary, canary, false), List.of());

    assertThat(services).hasSize(entries);
    assertThat(services.get(0)).isEqualTo(entry("podinfo-primary", primary));
    if (canary > 0) {
      assertThat(services.get(1)).isEqualTo(entry("podinfo-canary", canary));
    }
  }

  /** Traefik weighs an entry without a weight as 1, so the primary's 0 is written out. */
  @Test
  void allOnTheCanaryWritesThePrimaryWeightZero() {
    List<Object> services =
        TraefikServiceBuilder.services(canary(), new Routes(0, 100, false), List.of());

    assertThat(services.get(0))
        .isInstanceOfSatisfying(Map.class, m -> assertThat(m).containsEntry("weight", 0));
  }

  @Test
  void fieldsOthersPutOnAnEntryAreKeptAndANewCanaryEntryTakesThePrimarys() {
    Map<String, Object> primary = new LinkedHashMap<>(entry("podinfo-primary", 100));
    primary.put("scheme", "h2c");
    primary.put("passHostHeader", false);
    List<Object> current = List.of(primary);

    List<Object> services =
        TraefikServiceBuilder.services(canary(), new Routes(90, 10, false), current);

    assertThat(services)
        .allSatisfy(
            s ->
                assertThat(s)
                    .isInstanceOfSatisfying(
                        Map.class,
                        m ->
                            assertThat(m)
                                .containsEntry("scheme", "h2c")
                                .containsEntry("passHostHeader", false)));
  }

  @Test
  void reconcileKeepsTheCurrentWeights() {
    Canary c = canary();
    List<Object> progressing =
        TraefikServiceBuilder.services(c, new Routes(60, 40, false), List.of());

    assertThat(TraefikServiceBuilder.reconciled(c, progressing)).isEqualTo(progressing);
    assertThat(TraefikServiceBuilder.reconciled(c, List.of()))
        .isEqualTo(TraefikServiceBuilder.services(c, Routes.allPrimary(), List.of()));
  }

  @Test
  void onlyNamesNamespacesAndPortsCountAsADifference() {
    Canary c = canary();
    List<Object> desired = TraefikServiceBuilder.services(c, new Routes(60, 40, false), List.of());

    assertThat(
            TraefikServiceBuilder.differs(
                TraefikServiceBuilder.services(c, new Routes(20, 80, false), List.of()), desired))
        .isFalse();
    assertThat(
            TraefikServiceBuilder.differs(
                TraefikServiceBuilder.services(
                    canary("port: 8080", TraefikFixtures.PROGRESSIVE),
                    new Routes(60, 40, false),
                    List.of()),
                desired))
        .isTrue();
    assertThat(
            TraefikServiceBuilder.differs(
                TraefikServiceBuilder.services(c, Routes.allPrimary(), List.of()), desired))
        .isTrue();
  }

  @Test
  void routesReadThePrimaryWeightAndGiveTheCanaryTheRest() {
    Canary c = canary();

    assertThat(
            TraefikServiceBuilder.routes(
                TraefikServiceBuilder.services(c, new Routes(70, 30, false), List.of()), c, KEY))
        .isEqualTo(new Routes(70, 30, false));
    // Flagger leaves a weight of 0 out (omitempty): read as 0
    assertThat(
            TraefikServiceBuilder.routes(
                List.of(
                    Map.of("name", "podinfo-primary"),
                    Map.of("name", "podinfo-canary", "weight", 100)),
                c,
                KEY))
        .isEqualTo(new Routes(0, 100, false));
  }

  @Test
  void routesWithoutServicesOrWithoutThePrimaryFailNamingTheObject() {
    Canary c = canary();

    assertThatThrownBy(() -> TraefikServiceBuilder.routes(List.of(), c, KEY))
        .isInstanceOf(RouterException.class)
        .hasMessage("TraefikService podinfo.default services not found");
    assertThatThrownBy(
            () ->
                TraefikServiceBuilder.routes(
                    List.of(Map.of("name", "other", "weight", 100)), c, KEY))
        .isInstanceOf(RouterException.class)
        .hasMessage("TraefikService podinfo.default does not contain a service podinfo-primary");
  }

  @Test
  void theServicesOfASpecWithoutWeightedAreEmpty() {
    assertThat(TraefikServiceBuilder.services(Map.of("mirroring", Map.of()))).isEmpty();
  }

  /** An entry as Flagger writes it for the test canary. */
  private static Map<String, Object> entry(String name, int weight) {
    return Map.of("name", name, "namespace", "default", "port", 9898, "weight", weight);
  }
}
