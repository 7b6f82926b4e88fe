package app.flagger.controller.router.skipper;

import static app.flagger.controller.router.skipper.SkipperFixtures.apexIngress;
import static app.flagger.controller.router.skipper.SkipperFixtures.canary;
import static app.flagger.controller.router.skipper.SkipperFixtures.ingress;
import static app.flagger.controller.router.skipper.SkipperIngressBuilder.BACKEND_WEIGHTS;
import static app.flagger.controller.router.skipper.SkipperIngressBuilder.PREDICATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.controller.router.RouterException;
import app.flagger.controller.router.Routes;
import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The canary Ingress against Flagger's TestSkipperRouter_Reconcile / _GetSetRoutes fixtures and its
 * Test_insertPredicate table.
 */
class SkipperIngressBuilderTest {
  private static List<String> backends(Ingress ingress, int rule) {
    return ingress.getSpec().getRules().get(rule).getHttp().getPaths().stream()
        .map(p -> p.getPath() + " " + p.getBackend().getService().getName())
        .toList();
  }

  @Test
  void buildCopiesTheApexIngressWithPrimaryAndCanaryBackends() {
    Canary c = canary();

    Ingress built = SkipperIngressBuilder.build(c, apexIngress());

    assertThat(built.getApiVersion()).isEqualTo("networking.k8s.io/v1");
    assertThat(built.getKind()).isEqualTo("Ingress");
    assertThat(built.getMetadata().getName()).isEqualTo("podinfo-canary");
    assertThat(built.getMetadata().getNamespace()).isEqualTo("default");
    assertThat(built.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getKind()).isEqualTo("Canary");
              assertThat(o.getName()).isEqualTo("podinfo");
              assertThat(o.getUid()).isEqualTo(c.getMetadata().getUid());
              assertThat(o.getController()).isTrue();
            });
    assertThat(built.getMetadata().getAnnotations())
        .containsEntry("kubernetes.io/ingress.class", "nginx")
        .containsEntry(
            "kustomize.toolkit.fluxcd.io/checksum", "0a40893bfdc545d62125bd3e74eeb2ebaa7097c2")
        .containsEntry("kustomize.toolkit.fluxcd.io/reconcile", "disabled")
        .containsEntry("helm.toolkit.fluxcd.io/driftDetection", "disabled")
        .containsEntry(BACKEND_WEIGHTS, "{\"podinfo-canary\":0,\"podinfo-primary\":100}")
        .containsEntry(PREDICATE, "Weight(100)");
    assertThat(built.getSpec().getRules()).singleElement();
    assertThat(built.getSpec().getRules().get(0).getHost()).isEqualTo("app.example.com");
    assertThat(backends(built, 0)).containsExactly("/ podinfo-primary", "/ podinfo-canary");
    for (HTTPIngressPath p : built.getSpec().getRules().get(0).getHttp().getPaths()) {
      assertThat(p.getPathType()).isEqualTo("Prefix");
      assertThat(p.getBackend().getService().getPort().getNumber()).isEqualTo(9898);
    }
    assertThat(apexIngress().getSpec()).as("the apex Ingress is not changed").isNotNull();
  }

  @Test
  void buildLeavesTheApexObjectUnchanged() {
    Ingress apex = apexIngress();

    SkipperIngressBuilder.build(canary(), apex);

    assertThat(apex).isEqualTo(apexIngress());
  }

  /** Flagger appends the canary copies after the rule's paths and leaves other backends alone. */
  @Test
  void buildAppendsTheCanaryPathsToEachRuleAndKeepsOtherBackendsAndTls() {
    Ingress apex =
        ingress(
            """
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: podinfo
              namespace: default
              labels:
                app: podinfo
            spec:
              ingressClassName: skipper
              tls:
                - hosts: [app.example.com]
                  secretName: app-tls
              rules:
                - host: app.example.com
                  http:
                    paths:
                      - path: /api
                        pathType: Prefix
                        backend: {service: {name: podinfo, port: {name: http}}}
                      - path: /static
                        pathType: Prefix
                        backend: {service: {name: assets, port: {number: 80}}}
                      - path: /
                        pathType: Prefix
                        backend: {service: {name: podinfo, port: {name: http}}}
                - host: other.example.com
                - host: www.example.com
                  http:
                    paths:
                      - path: /
                        pathType: Exact
                        backend: {service: {name: podinfo, port: {number: 9898}}}
            """);

    Ingress built = SkipperIngressBuilder.build(canary(), apex);

    assertThat(built.getMetadata().getLabels()).containsEntry("app", "podinfo");
    assertThat(built.getSpec().getIngressClassName()).isEqualTo("skipper");
    assertThat(built.getSpec().getTls()).isEqualTo(apex.getSpec().getTls());
    assertThat(backends(built, 0))
        .containsExactly(
            "/api podinfo-primary",
            "/static assets",
            "/ podinfo-primary",
            "/api podinfo-canary",
            "/ podinfo-canary");
    assertThat(built.getSpec().getRules().get(0).getHttp().getPaths().get(3).getBackend())
        .satisfies(b -> assertThat(b.getService().getPort().getName()).isEqualTo("http"));
    assertThat(built.getSpec().getRules().get(1).getHttp()).isNull();
    assertThat(backends(built, 2)).containsExactly("/ podinfo-primary", "/ podinfo-canary");
    assertThat(built.getSpec().getRules().get(2).getHttp().getPaths().get(1).getPathType())
        .isEqualTo("Exact");
  }

  @Test
  void buildRoutesTheServiceNameNotTheTarget() {
    Canary c = canary("name: podinfo-service\nport: 80", SkipperFixtures.PROGRESSIVE);
    Ingress apex = apexIngress("podinfo", "podinfo-service");

    Ingress built = SkipperIngressBuilder.build(c, apex);

    assertThat(backends(built, 0))
        .containsExactly("/ podinfo-service-primary", "/ podinfo-service-canary");
    assertThat(built.getMetadata().getAnnotations())
        .containsEntry(
            BACKEND_WEIGHTS, "{\"podinfo-service-canary\":0,\"podinfo-service-primary\":100}");
  }

  @Test
  void buildFailsWhenNoPathGoesToTheApexService() {
    Canary c = canary("name: other\nport: 9898", SkipperFixtures.PROGRESSIVE);

    assertThatThrownBy(() -> SkipperIngressBuilder.build(c, apexIngress()))
        .isInstanceOf(RouterException.class)
        .hasMessage(
            "backend other not found in ingress podinfo: spec.ingressRef must name an Ingress"
                + " with a path to the Service other");
  }

  @Test
  void buildPutsWeightFirstInTheApexPredicates() {
    Ingress apex = apexIngress();
    apex.getMetadata()
        .getAnnotations()
        .put(PREDICATE, "Host(/^my-host-header\\.example\\.org$/) && Method(\"GET\")");

    Ingress built = SkipperIngressBuilder.build(canary(), apex);

    assertThat(built.getMetadata().getAnnotations())
        .containsEntry(
            PREDICATE,
            "Weight(100) && Host(/^my-host-header\\.example\\.org$/) && Method(\"GET\")");
  }

  @Test
  void aMissingIngressRefIsAnErrorNamingTheField() {
    Canary without = SkipperFixtures.withoutIngressRef();

    assertThat(without.getSpec().ingressRef()).isNull();
    assertThatThrownBy(() -> SkipperIngressBuilder.build(without, apexIngress()))
        .isInstanceOf(RouterException.class)
        .hasMessageStartingWith("spec.ingressRef.name: required by the skipper provider");
  }

  @Test
  void anAbTestIsRefusedNamingTheMatch() {
    Canary ab = SkipperFixtures.abTest();

    assertThatThrownBy(() -> SkipperIngressBuilder.refuseMatch(ab))
        .isInstanceOf(RouterException.class)
        .hasMessageStartingWith(
            "spec.analysis.match: the skipper provider cannot route by request headers or"
                + " cookies");
  }

  /** Flagger's TestSkipperRouter_GetSetRoutes table. */
  @ParameterizedTest
  @CsvSource({"100,0", "90,10", "80,20", "70,30", "15,85", "0,100"})
  void withRoutesWritesTheWeightsThatRoutesReadsBack(int primary, int canaryWeight) {
    Canary c = canary();
    Ingress built = SkipperIngressBuilder.build(c, apexIngress());

    Ingress set =
        SkipperIngressBuilder.withRoutes(built, c, new Routes(primary, canaryWeight, false));

    assertThat(set.getMetadata().getAnnotations())
        .containsEntry(
            BACKEND_WEIGHTS,
            "{\"podinfo-canary\":" + canaryWeight + ",\"podinfo-primary\":" + primary + "}");
    assertThat(SkipperIngressBuilder.routes(set, c, "podinfo-canary.default"))
        .isEqualTo(new Routes(primary, canaryWeight, false));
    assertThat(set.getMetadata().getAnnotations().get(PREDICATE))
        .isEqualTo(canaryWeight == 0 ? "False()" : "Weight(100)");
  }

  @Test
  void withRoutesSwitchesTheCopyOffAndOnKeepingTheUserPredicates() {
    Canary c = canary();
    Ingress apex = apexIngress();
    apex.getMetadata().getAnnotations().put(PREDICATE, "Method(\"GET\")");
    Ingress built = SkipperIngressBuilder.build(c, apex);

    Ingress off = SkipperIngressBuilder.withRoutes(built, c, Routes.allPrimary());
    Ingress on = SkipperIngressBuilder.withRoutes(off, c, new Routes(90, 10, false));

    assertThat(off.getMetadata().getAnnotations())
        .containsEntry(PREDICATE, "False() && Method(\"GET\")");
    assertThat(on.getMetadata().getAnnotations())
        .containsEntry(PREDICATE, "Weight(100) && Method(\"GET\")");
  }

  @Test
  void routesReportsAMissingOrBrokenWeightsAnnotation() {
    Canary c = canary();
    Ingress built = SkipperIngressBuilder.build(c, apexIngress());
    var annotations = built.getMetadata().getAnnotations();

    annotations.remove(BACKEND_WEIGHTS);
    assertThatThrownBy(() -> SkipperIngressBuilder.routes(built, c, "podinfo-canary.default"))
        .hasMessage(
            "ingress podinfo-canary.default get backendWeights error: annotation"
                + " zalando.org/backend-weights not found");

    annotations.put(BACKEND_WEIGHTS, "{\"podinfo-primary\":100}");
    assertThatThrownBy(() -> SkipperIngressBuilder.routes(built, c, "podinfo-canary.default"))
        .hasMessage("ingress podinfo-canary.default could not get weights[podinfo-canary]");

    annotations.put(BACKEND_WEIGHTS, "{\"podinfo-primary\":99.5,\"podinfo-canary\":0.5}");
    assertThatThrownBy(() -> SkipperIngressBuilder.routes(built, c, "podinfo-canary.default"))
        .hasMessageContaining("the weight of podinfo-primary must be an integer, got 99.5");

    annotations.put(BACKEND_WEIGHTS, "{\"podinfo-primary\":50,\"podinfo-canary\":20}");
    assertThatThrownBy(() -> SkipperIngressBuilder.routes(built, c, "podinfo-canary.default"))
        .hasMessageContaining("must add up to 100");

    annotations.put(BACKEND_WEIGHTS, "[1,2]");
    assertThatThrownBy(() -> SkipperIngressBuilder.routes(built, c, "podinfo-canary.default"))
        .isInstanceOf(RouterException.class)
        .hasMessageContaining("is not a JSON object of weights");
  }

  @Test
  void onlyWeightsOrTheRouteSwitchDifferingIsNoChange() {
    Canary c = canary();
    Ingress desired = SkipperIngressBuilder.build(c, apexIngress());
    Ingress current = SkipperIngressBuilder.withRoutes(desired, c, new Routes(60, 40, false));
    Ingress off = SkipperIngressBuilder.withRoutes(desired, c, Routes.allPrimary());
    off.getMetadata().getAnnotations().put("added-by", "someone else");

    assertThat(SkipperIngressBuilder.differs(current, desired)).isFalse();
    assertThat(SkipperIngressBuilder.differs(off, desired)).isFalse();
  }

  @Test
  void aChangedApexSpecAnnotationOrPredicateIsAChange() {
    Canary c = canary();
    Ingress current = SkipperIngressBuilder.build(c, apexIngress());
    Ingress newHost = apexIngress();
    newHost.getSpec().getRules().get(0).setHost("www.example.com");
    Ingress newFilter = apexIngress();
    newFilter.getMetadata().getAnnotations().put("zalando.org/skipper-filter", "ratelimit(20)");
    Ingress newPredicate = apexIngress();
    newPredicate.getMetadata().getAnnotations().put(PREDICATE, "Method(\"GET\")");

    assertThat(SkipperIngressBuilder.differs(current, SkipperIngressBuilder.build(c, newHost)))
        .isTrue();
    assertThat(SkipperIngressBuilder.differs(current, SkipperIngressBuilder.build(c, newFilter)))
        .isTrue();
    assertThat(SkipperIngressBuilder.differs(current, SkipperIngressBuilder.build(c, newPredicate)))
        .isTrue();
  }

  /** Unlike Flagger, an update keeps the split SetRoutes wrote instead of resetting it to 100/0. */
  @Test
  void mergedTakesTheNewSpecAndKeepsTheSplitAndOthersAnnotations() {
    Canary c = canary();
    Ingress current =
        SkipperIngressBuilder.withRoutes(
            SkipperIngressBuilder.build(c, apexIngress()), c, Routes.allPrimary());
    current.getMetadata().getAnnotations().put("added-by", "someone else");
    Ingress apex = apexIngress();
    apex.getSpec().getRules().get(0).setHost("www.example.com");
    apex.getMetadata().getAnnotations().put(PREDICATE, "Method(\"GET\")");
    Ingress desired = SkipperIngressBuilder.build(c, apex);

    Ingress merged = SkipperIngressBuilder.merged(current, desired);

    assertThat(merged.getSpec()).isEqualTo(desired.getSpec());
    assertThat(merged.getMetadata().getAnnotations())
        .containsEntry("added-by", "someone else")
        .containsEntry(PREDICATE, "False() && Method(\"GET\")")
        .containsEntry(BACKEND_WEIGHTS, "{\"podinfo-canary\":0,\"podinfo-primary\":100}");
    Ingress live =
        SkipperIngressBuilder.merged(
            SkipperIngressBuilder.withRoutes(current, c, new Routes(70, 30, false)), desired);
    assertThat(live.getMetadata().getAnnotations())
        .containsEntry(PREDICATE, "Weight(100) && Method(\"GET\")")
        .containsEntry(BACKEND_WEIGHTS, "{\"podinfo-canary\":30,\"podinfo-primary\":70}");
  }

  /** Flagger's Test_insertPredicate. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Host(/^my-host-header\\.example\\.org$/) && Method(\"GET\") && Path(\"/hello\")"
            + "|Weight(100)"
            + "|Weight(100) && Host(/^my-host-header\\.example\\.org$/) && Method(\"GET\") &&"
            + " Path(\"/hello\")",
        "''|Weight(100)|Weight(100)",
        "Weight(100) && Host(/^my-host-header\\.example\\.org$/) && Method(\"GET\") &&"
            + " Path(\"/hello\")"
            + "|Weight(100)"
            + "|Weight(100) && Host(/^my-host-header\\.example\\.org$/) && Method(\"GET\") &&"
            + " Path(\"/hello\")",
        "Host(/^my-host-header\\.example\\.org$/) && Method(\"GET\") && Path(\"/hello\")&&False()"
            + "|False()"
            + "|False() && Host(/^my-host-header\\.example\\.org$/) && Method(\"GET\") &&"
            + " Path(\"/hello\")",
        "Host(/^my-host-header\\.example\\.org$/) &&  False() && Method(\"GET\") &&"
            + " Path(\"/hello\")"
            + "|Weight(100)"
            + "|Weight(100) && Host(/^my-host-header\\.example\\.org$/) && Method(\"GET\") &&"
            + " Path(\"/hello\")"
      })
  void insertPredicatePutsItFirstAndDropsFlaggersOthers(String raw, String insert, String want) {
    assertThat(SkipperIngressBuilder.insertPredicate(raw, insert)).isEqualTo(want);
  }
}
