package app.flagger.controller.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.flagger.controller.router.gatewayapi.GatewayApiCrds;
import app.flagger.controller.router.gatewayapi.GatewayApiRouter;
import app.flagger.controller.router.gatewayapi.HttpRouteBuilder.Version;
import app.flagger.controller.support.CacheSync;
import app.flagger.controller.support.CanaryFixture;
import app.flagger.controller.support.ServiceTargetFixture;
import app.flagger.controller.support.StandardRun;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.canary.CanarySpec;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A Canary whose target is the podinfo Service ({@code targetRef.kind: Service}) on {@code
 * gatewayapi:v1}, end to end on the mock API server as wired in production: the HTTPRoute shifts
 * traffic between {@code podinfo-primary} and {@code podinfo-canary}, copies of the target Service,
 * and a promotion copies the target's spec to the primary (the weight sequences of Flagger's {@code
 * scheduler_svc_test.go}).
 */
@EnableKubernetesMockClient(crud = true)
class ServiceTargetCanaryRunKubeTest {
  private static final ResourceDefinitionContext HTTP_ROUTES =
      GatewayApiRouter.httpRoutes(Version.V1);
  private static final Map<String, String> STABLE = Map.of("app", "podinfo");
  private static final Map<String, String> NEXT = Map.of("app", "podinfo-v2");

  KubernetesClient client;
  StandardRun run;

  @BeforeEach
  void setUp() throws Exception {
    GatewayApiCrds.register(client);
    run = new StandardRun(client, "0.1");
    client
        .services()
        .inNamespace(CanaryFixture.NS)
        .resource(ServiceTargetFixture.target())
        .create();
  }

  @AfterEach
  void tearDown() throws Exception {
    run.close();
  }

  /** Step 20 up to 50, threshold 2, a gateway and a host. */
  private CanarySpec spec() {
    return spec(Map.of("stepWeight", 20, "maxWeight", 50));
  }

  /** Threshold 2, a gateway and a host, with {@code weights} set on the analysis. */
  @SuppressWarnings("unchecked")
  private CanarySpec spec(Map<String, Object> weights) {
    CanarySpec base = run.spec("gatewayapi:v1", null, 20, null, null, null);
    CanarySpec spec =
        ServiceTargetFixture.targetingService(
            base,
            "v1",
            Map.of(
                "gatewayRefs", List.of(Map.of("name", "public", "namespace", "gateway-system")),
                "hosts", List.of("app.example.com")));
    KubernetesSerialization json = new KubernetesSerialization();
    Map<String, Object> tree = new LinkedHashMap<>(json.convertValue(spec, Map.class));
    Map<String, Object> analysis = new LinkedHashMap<>((Map<String, Object>) tree.get("analysis"));
    analysis.remove("stepWeight");
    analysis.remove("maxWeight");
    analysis.putAll(weights);
    tree.put("analysis", analysis);
    return json.convertValue(tree, CanarySpec.class);
  }

  private void tick() {
    run.tick();
  }

  private Service service(String name) {
    return client.services().inNamespace(CanaryFixture.NS).withName(name).get();
  }

  private void changeTargetSelector(Map<String, String> selector) {
    client
        .services()
        .inNamespace(CanaryFixture.NS)
        .withName("podinfo")
        .edit(
            s -> {
              s.getSpec().setSelector(selector);
              return s;
            });
    CacheSync.await(run.controller.cache(), client);
  }

  private CanaryPhase phase() {
    return run.fixture.get().getStatus().phase();
  }

  /** The weights of the HTTPRoute's first rule: primary, canary. */
  @SuppressWarnings("unchecked")
  private List<Integer> weights() {
    GenericKubernetesResource r =
        client
            .genericKubernetesResources(HTTP_ROUTES)
            .inNamespace(CanaryFixture.NS)
            .withName("podinfo")
            .get();
    Map<String, Object> spec = (Map<String, Object>) r.getAdditionalProperties().get("spec");
    List<Map<String, Object>> rules = (List<Map<String, Object>>) spec.get("rules");
    List<Map<String, Object>> refs = (List<Map<String, Object>>) rules.get(0).get("backendRefs");
    assertThat(refs)
        .extracting(ref -> ref.get("name"))
        .containsExactly("podinfo-primary", "podinfo-canary");
    return refs.stream().map(ref -> ((Number) ref.get("weight")).intValue()).toList();
  }

  /** Initialized in one tick (a Service is always ready), then a new selector starts a run. */
  private void initializeAndChangeTarget() {
    initializeAndChangeTarget(spec());
  }

  private void initializeAndChangeTarget(CanarySpec spec) {
    run.createCanary(spec);
    tick();
    assertThat(phase()).as(run.events.messages().toString()).isEqualTo(CanaryPhase.INITIALIZED);
    assertThat(service("podinfo-primary").getSpec().getSelector()).isEqualTo(STABLE);
    assertThat(service("podinfo-canary").getSpec().getSelector()).isEqualTo(STABLE);
    changeTargetSelector(NEXT);
    run.events.clear();
  }

  @Test
  void promotesTheTargetServiceSpecToThePrimary() {
    initializeAndChangeTarget();

    List<Integer> primaryWeights = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      tick();
      primaryWeights.add(weights().get(0));
    }
    assertThat(primaryWeights).containsExactly(100, 80, 60, 40);
    assertThat(phase()).isEqualTo(CanaryPhase.PROGRESSING);
    assertThat(service("podinfo-canary").getSpec().getSelector()).isEqualTo(NEXT);
    assertThat(service("podinfo-primary").getSpec().getSelector()).isEqualTo(STABLE);

