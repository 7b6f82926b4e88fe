package app.flagger.controller.router.apisix;

import static app.flagger.controller.router.apisix.ApisixFixtures.canary;
import static app.flagger.controller.router.apisix.ApisixFixtures.flaggerRoute;
import static app.flagger.controller.router.apisix.ApisixFixtures.route;
import static app.flagger.controller.router.apisix.ApisixFixtures.weights;
import static app.flagger.controller.router.apisix.ApisixFixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.controller.router.RouterException;
import app.flagger.controller.router.Routes;
import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The canary ApisixRoute compared field by field with what Flagger's ApisixRouter writes (as JSON)
 * for its newTestApisixRoute and newTestCanary.
 */
class ApisixRouteBuilderTest {
  /**
   * Flagger's Reconcile: the route named {@code <routeRef>-<apex>-canary}, http route {@code
   * method} at priority 10000 with the primary at 100 and the canary at 0. Flagger's typed model
   * also writes {@code websocket: false}, a zero value the CRD defaults; we copy only what the
   * source route has.
   */
  @Test
  void buildWritesFlaggersCanaryRouteForItsTestRoute() {
    GenericKubernetesResource r = ApisixRouteBuilder.build(canary(), flaggerRoute());

    assertThat(r.getApiVersion()).isEqualTo("apisix.apache.org/v2");
    assertThat(r.getKind()).isEqualTo("ApisixRoute");
    assertThat(r.getMetadata().getName()).isEqualTo("podinfo-podinfo-canary");
    assertThat(r.getMetadata().getNamespace()).isEqualTo("default");
    assertThat(r.getAdditionalProperties().get("spec"))
        .isEqualTo(
            yaml(
                """
                http:
                  - name: method
                    match:
                      hosts: [foobar.com]
                      methods: [GET]
                      paths: ["/*"]
                    plugins:
                      - name: prometheus
                        enable: true
                        config:
                          disable: "false"
                          prefer_name: "true"
                    backends:
                      - serviceName: podinfo-primary
                        servicePort: 80
                        weight: 100
                      - serviceName: podinfo-canary
                        servicePort: 80
                        weight: 0
                    priority: 10000
                """));
  }

  @Test
  void theCanaryRouteIsOwnedByTheCanaryAsAController() {
    OwnerReference owner =
        ApisixRouteBuilder.build(canary(), flaggerRoute())
            .getMetadata()
            .getOwnerReferences()
            .get(0);

    assertThat(owner.getApiVersion()).isEqualTo("flagger.app/v1beta1");
    assertThat(owner.getKind()).isEqualTo("Canary");
    assertThat(owner.getName()).isEqualTo("podinfo");
    assertThat(owner.getUid()).isEqualTo("6f1c1d2e-0000-4000-8000-000000000005");
    assertThat(owner.getController()).isTrue();
    assertThat(owner.getBlockOwnerDeletion()).isTrue();
  }

  /** Flagger copies the source route's labels and annotations (not service.apex's). */
  @Test
  void theCanaryRouteCarriesTheLabelsAndAnnotationsOfTheSourceRoute() {
    GenericKubernetesResource source = flaggerRoute();
    source.getMetadata().setLabels(Map.of("app", "podinfo"));
    source.getMetadata().setAnnotations(Map.of("team", "web"));

    GenericKubernetesResource r = ApisixRouteBuilder.build(canary(), source);

    assertThat(r.getMetadata().getLabels()).isEqualTo(Map.of("app", "podinfo"));
    assertThat(r.getMetadata().getAnnotations()).isEqualTo(Map.of("team", "web"));
  }

