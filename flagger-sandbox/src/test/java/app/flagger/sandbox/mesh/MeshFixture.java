package app.flagger.sandbox.mesh;

import static org.awaitility.Awaitility.await;

import app.flagger.sandbox.SandboxApiServer;
import app.flagger.sandbox.kubelet.ProcessPodLauncher;
import app.flagger.sandbox.kubelet.SandboxKubelet;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * An API server, kubelet and mesh with podinfo-primary (6.0.0) and podinfo-canary (6.0.1) running,
 * and the Services Flagger would create: podinfo, podinfo-primary, podinfo-canary.
 */
final class MeshFixture implements AutoCloseable {
  final SandboxApiServer api;
  final SandboxKubelet kubelet;
  final SandboxMesh mesh;
  final HttpClient viaMesh;

  MeshFixture(Path logs, Map<String, String> canaryEnv) throws Exception {
    api = SandboxApiServer.start(0);
    // as in the sandbox: the routing kinds are registered before the mesh watches them
    api.registerMeshCrds();
    kubelet =
        new SandboxKubelet(
                api.client(),
                new ProcessPodLauncher(logs),
                Clock.systemUTC(),
                Duration.ofMillis(200))
            .start();
    mesh = SandboxMesh.start(api.client(), kubelet, 0, new SplittableRandom(7), System::nanoTime);
    viaMesh =
        HttpClient.newBuilder()
            .proxy(mesh.proxySelector())
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    KubernetesClient c = api.client();
    deployment(c, "podinfo-primary", "6.0.0", Map.of());
    deployment(c, "podinfo-canary", "6.0.1", canaryEnv);
    service(c, "podinfo", "podinfo-primary");
    service(c, "podinfo-primary", "podinfo-primary");
    service(c, "podinfo-canary", "podinfo-canary");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                get("http://podinfo-primary.test:9898/readyz").statusCode() == 200
                    && get("http://podinfo-canary.test:9898/readyz").statusCode() == 200);
  }

  /** Sends {@code n} GETs, 16 at a time, and returns the answers in order. */
  List<HttpResponse<String>> send(int n, String url, Map<String, String> headers) {
    List<HttpResponse<String>> out = new ArrayList<>();
    for (int batch = 0; batch < n; batch += 16) {
      List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
      for (int i = batch; i < Math.min(n, batch + 16); i++) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        headers.forEach(b::header);
        inFlight.add(viaMesh.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString()));
      }
      inFlight.forEach(r -> out.add(r.join()));
    }
    return out;
  }

  HttpResponse<String> get(String url) throws Exception {
    return viaMesh.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static void deployment(KubernetesClient c, String name, String version, Map<String, String> env) {
    var container =
        new io.fabric8.kubernetes.api.model.ContainerBuilder()
            .withName("podinfod")
            .withImage("ghcr.io/stefanprodan/podinfo:" + version);
    env.forEach((k, v) -> container.addNewEnv().withName(k).withValue(v).endEnv());
    c.resource(
            new DeploymentBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("test")
                .endMetadata()
                .withNewSpec()
                .withReplicas(1)
                .withNewSelector()
                .addToMatchLabels("app", name)
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", name)
                .endMetadata()
                .withNewSpec()
                .addToContainers(container.build())
                .endSpec()
                .endTemplate()
                .endSpec()
                .build())
        .createOr(NonDeletingOperation::update);
  }

  static void service(KubernetesClient c, String name, String app) {
    c.resource(
            new ServiceBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("test")
                .endMetadata()
                .withNewSpec()
                .addToSelector("app", app)
                .addNewPort()
                .withName("http")
                .withPort(9898)
                .endPort()
                .endSpec()
                .build())
        .createOr(NonDeletingOperation::update);
  }

  /** Creates or replaces the VirtualService podinfo from YAML (the spec only). */
  void virtualService(String specYaml) {
    String yaml =
        """
        apiVersion: networking.istio.io/v1beta1
        kind: VirtualService
        metadata:
          name: podinfo
          namespace: test
        spec:
        """
            + specYaml.indent(2);
    GenericKubernetesResource vs =
        api.client().getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class);
    api.client()
        .genericKubernetesResources(RouteTable.VIRTUAL_SERVICE)
        .inNamespace("test")
        .resource(vs)
        .createOr(NonDeletingOperation::update);
  }

  /** Creates or replaces an object of {@code kind} in namespace test from YAML (the spec only). */
  void apply(ResourceDefinitionContext kind, String name, String specYaml) {
    String yaml =
        """
        apiVersion: %s/%s
        kind: %s
        metadata:
          name: %s
          namespace: test
        spec:
        """
                .formatted(kind.getGroup(), kind.getVersion(), kind.getKind(), name)
            + specYaml.indent(2);
    GenericKubernetesResource r =
        api.client().getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class);
    api.client()
        .genericKubernetesResources(kind)
        .inNamespace("test")
        .resource(r)
        .createOr(NonDeletingOperation::update);
  }

  /** Deletes an object of {@code kind} in namespace test. */
  void delete(ResourceDefinitionContext kind, String name) {
    api.client().genericKubernetesResources(kind).inNamespace("test").withName(name).delete();
  }

  @Override
  public void close() {
    viaMesh.close();
    mesh.close();
    kubelet.close();
    api.close();
  }
}
