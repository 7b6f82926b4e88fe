package app.flagger.controller.router.nginx;

import static app.flagger.controller.router.nginx.NginxFixtures.FLUX_CHECKSUM;
import static app.flagger.controller.router.nginx.NginxFixtures.abCanary;
import static app.flagger.controller.router.nginx.NginxFixtures.canary;
import static app.flagger.controller.router.nginx.NginxFixtures.ingress;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.controller.router.RouterException;
import app.flagger.controller.router.Routes;
import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressSpecBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The canary Ingress and its annotations compared field by field with what Flagger's {@code
 * IngressRouter} writes for the same Canary (pkg/router/ingress_test.go and router_test.go).
 */
class NginxIngressBuilderTest {
  private static final String NGINX = "nginx.ingress.kubernetes.io";
  private final NginxIngressBuilder builder = new NginxIngressBuilder(NGINX);

  /** What Flagger's makeAnnotations gives for newTestIngress's annotations under {@code prefix}. */
  private static Map<String, String> flaggerInitialAnnotations(String prefix) {
    return Map.of(
        "kubernetes.io/ingress.class",
        "nginx",
        "kustomize.toolkit.fluxcd.io/checksum",
        FLUX_CHECKSUM,
        "kustomize.toolkit.fluxcd.io/reconcile",
        "disabled",
        "helm.toolkit.fluxcd.io/driftDetection",
        "disabled",
        prefix + "/canary",
        "true",
        prefix + "/canary-weight",
        "0");
  }