    tick();
    assertThat(phase()).isEqualTo(CanaryPhase.PROMOTING);
    tick();
    assertThat(phase()).isEqualTo(CanaryPhase.FINALISING);
    assertThat(weights()).containsExactly(100, 0);
    assertThat(service("podinfo-primary").getSpec().getSelector()).isEqualTo(NEXT);
    tick();
    assertThat(phase()).isEqualTo(CanaryPhase.SUCCEEDED);

    assertThat(run.events.messages())
        .containsSubsequence(
            "New revision detected! Scaling up podinfo.default",
            "Starting canary analysis for podinfo.default",
            "Advance podinfo.default canary weight 20",
            "Advance podinfo.default canary weight 40",
            "Advance podinfo.default canary weight 60",
            "Copying podinfo.default template spec to podinfo-primary.default",
            "Promotion completed! Scaling down podinfo.default");
    assertThat(run.fixture.get().getStatus().lastPromotedSpec())
        .isEqualTo(run.fixture.get().getStatus().lastAppliedSpec());
    assertNoWorkloadTouched();
  }

  /**
   * Flagger's other Service promotions: the primary weights, then promotion (its overflow case, a
   * step weight of 200, is refused by the validator here).
   */
  static Stream<Arguments> weightSequences() {
    return Stream.of(
        Arguments.of(Map.of("stepWeight", 50, "maxWeight", 100), List.of(100, 50, 0)),
        Arguments.of(Map.of("stepWeights", List.of(1, 2, 10, 80)), List.of(100, 99, 98, 90, 20)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("weightSequences")
  void promotesAfterTheStepsFlaggerTakes(Map<String, Object> weights, List<Integer> expected) {
    initializeAndChangeTarget(spec(weights));

    List<Integer> primaryWeights = new ArrayList<>();
    for (int i = 0; i < expected.size(); i++) {
      tick();
      primaryWeights.add(weights().get(0));
    }
    assertThat(primaryWeights).isEqualTo(expected);
    tick();
    tick();
    tick();

    assertThat(phase()).as(run.events.messages().toString()).isEqualTo(CanaryPhase.SUCCEEDED);
    assertThat(weights()).containsExactly(100, 0);
    assertThat(service("podinfo-primary").getSpec().getSelector()).isEqualTo(NEXT);
  }

  @Test
  void rollsBackLeavingThePrimaryOnTheStableSpec() {
    initializeAndChangeTarget();
    tick();
    tick();
    assertThat(weights()).containsExactly(80, 20);
    run.successRate = "98.69";
    // two failed checks at weight 20, then the threshold is reached
    tick();
    tick();
    assertThat(run.fixture.get().getStatus().failedChecks()).isEqualTo(2);
    tick();

    assertThat(phase()).isEqualTo(CanaryPhase.FAILED);
    assertThat(weights()).containsExactly(100, 0);
    assertThat(service("podinfo-primary").getSpec().getSelector()).isEqualTo(STABLE);
    assertThat(service("podinfo-canary").getSpec().getSelector()).isEqualTo(NEXT);
    assertThat(run.events.messages())
        .containsSubsequence(
            "Halt podinfo.default advancement success rate 98.69% < 99%",
            "Rolling back podinfo.default failed checks threshold reached 2",
            "Canary failed! Scaling down podinfo.default");
    assertNoWorkloadTouched();

    // a rolled back spec is not retried; the next change starts a new run
    tick();
    assertThat(phase()).isEqualTo(CanaryPhase.FAILED);
    changeTargetSelector(Map.of("app", "podinfo-v3"));
    tick();
    assertThat(phase()).isEqualTo(CanaryPhase.PROGRESSING);
  }

  /** revertOnDeletion: nothing to restore on the target Service; the Canary goes away. */
  @Test
  void revertOnDeletionLeavesTheTargetServiceAsItIs() {
    run.createCanary(CanaryFixture.with(spec(), null, true, null));
    assertThat(run.fixture.get().getMetadata().getFinalizers()).contains("finalizer.flagger.app");
    tick();
    assertThat(phase()).isEqualTo(CanaryPhase.INITIALIZED);
    Service before = service("podinfo");

    client.resources(Canary.class).inNamespace(CanaryFixture.NS).withName("podinfo").delete();
    run.controller.handler().sync(run.fixture.get());

    await().atMost(Duration.ofSeconds(30)).until(() -> run.fixture.get() == null);
    assertThat(run.events.messages())
        .contains("Terminating canary podinfo.default", "Terminated canary podinfo.default");
    assertThat(service("podinfo").getSpec()).isEqualTo(before.getSpec());
    assertThat(service("podinfo").getMetadata().getResourceVersion())
        .isEqualTo(before.getMetadata().getResourceVersion());
  }

  /** No primary workload, no primary HPA, and the target Service is left as the user wrote it. */
  private void assertNoWorkloadTouched() {
    assertThat(
            client
                .apps()
                .deployments()
                .inNamespace(CanaryFixture.NS)
                .withName("podinfo-primary")
                .get())
        .isNull();
    assertThat(
            client
                .autoscaling()
                .v2()
                .horizontalPodAutoscalers()
                .inNamespace(CanaryFixture.NS)
                .withName("podinfo-primary")
                .get())
        .isNull();
    Service target = service("podinfo");
    assertThat(target.getMetadata().getOwnerReferences()).isNullOrEmpty();
    assertThat(target.getMetadata().getAnnotations())
        .containsKey(ServiceTargetFixture.LAST_APPLIED);
  }
}
