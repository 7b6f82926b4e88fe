package app.flagger.sandbox;

import app.flagger.model.alert.AlertProvider;
import app.flagger.model.canary.Canary;
import app.flagger.model.metric.MetricTemplate;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * The sandbox's Kubernetes API: fabric8's mock server in CRUD mode on loopback, with Flagger's CRDs
 * registered so the status subresource behaves as on a real cluster, and the CRDs of the meshes the
 * sandbox routes by.
 */
public final class SandboxApiServer implements AutoCloseable {
  private final KubernetesMockServer server;
  private final KubernetesClient client;

  private SandboxApiServer(KubernetesMockServer server) {
    this.server = server;
    this.client = server.createClient();
  }

  /** Starts on {@code port} (0 picks a free one). */
  public static SandboxApiServer start(int port) {
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), new MergePatchDispatcher(), false);
    server.init(InetAddress.getLoopbackAddress(), port);
    return new SandboxApiServer(server);
  }

  public KubernetesClient client() {
    return client;
  }

  /** The API server's URL, e.g. {@code http://127.0.0.1:34567}. */
  public String url() {
    return "http://" + server.getHostName() + ":" + server.getPort();
  }

  /** Registers every CRD file (*.yaml) of {@code dir}. */
  public List<String> registerCrds(Path dir) throws IOException {
    List<String> names = new ArrayList<>();
    try (var files = Files.list(dir)) {
      for (Path f :
          files
              .filter(p -> p.getFileName().toString().matches("\\d+-Crd-.*\\.yaml"))
              .sorted()
              .toList()) {
        CustomResourceDefinition crd =
            client
                .getKubernetesSerialization()
                .unmarshal(Files.readString(f), CustomResourceDefinition.class);
        client
            .apiextensions()
            .v1()
            .customResourceDefinitions()
            .resource(crd)
            .createOr(NonDeletingOperation::update);
        names.add(crd.getMetadata().getName());
      }
    }
    return names;
  }

  /** Registers Istio's VirtualService and DestinationRule CRDs (open schemas). */
  public List<String> registerIstioCrds() throws IOException {
    return registerBundled("istio-crds.yaml");
  }

  /** Registers the Gateway API's HTTPRoute CRD, v1 and v1beta1 (open schema). */
  public List<String> registerGatewayApiCrds() throws IOException {
    return registerBundled("gatewayapi-crds.yaml");
  }

  /** Registers SMI's TrafficSplit CRD, v1alpha1 to v1alpha3 (open schema). */
  public List<String> registerSmiCrds() throws IOException {
    return registerBundled("smi-crds.yaml");
  }

  /** Registers the CRDs of every mesh the sandbox routes by: Istio, Gateway API and SMI. */
  public List<String> registerMeshCrds() throws IOException {
    List<String> names = new ArrayList<>(registerIstioCrds());
    names.addAll(registerGatewayApiCrds());
    names.addAll(registerSmiCrds());
    return names;
  }

  private List<String> registerBundled(String resource) throws IOException {
    List<String> names = new ArrayList<>();
    try (var in = SandboxApiServer.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException(resource + " is missing from the sandbox jar");
      }
      String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      for (String doc : yaml.split("(?m)^---\\s*$")) {
        CustomResourceDefinition crd =
            client.getKubernetesSerialization().unmarshal(doc, CustomResourceDefinition.class);
        client
            .apiextensions()
            .v1()
            .customResourceDefinitions()
            .resource(crd)
            .createOr(NonDeletingOperation::update);
        names.add(crd.getMetadata().getName());
      }
    }
    return names;
  }

  /**
   * Creates or updates every object of a multi-document YAML file; Flagger's kinds go through their
   * typed classes.
   */
  public List<HasMetadata> apply(Path file) throws IOException {
    return applyYaml(Files.readString(file));
  }

  /** Creates or updates every object of a multi-document YAML text. */
  public List<HasMetadata> applyYaml(String yaml) {
    List<HasMetadata> applied = new ArrayList<>();
    for (String doc : yaml.split("(?m)^---\\s*$")) {
      if (doc.isBlank() || !doc.contains("kind:")) {
        continue;
      }
      applied.add(applyOne(doc));
    }
    return applied;
  }

  private HasMetadata applyOne(String doc) {
    var serialization = client.getKubernetesSerialization();
    if (doc.contains("apiVersion: flagger.app/")) {
      HasMetadata typed =
          switch (kindOf(doc)) {
            case "Canary" -> serialization.unmarshal(doc, Canary.class);
            case "MetricTemplate" -> serialization.unmarshal(doc, MetricTemplate.class);
            case "AlertProvider" -> serialization.unmarshal(doc, AlertProvider.class);
            default -> throw new IllegalArgumentException("unknown flagger.app kind in " + doc);
          };
      return client.resource(typed).createOr(NonDeletingOperation::update);
    }
    List<HasMetadata> items =
        client.load(new ByteArrayInputStream(doc.getBytes(StandardCharsets.UTF_8))).items();
    HasMetadata last = null;
    for (HasMetadata item : items) {
      last = client.resource(item).createOr(NonDeletingOperation::update);
    }
    return last;
  }

  private static String kindOf(String doc) {
    return doc.lines()
        .filter(l -> l.startsWith("kind:"))
        .map(l -> l.substring("kind:".length()).strip())
        .findFirst()
        .orElse("");
  }

  /** Writes a kubeconfig that points kubectl and the services at this server. */
  public Path writeKubeconfig(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    String kubeconfig =
        """
        apiVersion: v1
        kind: Config
        clusters:
          - name: flagger-sandbox
            cluster:
              server: %s
              insecure-skip-tls-verify: true
        contexts:
          - name: flagger-sandbox
            context:
              cluster: flagger-sandbox
              user: sandbox
              namespace: test
        current-context: flagger-sandbox
        users:
          - name: sandbox
            user:
              token: sandbox
        """
            .formatted(url());
    Files.writeString(file, kubeconfig);
    return file;
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
