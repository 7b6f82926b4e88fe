package app.flagger.controller.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.StandardComponents;
import app.flagger.controller.canary.PrimaryScaledObjectBuilder;
import app.flagger.controller.support.CanaryFixture;
import app.flagger.controller.support.ScaledObjectFixture;
import app.flagger.controller.support.StandardRun;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.canary.CanarySpec;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A {@code kubernetes} Canary whose {@code autoscalerRef} is a KEDA ScaledObject, end to end on the
 * mock API server with KEDA's CRD, wired as in production by {@link StandardComponents}, as
 * Flagger's keda e2e test: the primary ScaledObject follows the target's and aims at the primary;
 * the target's is paused ({@code autoscaling.keda.sh/paused-replicas: "0"}) while the target runs
 * no pods and resumed for the analysis.
 */
@EnableKubernetesMockClient(crud = true)
class KedaCanaryRunKubeTest {
  private static final String PAUSED = PrimaryScaledObjectBuilder.PAUSED_REPLICAS;

  KubernetesClient client;
  StandardRun run;

  /** The kubernetes provider's builtin duration query reads seconds: 0.1 is 100ms. */
  @BeforeEach
  void setUp() throws Exception {
    ScaledObjectFixture.registerCrd(client);
    run = new StandardRun(client, "0.1");
  }

  @AfterEach
  void tearDown() throws Exception {
    run.close();
  }

  private CanarySpec spec() {
    return ScaledObjectFixture.withScaledObject(
        run.spec("kubernetes", null, null, 2, null, null), ScaledObjectFixture.ref(null, null));
  }

  private GenericKubernetesResource scaledObject(String name) {
    return client
        .genericKubernetesResources(PrimaryScaledObjectBuilder.SCALED_OBJECTS)
        .inNamespace(CanaryFixture.NS)
        .withName(name)
        .get();
  }

  private Map<String, Object> spec(String name) {
    return scaledObject(name).getAdditionalProperties().get("spec") instanceof Map<?, ?> m
        ? Map.copyOf(castMap(m))
        : Map.of();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }

  /** The target's paused-replicas annotation, null when it is not paused. */
  private String paused() {
    Map<String, String> a = scaledObject("podinfo").getMetadata().getAnnotations();
    return a == null ? null : a.get(PAUSED);
  }

  @Test
  void promotesWithThePrimaryScaledObjectAndPausesTheTargetsWhileItIsIdle() {
    client.resource(ScaledObjectFixture.scaledObject(CanaryFixture.NS)).create();
    run.createCanary(spec());

    // tick 1: primary created; tick 2: primary ready → Initialized
    run.tick();
    run.tick();

    assertThat(run.fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.INITIALIZED);
    assertThat(spec("podinfo-primary").get("scaleTargetRef"))
        .isEqualTo(Map.of("name", "podinfo-primary"));
    assertThat(scaledObject("podinfo-primary").getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getName()).isEqualTo("podinfo"));
    assertThat(paused()).as("the idle target's ScaledObject is paused").isEqualTo("0");
    assertThat(scaledObject("podinfo-primary").getMetadata().getAnnotations())
        .doesNotContainKey(PAUSED);

    run.fixture.rolloutNewRevision("ghcr.io/stefanprodan/podinfo:6.0.1");
    run.tick();

    assertThat(run.fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.PROGRESSING);
    assertThat(paused()).as("resumed when the new revision scales up").isNull();
    assertThat(run.events.messages()).contains("New revision detected! Scaling up podinfo.default");

    GenericKubernetesResource target = scaledObject("podinfo");
    castMap((Map<?, ?>) target.getAdditionalProperties().get("spec")).put("pollingInterval", 20);
    client.resource(target).update();
    List<String> seen = run.runToPromotion(this::paused);

    assertThat(run.fixture.get().getStatus().phase())
        .as(run.events.messages().toString())
        .isEqualTo(CanaryPhase.SUCCEEDED);
    assertThat(seen.subList(0, seen.size() - 1))
        .as("not paused during the analysis and the promotion")
        .containsOnlyNulls();
    assertThat(paused()).as("paused again once the target is scaled down").isEqualTo("0");
    assertThat(spec("podinfo-primary"))
        .as("the promotion carried the target's change to the primary")
        .containsEntry("pollingInterval", 20)
        .containsEntry("scaleTargetRef", Map.of("name", "podinfo-primary"));
    assertThat(run.events.messages())
        .containsSubsequence(
            "Copying podinfo.default template spec to podinfo-primary.default",
            "Promotion completed! Scaling down podinfo.default");
  }

  @Test
  void aRollbackPausesTheTargetsScaledObjectAgain() {
    client.resource(ScaledObjectFixture.scaledObject(CanaryFixture.NS)).create();
    run.initializeAndRollOut(spec());
    assertThat(paused()).isNull();

    run.successRate = "98.69";
    for (int i = 0; i < 5 && run.fixture.get().getStatus().phase() != CanaryPhase.FAILED; i++) {
      run.tick();
    }

    assertThat(run.fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.FAILED);
    assertThat(run.events.messages()).contains("Canary failed! Scaling down podinfo.default");
    assertThat(paused()).isEqualTo("0");
  }

  /** revertOnDeletion: the target's ScaledObject is resumed so the target is not left at zero. */
  @Test
  void deletingTheCanaryResumesTheTargetsScaledObject() {
    client.resource(ScaledObjectFixture.scaledObject(CanaryFixture.NS)).create();
    run.createCanary(CanaryFixture.with(spec(), null, true, null));
    run.tick();
    run.tick();
    assertThat(paused()).isEqualTo("0");

    client.resources(Canary.class).inNamespace(CanaryFixture.NS).withName("podinfo").delete();
    run.controller.handler().sync(run.fixture.get());

    assertThat(run.events.messages()).contains("Terminating canary podinfo.default");
    assertThat(paused()).isNull();
  }

  @Test
  void aMissingScaledObjectIsAWarningAndTheCanaryIsNotInitialized() {
    run.createCanary(spec());

    run.tick();
    run.tick();

    assertThat(run.events.messages())
        .contains(
            "Keda ScaledObject podinfo.default get query error:"
                + " scaledobjects.keda.sh \"podinfo\" not found");
    assertThat(run.fixture.get().getStatus().phase()).isNotEqualTo(CanaryPhase.INITIALIZED);
  }
}
