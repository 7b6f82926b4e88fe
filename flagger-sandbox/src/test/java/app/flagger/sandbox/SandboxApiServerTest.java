package app.flagger.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.flagger.model.canary.Canary;
import app.flagger.model.support.RepoRoot;
import app.flagger.sandbox.kubelet.ProcessPodLauncher;
import app.flagger.sandbox.kubelet.SandboxKubelet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sandbox API serves Flagger's CRDs and the examples, and its kubelet settles Deployments. */
class SandboxApiServerTest {
  private static final Path ROOT = RepoRoot.find();

  @Test
  void appliesTheDemoExamplesAndSettlesDeployments(@TempDir Path tmp) throws Exception {
    try (SandboxApiServer api = SandboxApiServer.start(0);
        SandboxKubelet kubelet =
            new SandboxKubelet(
                    api.client(),
                    new ProcessPodLauncher(null),
                    Clock.systemUTC(),
                    Duration.ofMillis(200))
                .start()) {
      assertThat(api.registerCrds(ROOT.resolve("k8s/crds")))
          .containsExactly(
              "canaries.flagger.app", "metrictemplates.flagger.app", "alertproviders.flagger.app");
      for (String example : SandboxMain.EXAMPLES) {
        api.apply(ROOT.resolve("k8s/examples").resolve(example));
      }

      Canary canary =
          api.client().resources(Canary.class).inNamespace("test").withName("podinfo").get();
      assertThat(canary.getSpec().provider()).isEqualTo("kubernetes");
      assertThat(canary.getStatus()).as("status is a subresource: not set on create").isNull();

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                Deployment d =
                    api.client().apps().deployments().inNamespace("test").withName("podinfo").get();
                assertThat(d.getStatus()).isNotNull();
                assertThat(d.getSpec().getReplicas())
                    .as("no replicas in the example: the HPA owns them")
                    .isNull();
                assertThat(d.getStatus().getReadyReplicas()).isEqualTo(1);
              });

      Path kubeconfig = api.writeKubeconfig(tmp.resolve("kubeconfig"));
      assertThat(Files.readString(kubeconfig)).contains("server: " + api.url());
    }
  }
}
