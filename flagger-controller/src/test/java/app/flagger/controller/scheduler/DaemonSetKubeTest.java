package app.flagger.controller.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.support.CanaryFixture;
import app.flagger.controller.support.ControllerHarness;
import app.flagger.controller.support.Crds;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.canary.CanarySpec;
import app.flagger.model.common.LocalObjectReference;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A DaemonSet target: primary bootstrap, "scale to zero" by node selector, promotion. */
@EnableKubernetesMockClient(crud = true)
class DaemonSetKubeTest {
  KubernetesClient client;
  ControllerHarness h;

  @BeforeEach
  void setUp() {
    Crds.register(client);
    new CanaryFixture(client).seed();
    client.apps().deployments().inNamespace("default").withName("podinfo").delete();
    DaemonSet ds =
        new DaemonSetBuilder()
            .withNewMetadata()
            .withName("podinfo")
            .withNamespace("default")
            .endMetadata()
            .withNewSpec()
            .withNewSelector()
            .withMatchLabels(Map.of("app", "podinfo"))
            .endSelector()
            .withTemplate(CanaryFixture.deployment("podinfo:1").getSpec().getTemplate())
            .endSpec()
            .build();
    client.apps().daemonSets().inNamespace("default").resource(ds).create();
    h = ControllerHarness.create(client);
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  void settle() {
    for (DaemonSet d : client.apps().daemonSets().inNamespace("default").list().getItems()) {
      d.setStatus(
          new DaemonSetStatusBuilder()
              .withObservedGeneration(d.getMetadata().getGeneration())
              .withDesiredNumberScheduled(1)
              .withUpdatedNumberScheduled(1)
              .withNumberAvailable(1)
              .build());
      client.apps().daemonSets().inNamespace("default").resource(d).updateStatus();
    }
  }

  DaemonSet get(String name) {
    return client.apps().daemonSets().inNamespace("default").withName(name).get();
  }

  @Test
  void promotesADaemonSet() {
    CanarySpec base =
        CanaryFixture.spec("kubernetes", CanaryFixture.analysis(null, null, 1, 1, List.of()));
    CanarySpec spec =
        new CanarySpec(
            base.provider(),
            null,
            new LocalObjectReference("apps/v1", "DaemonSet", "podinfo"),
            null,
            null,
            null,
            null,
            base.service(),
            base.analysis(),
            null,
            null,
            null,
            null,
            null);
    Canary c = new CanaryFixture(client).create(spec);
    h.sync();
    h.tick();
    settle();
    h.tick();
    CanaryFixture fixture = new CanaryFixture(client);
    assertThat(fixture.get().getStatus().phase())
        .as(h.events.all().toString())
        .isEqualTo(CanaryPhase.INITIALIZED);
    assertThat(get("podinfo-primary").getSpec().getSelector().getMatchLabels())
        .containsEntry("app", "podinfo-primary");
    assertThat(get("podinfo").getSpec().getTemplate().getSpec().getNodeSelector())
        .containsEntry("flagger.app/scale-to-zero", "true");

    client
        .apps()
        .daemonSets()
        .inNamespace("default")
        .withName("podinfo")
        .edit(
            d -> {
              d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("podinfo:2");
              return d;
            });
    for (int i = 0; i < 7; i++) {
      h.tick();
      settle();
    }
    assertThat(fixture.get().getStatus().phase()).isEqualTo(CanaryPhase.SUCCEEDED);
    assertThat(
            get("podinfo-primary")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getImage())
        .isEqualTo("podinfo:2");
    assertThat(get("podinfo-primary").getSpec().getTemplate().getSpec().getNodeSelector())
        .doesNotContainKey("flagger.app/scale-to-zero");
    assertThat(get("podinfo").getSpec().getTemplate().getSpec().getNodeSelector())
        .containsEntry("flagger.app/scale-to-zero", "true");
    assertThat(c).isNotNull();
  }
}
