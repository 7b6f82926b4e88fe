package app.flagger.controller.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.StandardComponents;
import app.flagger.controller.router.skipper.SkipperFixtures;
import app.flagger.controller.router.skipper.SkipperIngressBuilder;
import app.flagger.controller.router.skipper.SkipperRouter;
import app.flagger.controller.support.CanaryFixture;
import app.flagger.controller.support.StandardRun;
import app.flagger.model.canary.CanarySpec;
import app.flagger.model.common.LocalObjectReference;
import app.flagger.model.provider.Provider;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A {@code skipper} Canary end to end on the mock API server: the Skipper router copying the
 * Ingress {@code podinfo-ingress}, builtin Skipper metric checks against a Prometheus stub and
 * alerts to a Slack stub, all wired as in production by {@link StandardComponents}.
 */
@EnableKubernetesMockClient(crud = true)
class SkipperCanaryRunKubeTest {
  private static final String INGRESS = "podinfo-ingress";

  KubernetesClient client;
  StandardRun run;

  /** Skipper's builtin duration query is a mean in milliseconds: 100 is 100ms. */
  @BeforeEach
  void setUp() throws Exception {
    run = new StandardRun(client, "100");
    Ingress apex = SkipperFixtures.apexIngress(INGRESS, CanaryFixture.NAME);
    apex.getMetadata().setAnnotations(Map.of("kubernetes.io/ingress.class", "skipper"));
    client.resource(apex).create();
  }

  @AfterEach
  void tearDown() throws Exception {
    run.close();
  }

  private CanarySpec spec() {
    CanarySpec s = run.spec("skipper", null, 10, null, null, null);
    return new CanarySpec(
        s.provider(),
        s.metricsServer(),
        s.targetRef(),
        s.autoscalerRef(),
        new LocalObjectReference("networking.k8s.io/v1", "Ingress", INGRESS),
        null,
        null,
        s.service(),
        s.analysis(),
        null,
        null,
        null,
        null,
        null);
  }

  private Ingress canaryIngress() {
    return client
        .network()
        .v1()
        .ingresses()
        .inNamespace(CanaryFixture.NS)
        .withName(INGRESS + "-canary")
        .get();
  }

  /** The weights annotation of the canary Ingress: primary, canary. */
  private List<Integer> weights() {
    String raw =
        canaryIngress().getMetadata().getAnnotations().get(SkipperIngressBuilder.BACKEND_WEIGHTS);
    JsonObject w = Json.createReader(new StringReader(raw)).readObject();
    return List.of(w.getInt("podinfo-primary"), w.getInt("podinfo-canary"));
  }

  /**
   * The route ids Skipper's Kubernetes data client gives the paths of {@code ingress} ({@code
   * kube_<ns>__<name>__<host>__<path>__<service>}, non-word characters replaced by {@code _}).
   */
  private static List<String> skipperRouteIds(Ingress ingress) {
    List<String> ids = new ArrayList<>();
    for (IngressRule rule : ingress.getSpec().getRules()) {
      for (HTTPIngressPath path : rule.getHttp().getPaths()) {
        ids.add(
            "kube_%s__%s__%s__%s__%s"
                .formatted(
                    word(ingress.getMetadata().getNamespace()),
                    word(ingress.getMetadata().getName()),
                    word(rule.getHost()),
                    word(path.getPath()),
                    word(path.getBackend().getService().getName())));
      }
    }
    return ids;
  }

  private static String word(String s) {
    return s.replaceAll("\\W", "_");
  }

  @Test
  void promotesWithHealthyMetricsThroughTheCanaryIngress() throws InterruptedException {
    run.initializeAndRollOut(spec());
    List<String> routeIds = skipperRouteIds(canaryIngress());

    run.promoteInThreeSteps(this::weights);

    assertThat(canaryIngress().getMetadata().getAnnotations())
        .containsEntry(SkipperIngressBuilder.PREDICATE, "False()");
    List<String> queries = run.prometheusQueries();
    assertThat(queries)
        .anySatisfy(q -> assertThat(q).contains("skipper_response_duration_seconds_bucket{"))
        .anySatisfy(q -> assertThat(q).contains("skipper_serve_route_duration_seconds_sum{"));
    // the builtin queries select the canary's route of the canary Ingress, not the primary's
    String query = queries.stream().filter(q -> q.contains("route=~")).findFirst().orElseThrow();
    Matcher m = Pattern.compile("route=~\"([^\"]+)\"").matcher(query);
    assertThat(m.find()).as(query).isTrue();
    Pattern route = Pattern.compile(m.group(1));
    assertThat(routeIds)
        .containsExactly(
            "kube_default__podinfo_ingress_canary__app_example_com_____podinfo_primary",
            "kube_default__podinfo_ingress_canary__app_example_com_____podinfo_canary");
    assertThat(route.matcher(routeIds.get(1)).matches()).as(route.pattern()).isTrue();
    assertThat(route.matcher(routeIds.get(1) + "_1").matches()).isTrue();
    assertThat(route.matcher("kubeew" + routeIds.get(1).substring(4)).matches()).isTrue();
    assertThat(route.matcher(routeIds.get(0)).matches()).isFalse();
  }

  @Test
  void rollsBackWhenTheSuccessRateIsTooLow() {
    run.initializeAndRollOut(spec());

    run.rollBackAfterTwoFailedChecks(this::weights);

    assertThat(canaryIngress().getMetadata().getAnnotations())
        .containsEntry(SkipperIngressBuilder.PREDICATE, "False()");
  }

  @Test
  void standardComponentsRegisterTheSkipperRouter() {
    assertThat(StandardComponents.routers(client).meshRouter(new Provider("skipper")))
        .isInstanceOf(SkipperRouter.class);
  }
}
