package app.flagger.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.model.canary.Canary;
import app.flagger.model.support.RepoRoot;
import app.flagger.sandbox.mesh.RouteTable;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sandbox API serves Flagger's and Istio's CRDs and the demo's examples. */
class SandboxApiServerTest {
  private static final Path ROOT = RepoRoot.find();

  @Test
  void appliesTheDemoExamplesAndServesIstioKinds(@TempDir Path tmp) throws Exception {
    try (SandboxApiServer api = SandboxApiServer.start(0)) {
      assertThat(api.registerCrds(ROOT.resolve("k8s/crds")))
          .containsExactly(
              "canaries.flagger.app", "metrictemplates.flagger.app", "alertproviders.flagger.app");
      assertThat(api.registerIstioCrds())
          .containsExactly(
              "virtualservices.networking.istio.io", "destinationrules.networking.istio.io");
      for (String example : SandboxMain.EXAMPLES) {
        api.apply(ROOT.resolve("k8s/examples").resolve(example));
      }

      Canary canary =
          api.client().resources(Canary.class).inNamespace("test").withName("podinfo").get();
      assertThat(canary.getSpec().provider()).isEqualTo("istio");
      assertThat(canary.getStatus()).as("status is a subresource: not set on create").isNull();

      // the mock has no API discovery: generic clients must name the kind with a
      // ResourceDefinitionContext
      GenericKubernetesResource vs = new GenericKubernetesResource();
      vs.setApiVersion("networking.istio.io/v1beta1");
      vs.setKind("VirtualService");
      vs.setMetadata(
          new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
              .withName("podinfo")
              .withNamespace("test")
              .build());
      vs.setAdditionalProperty("spec", Map.of("hosts", List.of("podinfo")));
      api.client()
          .genericKubernetesResources(RouteTable.VIRTUAL_SERVICE)
          .inNamespace("test")
          .resource(vs)
          .create();
      assertThat(
              api.client()
                  .genericKubernetesResources(RouteTable.VIRTUAL_SERVICE)
                  .inNamespace("test")
                  .withName("podinfo")
                  .get()
                  .getAdditionalProperties())
          .containsEntry("spec", Map.of("hosts", List.of("podinfo")));

      Path kubeconfig = api.writeKubeconfig(tmp.resolve("kubeconfig"));
      assertThat(Files.readString(kubeconfig)).contains("server: " + api.url());
    }
  }

  @Test
  void servesTheGatewayApiAndSmiKindsInEveryVersionFlaggerWrites() throws Exception {
    try (SandboxApiServer api = SandboxApiServer.start(0)) {
      assertThat(api.registerMeshCrds())
          .containsExactly(
              "virtualservices.networking.istio.io",
              "destinationrules.networking.istio.io",
              "httproutes.gateway.networking.k8s.io",
              "trafficsplits.split.smi-spec.io");
      List<ResourceDefinitionContext> kinds = new java.util.ArrayList<>(RouteTable.TRAFFIC_SPLITS);
      kinds.add(RouteTable.HTTP_ROUTE);
      kinds.add(RouteTable.HTTP_ROUTE_V1BETA1);
      for (ResourceDefinitionContext kind : kinds) {
        GenericKubernetesResource r = new GenericKubernetesResource();
        r.setApiVersion(kind.getGroup() + "/" + kind.getVersion());
        r.setKind(kind.getKind());
        String name = "podinfo-" + kind.getVersion();
        r.setMetadata(
            new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
                .withName(name)
                .withNamespace("test")
                .build());
        r.setAdditionalProperty("spec", Map.of("service", "podinfo"));
        api.client().genericKubernetesResources(kind).inNamespace("test").resource(r).create();
        assertThat(
                api.client()
                    .genericKubernetesResources(kind)
                    .inNamespace("test")
                    .withName(name)
                    .get()
                    .getAdditionalProperties())
            .as(kind.getKind() + " " + kind.getVersion())
            .containsEntry("spec", Map.of("service", "podinfo"));
      }
    }
  }
}