  /**
   * Only the http route that sends to the apex is copied; the backend's resolve granularity and
   * subset go to the canary backend too, other spec keys are kept and stream routes dropped.
   */
  @Test
  void specCopiesTheApexRouteWithItsBackendSettingsAndDropsStreamRoutes() {
    Map<String, Object> source =
        yaml(
            """
            ingressClassName: apisix
            http:
              - name: other
                match: {paths: ["/other"]}
                backends: [{serviceName: other, servicePort: 80}]
              - name: rule1
                priority: 3
                timeout: {read: 10s}
                match: {paths: ["/*"]}
                backends:
                  - serviceName: podinfo
                    servicePort: http
                    resolveGranularity: service
                    subset: v1
            stream:
              - name: tcp
                protocol: TCP
                match: {ingressPort: 9100}
                backend: {serviceName: podinfo, servicePort: 80}
            """);

    Map<String, Object> spec = ApisixRouteBuilder.spec(canary(), source);

    assertThat(spec)
        .isEqualTo(
            yaml(
                """
                ingressClassName: apisix
                http:
                  - name: rule1
                    priority: 10000
                    timeout: {read: 10s}
                    match: {paths: ["/*"]}
                    backends:
                      - serviceName: podinfo-primary
                        servicePort: http
                        resolveGranularity: service
                        subset: v1
                        weight: 100
                      - serviceName: podinfo-canary
                        servicePort: http
                        resolveGranularity: service
                        weight: 0
                        subset: v1
                """));
    assertThat(source).containsKey("stream");
    assertThat(ApisixFixtures.<String>at(source, "http", 1, "backends", 0, "serviceName"))
        .as("the source is not changed")
        .isEqualTo("podinfo");
  }

  @Test
  void aServiceNameIsTheApexOfTheCopiedRoute() {
    Canary c = canary("name: frontend", "stepWeight: 10");
    GenericKubernetesResource source =
        route(
            "default",
            "podinfo",
            "http:\n  - name: r\n    backends: [{serviceName: frontend, servicePort: 80}]");

    GenericKubernetesResource r = ApisixRouteBuilder.build(c, source);

    assertThat(r.getMetadata().getName()).isEqualTo("podinfo-frontend-canary");
    assertThat(
            ApisixFixtures.<Map<String, Object>>at(
                ApisixRouteBuilder.spec(r), "http", 0, "backends", 1))
        .isEqualTo(Map.of("serviceName", "frontend-canary", "servicePort", 80, "weight", 0));
  }

  @Test
  void aRouteWithoutHttpRoutesIsAnErrorNamingIt() {
    assertThatThrownBy(() -> ApisixRouteBuilder.spec(canary(), yaml("stream: []")))
        .isInstanceOf(RouterException.class)
        .hasMessage("ApisixRoute podinfo.default has no http routes (spec.http is empty)");
  }

  @Test
  void aRouteWithoutTheApexBackendIsAnErrorNamingIt() {
    Map<String, Object> source =
        yaml("http:\n  - name: r\n    backends: [{serviceName: other, servicePort: 80}]");

    assertThatThrownBy(() -> ApisixRouteBuilder.spec(canary(), source))
        .isInstanceOf(RouterException.class)
        .hasMessage(
            "ApisixRoute podinfo.default has no http route with a backend serviceName podinfo");
  }

  /** Flagger: only one http backend is supported. */
  @Test
  void anApexRouteWithTwoBackendsIsRefused() {
    Map<String, Object> source =
        yaml(
            """
            http:
              - name: split
                backends:
                  - {serviceName: podinfo, servicePort: 80, weight: 50}
                  - {serviceName: other, servicePort: 80, weight: 50}
            """);

    assertThatThrownBy(() -> ApisixRouteBuilder.spec(canary(), source))
        .isInstanceOf(RouterException.class)
        .hasMessage(
            "ApisixRoute podinfo.default http route split has 2 backends, expected only the"
                + " backend podinfo");
  }

  @Test
  void aCanaryWithoutRouteRefIsAnErrorNamingTheField() {
    Canary c = canary();
    c.setSpec(
        new app.flagger.model.canary.CanarySpec(
            "apisix",
            null,
            c.getSpec().targetRef(),
            null,
            null,
            null,
            null,
            c.getSpec().service(),
            c.getSpec().analysis(),
            null,
            null,
            null,
            null,
            null));

    assertThatThrownBy(() -> ApisixRouteBuilder.canaryRouteName(c))
        .isInstanceOf(RouterException.class)
        .hasMessageStartingWith("spec.routeRef: the apisix provider needs the ApisixRoute");
  }