  @Test
  void reconcileClonesTheIngressRefWithTheCanaryBackend() {
    Canary canary = canary();

    Ingress out = builder.build(canary, ingress());

    assertThat(out.getApiVersion()).isEqualTo("networking.k8s.io/v1");
    assertThat(out.getKind()).isEqualTo("Ingress");
    assertThat(out.getMetadata().getName()).isEqualTo("podinfo-canary");
    assertThat(out.getMetadata().getNamespace()).isEqualTo("default");
    assertThat(out.getMetadata().getLabels()).isEmpty();
    assertThat(out.getMetadata().getAnnotations())
        .containsExactlyInAnyOrderEntriesOf(flaggerInitialAnnotations(NGINX));
    assertThat(out.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getApiVersion()).isEqualTo("flagger.app/v1beta1");
              assertThat(r.getKind()).isEqualTo("Canary");
              assertThat(r.getName()).isEqualTo("nginx");
              assertThat(r.getUid()).isEqualTo(canary.getMetadata().getUid());
              assertThat(r.getController()).isTrue();
              assertThat(r.getBlockOwnerDeletion()).isTrue();
            });
    assertThat(out.getSpec().getRules())
        .singleElement()
        .satisfies(
            rule -> {
              assertThat(rule.getHost()).isEqualTo("app.example.com");
              HTTPIngressPath path = rule.getHttp().getPaths().get(0);
              assertThat(rule.getHttp().getPaths()).hasSize(1);
              assertThat(path.getPath()).isEqualTo("/");
              assertThat(path.getPathType()).isEqualTo("Prefix");
              assertThat(path.getBackend().getService().getName()).isEqualTo("podinfo-canary");
              assertThat(path.getBackend().getService().getPort().getNumber()).isEqualTo(9898);
            });
  }

  @Test
  void theSourceIngressIsNotChanged() {
    Ingress source = ingress();

    builder.build(canary(), source);

    assertThat(source).isEqualTo(ingress());
  }

  @Test
  void everyPathToTheApexServiceIsRenamedAndOthersAreLeftAlone() {
    Ingress source =
        new IngressBuilder(ingress())
            .editSpec()
            .editFirstRule()
            .editHttp()
            .addToPaths(NginxFixtures.path("/api", "Prefix", "backend", 80))
            .endHttp()
            .endRule()
            .addNewRule()
            .withHost("www.example.com")
            .withNewHttp()
            .addToPaths(NginxFixtures.path("/", "Exact", "podinfo", 9898))
            .endHttp()
            .endRule()
            .addNewRule()
            .withHost("no-http.example.com")
            .endRule()
            .endSpec()
            .build();

    Ingress out = builder.build(canary(), source);

    assertThat(out.getSpec().getRules())
        .flatExtracting(r -> r.getHttp() == null ? List.of() : r.getHttp().getPaths())
        .extracting(p -> ((HTTPIngressPath) p).getBackend().getService().getName())
        .containsExactly("podinfo-canary", "backend", "podinfo-canary");
    assertThat(out.getSpec().getRules().get(1).getHttp().getPaths().get(0).getPathType())
        .isEqualTo("Exact");
  }

  @Test
  void anIngressWithoutTheApexBackendIsFlaggersError() {
    Ingress source =
        new IngressBuilder(ingress())
            .editSpec()
            .editFirstRule()
            .editHttp()
            .withPaths(NginxFixtures.path("/", "Prefix", "other", 9898))
            .endHttp()
            .endRule()
            .endSpec()
            .build();

    assertThatThrownBy(() -> builder.build(canary(), source))
        .isInstanceOf(RouterException.class)
        .hasMessage("backend podinfo not found in ingress podinfo");
  }

  @Test
  void anIngressWithOnlyADefaultBackendHasNoApexBackend() {
    Ingress source =
        new IngressBuilder(ingress())
            .withSpec(
                new IngressSpecBuilder()
                    .withDefaultBackend(
                        NginxFixtures.path("/", "Prefix", "podinfo", 9898).getBackend())
                    .build())
            .build();
    source.getSpec().setRules(null);

    assertThatThrownBy(() -> builder.build(canary(), source))
        .isInstanceOf(RouterException.class)
        .hasMessage("backend podinfo not found in ingress podinfo");
  }

  @Test
  void aCanaryWithoutIngressRefNamesTheField() {
    assertThatThrownBy(() -> builder.build(NginxFixtures.withoutIngressRef(), ingress()))
        .isInstanceOf(RouterException.class)
        .hasMessageStartingWith("spec.ingressRef of nginx.default is required with the nginx");
  }

  @Test
  void cloningDropsCanaryAnnotationsAndLastAppliedAndKeepsTheRest() {
    Ingress source =
        new IngressBuilder(ingress())
            .editMetadata()
            .addToLabels("app", "podinfo")
            .addToAnnotations(NGINX + "/canary", "true")
            .addToAnnotations(NGINX + "/canary-weight", "30")
            .addToAnnotations(NGINX + "/canary-by-header", "x-user")
            .addToAnnotations(NGINX + "/rewrite-target", "/")
            .addToAnnotations("kubectl.kubernetes.io/last-applied-configuration", "{}")
            .endMetadata()
            .build();

    Ingress out = builder.build(canary(), source);

    Map<String, String> expected = new LinkedHashMap<>(flaggerInitialAnnotations(NGINX));
    expected.put(NGINX + "/rewrite-target", "/");
    assertThat(out.getMetadata().getAnnotations()).containsExactlyInAnyOrderEntriesOf(expected);
    assertThat(out.getMetadata().getLabels()).containsExactly(Map.entry("app", "podinfo"));
  }

  /** TestIngressRouter_Reconcile: a custom prefix names both annotations. */
  @Test
  void theAnnotationsUseTheConfiguredPrefix() {
    NginxIngressBuilder custom = new NginxIngressBuilder("custom.ingress.kubernetes.io");

    Ingress out = custom.build(canary(), ingress());

    assertThat(out.getMetadata().getAnnotations())
        .containsExactlyInAnyOrderEntriesOf(
            flaggerInitialAnnotations("custom.ingress.kubernetes.io"));
  }

  /** TestIngressRouter_GetSetRoutes with prefix1.nginx.ingress.kubernetes.io: 50 then 0. */
  @Test
  void setRoutesWritesTheCanaryWeightAndZeroResets() {
    String prefix = "prefix1.nginx.ingress.kubernetes.io";
    NginxIngressBuilder custom = new NginxIngressBuilder(prefix);
    Canary canary = canary();
    Map<String, String> initial = custom.build(canary, ingress()).getMetadata().getAnnotations();

    Map<String, String> rollout = custom.routed(canary, initial, new Routes(50, 50, false));
    Map<String, String> expected = new LinkedHashMap<>(flaggerInitialAnnotations(prefix));
    expected.put(prefix + "/canary-weight", "50");
    assertThat(rollout).containsExactlyInAnyOrderEntriesOf(expected);
    assertThat(custom.routes(canary, rollout, "podinfo-canary.default"))
        .isEqualTo(new Routes(50, 50, false));

    Map<String, String> promoted = custom.routed(canary, rollout, Routes.allPrimary());
    assertThat(promoted).containsExactlyInAnyOrderEntriesOf(flaggerInitialAnnotations(prefix));
    assertThat(custom.routes(canary, promoted, "podinfo-canary.default"))
        .isEqualTo(Routes.allPrimary());
  }

  @Test
  void mirroringIsIgnoredAsInFlagger() {
    Canary canary = canary();
    Map<String, String> initial = builder.build(canary, ingress()).getMetadata().getAnnotations();

    assertThat(builder.routed(canary, initial, new Routes(100, 0, true))).isEqualTo(initial);
    assertThat(builder.routes(canary, initial, "x").mirrored()).isFalse();
  }

  /** TestIngressRouter_ABTest: header exact, header regex, cookie exact (the cookie's name). */
  @ParameterizedTest(name = "{0}: {1} {2}")
  @CsvSource({
    "x-user-type, exact, test, canary-by-header=x-user-type, canary-by-header-value=test",
    "x-user-type, regex, test, canary-by-header=x-user-type, canary-by-header-pattern=test",
    "cookie, exact, test, canary-by-cookie=test, ",
  })
  void aBMatchesMapToFlaggersAnnotations(
      String header, String kind, String value, String first, String second) {
    Canary canary = abCanary(header, kind, value);

    Map<String, String> out = abRollout(canary);

    Map<String, String> expected = new LinkedHashMap<>(flaggerInitialAnnotations(NGINX));
    for (String entry : new String[] {first, second}) {
      if (entry != null) {
        expected.put(NGINX + "/" + entry.split("=")[0], entry.split("=")[1]);
      }
    }
    assertThat(out).containsExactlyInAnyOrderEntriesOf(expected);
  }

  @Test
  void headerAndCookieTogetherSetBoth() {
    Canary canary =
        canary(
            """
            iterations: 10
            match:
              - headers:
                  x-canary:
                    exact: insider
              - headers:
                  cookie:
                    exact: canary
            """);

    Map<String, String> out = abRollout(canary);

    assertThat(out)
        .containsEntry(NGINX + "/canary-by-header", "x-canary")
        .containsEntry(NGINX + "/canary-by-header-value", "insider")
        .containsEntry(NGINX + "/canary-by-cookie", "canary");
  }

  @Test
  void aBTestingReportsEverythingOnTheCanaryWhileTheMatchIsSet() {
    Canary canary = abCanary("x-user-type", "exact", "test");

    Map<String, String> out = abRollout(canary);

    assertThat(builder.routes(canary, out, "x")).isEqualTo(new Routes(0, 100, false));
    assertThat(builder.routes(canary(), out, "x"))
        .as("without analysis.match the weight annotation counts")
        .isEqualTo(Routes.allPrimary());
  }

  @Test
  void theEndOfAnABRunRemovesTheMatchAnnotations() {
    Canary canary = abCanary("cookie", "exact", "test");

    Map<String, String> out = builder.routed(canary, abRollout(canary), Routes.allPrimary());

    assertThat(out).containsExactlyInAnyOrderEntriesOf(flaggerInitialAnnotations(NGINX));
    assertThat(builder.routes(canary, out, "x")).isEqualTo(Routes.allPrimary());
  }

  @Test
  void aChangedMatchLeavesNoStaleHeaderValueBehind() {
    Map<String, String> exact = abRollout(abCanary("x-user-type", "exact", "test"));

    Map<String, String> out =
        builder.routed(abCanary("x-user-type", "regex", "te.*"), exact, new Routes(0, 100, false));

    assertThat(out)
        .containsEntry(NGINX + "/canary-by-header-pattern", "te.*")
        .doesNotContainKey(NGINX + "/canary-by-header-value");
  }

  @Test
  void aPrefixHeaderMatchIsRefusedNamingTheHeader() {
    Canary canary = abCanary("x-user-type", "prefix", "te");

    assertThatThrownBy(() -> abRollout(canary))
        .isInstanceOf(RouterException.class)
        .hasMessageContaining("analysis.match of nginx.default")
        .hasMessageContaining("header x-user-type matches by prefix");
  }

  @Test
  void aWeightThatIsNotANumberIsFlaggersError() {
    Map<String, String> annotations = Map.of(NGINX + "/canary-weight", "ten");

    assertThatThrownBy(() -> builder.routes(canary(), annotations, "podinfo-canary.default"))
        .isInstanceOf(RouterException.class)
        .hasMessageStartingWith("ingress podinfo-canary.default failed to convert ten to int: ");
  }

  @Test
  void aWeightOutOfRangeIsAnError() {
    Map<String, String> annotations = Map.of(NGINX + "/canary-weight", "120");

    assertThatThrownBy(() -> builder.routes(canary(), annotations, "podinfo-canary.default"))
        .isInstanceOf(RouterException.class)
        .hasMessageContaining("must be between 0 and 100, got 120");
  }

  @Test
  void noWeightAnnotationMeansEverythingOnThePrimary() {
    assertThat(builder.routes(canary(), Map.of(), "x")).isEqualTo(Routes.allPrimary());
    assertThat(builder.routes(canary(), null, "x")).isEqualTo(Routes.allPrimary());
  }

  /** Reconcile, then SetRoutes(0, 100) as the A/B strategy does. */
  private Map<String, String> abRollout(Canary canary) {
    Map<String, String> initial = builder.build(canary, ingress()).getMetadata().getAnnotations();
    return builder.routed(canary, initial, new Routes(0, 100, false));
  }
}
