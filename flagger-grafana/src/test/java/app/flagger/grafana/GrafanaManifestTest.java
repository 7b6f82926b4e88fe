package app.flagger.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The k8s/grafana manifests keep their security posture: every container non-root with a read-only
 * root filesystem, no capabilities, RuntimeDefault seccomp, requests and limits; Grafana with no
 * anonymous access; the provisioner's ConfigMap is a valid configuration with its API token mounted
 * and the datasource not made default.
 */
@SuppressWarnings("unchecked")
class GrafanaManifestTest {
  static final Path DIR = Path.of("..", "k8s", "grafana");

  @Test
  void kustomizationListsEveryManifest() throws IOException {
    Map<String, Object> kustomization = load("kustomization.yaml");
    try (Stream<Path> files = Files.list(DIR)) {
      List<String> manifests =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> !n.equals("kustomization.yaml") && n.endsWith(".yaml"))
              .sorted()
              .toList();
      assertThat((List<String>) kustomization.get("resources"))
          .containsExactlyElementsOf(manifests);
    }
  }

  @Test
  void everyContainerIsLockedDown() throws IOException {
    Map<String, Object> pod = podSpec();
    Map<String, Object> podSecurity = (Map<String, Object>) pod.get("securityContext");
    assertThat(podSecurity).containsEntry("runAsNonRoot", true);
    assertThat((Map<String, Object>) podSecurity.get("seccompProfile"))
        .containsEntry("type", "RuntimeDefault");
    assertThat(pod).containsEntry("automountServiceAccountToken", false);

    List<Map<String, Object>> containers = (List<Map<String, Object>>) pod.get("containers");
    assertThat(containers).extracting(c -> c.get("name")).contains("grafana", "provisioner");
    for (Map<String, Object> c : containers) {
      Map<String, Object> sc = (Map<String, Object>) c.get("securityContext");
      assertThat(sc)
          .as("securityContext of %s", c.get("name"))
          .containsEntry("runAsNonRoot", true)
          .containsEntry("readOnlyRootFilesystem", true)
          .containsEntry("allowPrivilegeEscalation", false);
      assertThat((Integer) sc.get("runAsUser")).isPositive();
      assertThat((List<String>) ((Map<String, Object>) sc.get("capabilities")).get("drop"))
          .containsExactly("ALL");
      assertThat((Map<String, Object>) sc.get("seccompProfile"))
          .containsEntry("type", "RuntimeDefault");
      Map<String, Map<String, Object>> resources =
          (Map<String, Map<String, Object>>) c.get("resources");
      assertThat(resources.get("requests")).containsKeys("cpu", "memory");
      assertThat(resources.get("limits")).containsKeys("cpu", "memory");
      assertThat((List<Map<String, Object>>) c.get("volumeMounts"))
          .as("a writable /tmp for %s", c.get("name"))
          .anyMatch(m -> "/tmp".equals(m.get("mountPath")));
    }
  }

  @Test
  void grafanaIsTheRealImageWithoutAnonymousAdmin() throws IOException {
    Map<String, Object> grafana = container("grafana");
    assertThat((String) grafana.get("image")).startsWith("grafana/grafana:");
    List<Map<String, Object>> env = (List<Map<String, Object>>) grafana.get("env");
    assertThat(env)
        .anyMatch(
            e ->
                "GF_AUTH_ANONYMOUS_ENABLED".equals(e.get("name")) && "false".equals(e.get("value")))
        .noneMatch(e -> "GF_AUTH_ANONYMOUS_ORG_ROLE".equals(e.get("name")))
        .anyMatch(e -> "GF_SECURITY_ADMIN_PASSWORD__FILE".equals(e.get("name")));
    assertThat((List<Map<String, Object>>) grafana.get("volumeMounts"))
        .anyMatch(m -> "/var/lib/grafana".equals(m.get("mountPath")));
  }

  @Test
  void provisionerConfigMapIsAValidConfiguration() throws IOException {
    Map<String, Object> configMap = load("030-ConfigMap-flagger-grafana.yaml");
    String yaml = ((Map<String, String>) configMap.get("data")).get("config.yaml");
    Path file = Files.createTempFile("flagger-grafana", ".yaml");
    try {
      Files.writeString(file, yaml);
      Config root = Config.just(ConfigSources.file(file));
      GrafanaConfig config = GrafanaConfig.from(root.get("grafana"));
      assertThat(config.prometheusUrl()).hasToString("http://prometheus:9090");
      assertThat(config.url()).hasToString("http://localhost:3000");
      assertThat(config.passwordFile()).isPresent();
      assertThat(config.mode()).isEqualTo(ProvisioningMode.API);
      assertThat(config.datasourceDefault()).as("a shared Grafana keeps its default").isFalse();
      // the API token is where the provisioner mounts the Secret flagger-grafana-api
      String tokenFile = root.get(ApiTokenFilter.KEY).asString().get();
      assertThat(tokenFile).isEqualTo("/etc/flagger-grafana-api/token");
      assertThat((List<Map<String, Object>>) container("provisioner").get("volumeMounts"))
          .anyMatch(m -> "/etc/flagger-grafana-api".equals(m.get("mountPath")));
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static Map<String, Object> container(String name) throws IOException {
    return ((List<Map<String, Object>>) podSpec().get("containers"))
        .stream().filter(c -> name.equals(c.get("name"))).findFirst().orElseThrow();
  }

  private static Map<String, Object> podSpec() throws IOException {
    Map<String, Object> deployment = load("050-Deployment-flagger-grafana.yaml");
    Map<String, Object> spec = (Map<String, Object>) deployment.get("spec");
    return (Map<String, Object>) ((Map<String, Object>) spec.get("template")).get("spec");
  }

  private static Map<String, Object> load(String name) throws IOException {
    return new Yaml().load(Files.readString(DIR.resolve(name)));
  }
}