  @Test
  void anAbTestIsRefusedNamingTheField() {
    Canary ab =
        canary(
            "",
            """
            iterations: 5
            match:
              - headers:
                  x-user-type:
                    exact: test
            """);

    assertThatThrownBy(() -> ApisixRouteBuilder.refuseAbTest(ab))
        .isInstanceOf(RouterException.class)
        .hasMessageStartingWith("analysis.match: the apisix provider does not support A/B testing");
    ApisixRouteBuilder.refuseAbTest(canary("", "iterations: 5"));
  }

  @Test
  void weightsAreSetOnTheRouteOfThePrimaryAndReadBack() {
    Canary c = canary();
    Map<String, Object> spec =
        ApisixRouteBuilder.spec(canary(), ApisixRouteBuilder.spec(flaggerRoute()));

    Map<String, Object> split =
        ApisixRouteBuilder.withWeights(spec, c, new Routes(60, 40, false), "k");

    assertThat(weights(split)).containsExactly(60, 40);
    assertThat(weights(spec)).as("the input is not changed").containsExactly(100, 0);
    assertThat(ApisixRouteBuilder.routes(split, c, "k")).isEqualTo(new Routes(60, 40, false));
    assertThat(ApisixRouteBuilder.differs(split, spec)).isFalse();
  }

  @Test
  void differsSeesAnythingButTheBackendWeights() {
    Canary c = canary();
    Map<String, Object> spec = ApisixRouteBuilder.spec(c, ApisixRouteBuilder.spec(flaggerRoute()));
    Map<String, Object> otherPort =
        ApisixRouteBuilder.spec(
            c, yaml(ApisixFixtures.FLAGGER_ROUTE.replace("servicePort: 80", "servicePort: 8080")));
    Map<String, Object> pluginWeight =
        ApisixRouteBuilder.spec(
            c, yaml(ApisixFixtures.FLAGGER_ROUTE.replace("disable: \"false\"", "weight: 1")));

    assertThat(ApisixRouteBuilder.differs(spec, otherPort)).isTrue();
    assertThat(ApisixRouteBuilder.differs(spec, pluginWeight))
        .as("a weight outside the backends counts")
        .isTrue();
  }

  @Test
  void readingWeightsWithoutThePrimaryOrItsWeightFailsNamingTheRoute() {
    Canary c = canary();
    Map<String, Object> noPrimary =
        yaml("http:\n  - name: r\n    backends: [{serviceName: podinfo, servicePort: 80}]");
    Map<String, Object> noWeight =
        yaml("http:\n  - name: r\n    backends: [{serviceName: podinfo-primary, servicePort: 80}]");

    assertThatThrownBy(() -> ApisixRouteBuilder.routes(noPrimary, c, "x.default"))
        .isInstanceOf(RouterException.class)
        .hasMessage(
            "ApisixRoute x.default has no http route with a backend serviceName podinfo-primary");
    assertThatThrownBy(() -> ApisixRouteBuilder.routes(noWeight, c, "x.default"))
        .isInstanceOf(RouterException.class)
        .hasMessage("ApisixRoute x.default backend podinfo-primary has no weight");
    assertThatThrownBy(
            () -> ApisixRouteBuilder.withWeights(noPrimary, c, Routes.allPrimary(), "x.default"))
        .isInstanceOf(RouterException.class);
  }

  @Test
  void theCopiedRouteIsTheOnlyHttpRoute() {
    Map<String, Object> spec =
        ApisixRouteBuilder.spec(canary(), ApisixRouteBuilder.spec(flaggerRoute()));

    assertThat((List<?>) spec.get("http")).hasSize(1);
  }
}
