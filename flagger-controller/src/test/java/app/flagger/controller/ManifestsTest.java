package app.flagger.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.helidon.config.Config;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Renders the kustomize directories under {@code k8s/} with {@code kubectl kustomize}, parses every
 * object into its fabric8 type and checks the controller's deployment contract: hardened pods,
 * least-privilege RBAC without wildcards, and environment variables that Helidon maps onto the
 * {@code flagger.*} configuration keys. The root {@code k8s/} is rendered only once {@code crds},
 * {@code loadtester} and {@code grafana} exist next to {@code controller}.
 */
class ManifestsTest {
  private static final List<String> ROOT_COMPONENTS =
      List.of("crds", "controller", "loadtester", "grafana");

  /** Environment variables of the controller Deployment and the config key each one sets. */
  private static final Map<String, String> ENV_TO_KEY =
      Map.of(
          "FLAGGER_MESH_PROVIDER", "flagger.mesh-provider",
          "FLAGGER_METRICS_SERVER", "flagger.metrics-server",
          "FLAGGER_INCLUDE_LABEL_PREFIX", "flagger.include-label-prefix",
          "FLAGGER_ENABLE_LEADER_ELECTION", "flagger.enable-leader-election",
          "FLAGGER_LEADER_ELECTION_NAMESPACE", "flagger.leader-election-namespace",
          "FLAGGER_SLACK_URL", "flagger.slack.url",
          "FLAGGER_MSTEAMS_URL", "flagger.msteams.url");

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static Path repo;
  private static String kubectl;

  @BeforeAll
  static void locateRepositoryAndKubectl() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !(Files.isDirectory(dir.resolve("k8s")) && isFile(dir, "pom.xml"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      fail("no directory containing k8s/ and pom.xml above " + Path.of("").toAbsolutePath());
    }
    repo = dir;
    kubectl =
        Stream.concat(
                Stream.of(System.getenv("KUBECTL"), "/usr/bin/kubectl"),
                Stream.of(Optional.ofNullable(System.getenv("PATH")).orElse("").split(":"))
                    .filter(d -> !d.isBlank())
                    .map(d -> Path.of(d, "kubectl").toString()))
            .filter(p -> p != null && Files.isExecutable(Path.of(p)))
            .findFirst()
            .orElseGet(() -> fail("kubectl not found: install it or set KUBECTL to its path"));
  }

  /** The controller renders to exactly the expected typed objects, all in flagger-system. */
  @Test
  void controllerRendersToTypedObjectsInFlaggerSystem() {
    List<HasMetadata> objects = render("k8s/controller");

    assertThat(objects)
        .extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
        .containsExactlyInAnyOrder(
            "Namespace/flagger-system",
            "ServiceAccount/flagger",
            "ClusterRole/flagger",
            "Role/flagger-leader-election",
            "ClusterRoleBinding/flagger",
            "RoleBinding/flagger-leader-election",
            "Deployment/flagger",
            "Service/flagger");
    assertThat(objects).noneMatch(GenericKubernetesResource.class::isInstance);
    assertThat(objects)
        .filteredOn(o -> !o.getKind().startsWith("Cluster") && !o.getKind().equals("Namespace"))
        .allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo("flagger-system"))
        .allSatisfy(o -> assertThat(o.getMetadata().getLabels()).containsEntry("app", "flagger"));
    objects.forEach(o -> assertThat(unknownFields(o)).as(describe(o)).isEmpty());
  }

  /** The demo set renders; built-in kinds parse without unknown fields; CRs stay generic here. */
  @Test
  void examplesRenderAndEveryFileIsAccountedFor() throws IOException {
    List<HasMetadata> objects = render("k8s/examples");

    assertThat(objects)
        .extracting(HasMetadata::getKind)
        .contains("Deployment", "HorizontalPodAutoscaler", "Canary", "MetricTemplate")
        .contains("AlertProvider", "Secret");
    assertThat(objects)
        .filteredOn(o -> !o.getKind().equals("Namespace"))
        .allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo("test"));
    objects.stream()
        .filter(o -> !o.getApiVersion().startsWith("flagger.app/"))
        .forEach(o -> assertThat(unknownFields(o)).as(describe(o)).isEmpty());

    try (Stream<Path> files = Files.list(repo.resolve("k8s/examples"))) {
      List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
      String kustomization =
          Files.readString(repo.resolve("k8s/examples/kustomization.yaml"), StandardCharsets.UTF_8);
      assertThat(names)
          .filteredOn(n -> !n.equals("kustomization.yaml") && !n.startsWith("canary-"))
          .allSatisfy(n -> assertThat(kustomization).as("listed in kustomization").contains(n));
    }
  }

  /** Each strategy file is a standalone alternative for the same Canary test/podinfo. */
  @Test
  void everyCanaryExampleIsAnAlternativeForTestPodinfo() throws IOException {
    List<Path> canaries;
    try (Stream<Path> files = Files.list(repo.resolve("k8s/examples"))) {
      canaries = files.filter(p -> p.getFileName().toString().startsWith("canary-")).toList();
    }
    assertThat(canaries).hasSizeGreaterThanOrEqualTo(4);
    for (Path file : canaries) {
      List<HasMetadata> objects = parse(Files.readString(file, StandardCharsets.UTF_8));
      assertThat(objects).as(file.toString()).hasSize(1);
      HasMetadata canary = objects.get(0);
      assertThat(canary.getApiVersion()).isEqualTo("flagger.app/v1beta1");
      assertThat(canary.getKind()).isEqualTo("Canary");
      assertThat(canary.getMetadata().getNamespace()).isEqualTo("test");
      assertThat(canary.getMetadata().getName()).isEqualTo("podinfo");
    }
  }

  /** After the merge the root kustomization renders all four components together. */
  @Test
  void rootRendersOnceAllComponentsExist() {
    assumeTrue(
        ROOT_COMPONENTS.stream()
            .allMatch(c -> isFile(repo.resolve("k8s").resolve(c), "kustomization.yaml")),
        "k8s/crds, k8s/loadtester and k8s/grafana are not all present yet");
    List<HasMetadata> objects = render("k8s");

    assertThat(objects)
        .extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
        .contains("Deployment/flagger", "ClusterRole/flagger")
        .contains("CustomResourceDefinition/canaries.flagger.app")
        .contains("CustomResourceDefinition/metrictemplates.flagger.app")
        .contains("CustomResourceDefinition/alertproviders.flagger.app");
  }

  /** Every Deployment we ship runs non-root, read-only, without privileges and with resources. */
  @Test
  void everyDeploymentPodIsHardened() {
    List<Deployment> deployments =
        renderedDirectories().stream()
            .flatMap(dir -> render(dir).stream())
            .filter(Deployment.class::isInstance)
            .map(Deployment.class::cast)
            .toList();
    assertThat(deployments)
        .extracting(d -> d.getMetadata().getName())
        .contains("flagger", "podinfo");

    for (Deployment deployment : deployments) {
      PodSpec pod = deployment.getSpec().getTemplate().getSpec();
      PodSecurityContext podContext =
          Optional.ofNullable(pod.getSecurityContext()).orElseGet(PodSecurityContext::new);
      List<Container> containers = new ArrayList<>(pod.getContainers());
      containers.addAll(Optional.ofNullable(pod.getInitContainers()).orElse(List.of()));
      for (Container c : containers) {
        String where = deployment.getMetadata().getName() + "/" + c.getName();
        SecurityContext sc =
            Optional.ofNullable(c.getSecurityContext()).orElseGet(SecurityContext::new);
        Boolean nonRoot =
            Optional.ofNullable(sc.getRunAsNonRoot()).orElse(podContext.getRunAsNonRoot());
        SeccompProfile seccomp =
            Optional.ofNullable(sc.getSeccompProfile()).orElse(podContext.getSeccompProfile());
        assertThat(nonRoot).as(where + " runAsNonRoot").isTrue();
        assertThat(sc.getReadOnlyRootFilesystem()).as(where + " readOnlyRootFilesystem").isTrue();
        assertThat(sc.getAllowPrivilegeEscalation())
            .as(where + " allowPrivilegeEscalation")
            .isFalse();
        assertThat(Optional.ofNullable(sc.getCapabilities()).map(Capabilities::getDrop))
            .as(where + " capabilities.drop")
            .hasValueSatisfying(drop -> assertThat(drop).contains("ALL"));
        assertThat(seccomp).as(where + " seccompProfile").isNotNull();
        assertThat(seccomp.getType())
            .as(where + " seccompProfile.type")
            .isEqualTo("RuntimeDefault");
        assertThat(c.getResources()).as(where + " resources").isNotNull();
        assertThat(c.getResources().getRequests())
            .as(where + " requests")
            .containsKeys("cpu", "memory");
        assertThat(c.getResources().getLimits())
            .as(where + " limits")
            .containsKeys("cpu", "memory");
      }
    }
  }

  /** Least privilege: no wildcards, no deletes, read-only flagger.app config, Leases namespaced. */
  @Test
  void rbacIsLeastPrivilege() {
    List<HasMetadata> objects = render("k8s/controller");
    ClusterRole clusterRole = only(objects, ClusterRole.class);
    Role role = only(objects, Role.class);
    List<PolicyRule> rules = new ArrayList<>(clusterRole.getRules());
    rules.addAll(role.getRules());

    assertThat(rules).allSatisfy(ManifestsTest::assertNoWildcards);
    assertThat(rules)
        .flatExtracting(PolicyRule::getVerbs)
        .doesNotContain("delete", "deletecollection");
    assertThat(verbsByResource(clusterRole.getRules()))
        .containsExactlyInAnyOrderEntriesOf(
            Map.ofEntries(
                Map.entry("/events", "create,patch"),
                Map.entry("/configmaps", "create,get,list,patch,update,watch"),
                Map.entry("/secrets", "create,get,list,patch,update,watch"),
                Map.entry("/services", "create,get,list,patch,update,watch"),
                Map.entry("apps/deployments", "create,get,list,patch,update,watch"),
                Map.entry("apps/daemonsets", "create,get,list,patch,update,watch"),
                Map.entry(
                    "autoscaling/horizontalpodautoscalers", "create,get,list,patch,update,watch"),
                Map.entry("flagger.app/canaries", "get,list,patch,update,watch"),
                Map.entry("flagger.app/canaries/status", "get,patch,update"),
                Map.entry("flagger.app/canaries/finalizers", "update"),
                Map.entry("flagger.app/metrictemplates", "get,list,watch"),
                Map.entry("flagger.app/alertproviders", "get,list,watch"),
                Map.entry("networking.istio.io/virtualservices", "create,get,patch,update"),
                Map.entry("networking.istio.io/destinationrules", "create,get,patch,update")));
    assertThat(role.getMetadata().getNamespace()).isEqualTo("flagger-system");
    assertThat(verbsByResource(role.getRules()))
        .containsExactlyEntriesOf(Map.of("coordination.k8s.io/leases", "create,get,patch,update"));

    ClusterRoleBinding clusterBinding = only(objects, ClusterRoleBinding.class);
    RoleBinding binding = only(objects, RoleBinding.class);
    assertThat(clusterBinding.getRoleRef().getName()).isEqualTo("flagger");
    assertThat(binding.getRoleRef().getName()).isEqualTo("flagger-leader-election");
    assertThat(List.of(clusterBinding.getSubjects(), binding.getSubjects()))
        .allSatisfy(
            subjects ->
                assertThat(subjects)
                    .singleElement()
                    .satisfies(s -> assertThat(s.getKind()).isEqualTo("ServiceAccount"))
                    .satisfies(s -> assertThat(s.getName()).isEqualTo("flagger"))
                    .satisfies(s -> assertThat(s.getNamespace()).isEqualTo("flagger-system")));
  }

  /** One leader-elected replica on port 8080, probed under /health, scraped through the Service. */
  @Test
  void controllerDeploymentAndServiceMatchTheObservabilityContract() {
    List<HasMetadata> objects = render("k8s/controller");
    Deployment deployment = only(objects, Deployment.class);
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    Container container = pod.getContainers().get(0);

    assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
    assertThat(pod.getServiceAccountName()).isEqualTo("flagger");
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
    assertThat(container.getPorts())
        .singleElement()
        .satisfies(p -> assertThat(p.getName()).isEqualTo("http"))
        .satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(8080));
    assertThat(List.of(container.getLivenessProbe(), container.getReadinessProbe()))
        .allSatisfy(probe -> assertThat(probe.getHttpGet().getPath()).startsWith("/health"));
    assertThat(container.getResources().getRequests()).containsOnlyKeys("cpu", "memory");
    assertThat(container.getResources().getRequests().get("cpu").toString()).isEqualTo("10m");
    assertThat(container.getResources().getRequests().get("memory").toString()).isEqualTo("64Mi");
    assertThat(container.getResources().getLimits().get("cpu").toString()).isEqualTo("1000m");
    assertThat(container.getResources().getLimits().get("memory").toString()).isEqualTo("512Mi");
    assertThat(container.getVolumeMounts())
        .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
    assertThat(pod.getVolumes()).anySatisfy(v -> assertThat(v.getEmptyDir()).isNotNull());
    assertThat(env(container)).containsEntry("FLAGGER_ENABLE_LEADER_ELECTION", "true");

    Service service = only(objects, Service.class);
    assertThat(service.getMetadata().getAnnotations())
        .containsEntry("prometheus.io/scrape", "true")
        .containsEntry("prometheus.io/port", "8080")
        .containsEntry("prometheus.io/path", "/metrics");
    assertThat(service.getSpec().getPorts())
        .singleElement()
        .satisfies(p -> assertThat(p.getPort()).isEqualTo(8080));
  }

  /**
   * The FLAGGER_* variables of the Deployment reach the kebab-case keys: a child JVM started with
   * those variables reads them back through Helidon's default config (env beats application.yaml).
   */
  @Test
  void deploymentEnvironmentOverridesFlaggerConfigKeys() throws Exception {
    Container container =
        only(render("k8s/controller"), Deployment.class)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    assertThat(container.getEnv())
        .extracting(EnvVar::getName)
        .hasSameElementsAs(ENV_TO_KEY.keySet());

    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path")));
    command.add(EnvProbe.class.getName());
    command.addAll(ENV_TO_KEY.values());
    ProcessBuilder builder = new ProcessBuilder(command);
    ENV_TO_KEY.keySet().forEach(name -> builder.environment().put(name, "value-of-" + name));
    String output = run(builder, "config probe");

    ENV_TO_KEY.forEach(
        (name, key) -> assertThat(output).contains(key + "=value-of-" + name + "\n"));
  }

  /** Child-JVM entry point: prints each requested key as resolved by Helidon's default config. */
  static final class EnvProbe {
    private EnvProbe() {}

    public static void main(String[] keys) {
      Config config = Config.create();
      for (String key : keys) {
        System.out.println(key + "=" + config.get(key).asString().orElse("<missing>"));
      }
    }
  }

  private static List<String> renderedDirectories() {
    List<String> dirs = new ArrayList<>(List.of("k8s/controller", "k8s/examples"));
    if (ROOT_COMPONENTS.stream()
        .allMatch(c -> isFile(repo.resolve("k8s").resolve(c), "kustomization.yaml"))) {
      dirs.add("k8s");
    }
    return dirs;
  }

  private static List<HasMetadata> render(String dir) {
    ProcessBuilder builder = new ProcessBuilder(kubectl, "kustomize", repo.resolve(dir).toString());
    return parse(run(builder, "kubectl kustomize " + dir));
  }

  private static String run(ProcessBuilder builder, String what) {
    try {
      Path stdout = Files.createTempFile("manifests-test", ".out");
      Path stderr = Files.createTempFile("manifests-test", ".err");
      Process process =
          builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
      if (!process.waitFor(2, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        fail(what + " did not finish within 2 minutes");
      }
      String out = Files.readString(stdout, StandardCharsets.UTF_8);
      String err = Files.readString(stderr, StandardCharsets.UTF_8);
      Files.deleteIfExists(stdout);
      Files.deleteIfExists(stderr);
      if (process.exitValue() != 0) {
        fail(what + " failed with exit code " + process.exitValue() + ":\n" + err);
      }
      return out;
    } catch (IOException e) {
      throw new AssertionError(what + " could not be started: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(what + " interrupted", e);
    }
  }

  private static List<HasMetadata> parse(String yaml) {
    List<HasMetadata> objects = new ArrayList<>();
    for (String doc : yaml.split("(?m)^---\\s*$")) {
      if (doc.lines().anyMatch(l -> l.startsWith("kind:"))) {
        Object parsed = SERIALIZATION.unmarshal(doc);
        assertThat(parsed).as("parsed document").isInstanceOf(HasMetadata.class);
        objects.add((HasMetadata) parsed);
      }
    }
    return objects;
  }

  private static <T extends HasMetadata> T only(List<HasMetadata> objects, Class<T> type) {
    List<T> matches = objects.stream().filter(type::isInstance).map(type::cast).toList();
    assertThat(matches).as("objects of type " + type.getSimpleName()).hasSize(1);
    return matches.get(0);
  }

  private static void assertNoWildcards(PolicyRule rule) {
    assertThat(rule.getVerbs()).as("verbs").isNotEmpty().doesNotContain("*");
    assertThat(rule.getResources()).as("resources").isNotEmpty().doesNotContain("*");
    assertThat(rule.getApiGroups()).as("apiGroups").doesNotContain("*");
    assertThat(rule.getNonResourceURLs()).as("nonResourceURLs").isNullOrEmpty();
  }

  private static Map<String, String> verbsByResource(List<PolicyRule> rules) {
    Map<String, String> result = new LinkedHashMap<>();
    for (PolicyRule rule : rules) {
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          String key = group + "/" + resource;
          assertThat(result).as("resource granted twice: " + key).doesNotContainKey(key);
          result.put(key, String.join(",", new TreeSet<>(rule.getVerbs())));
        }
      }
    }
    return result;
  }

  private static Map<String, String> env(Container container) {
    Map<String, String> env = new LinkedHashMap<>();
    container.getEnv().forEach(e -> env.put(e.getName(), e.getValue()));
    return env;
  }

  /** Paths of fields fabric8 did not recognise (typos land in additionalProperties). */
  private static List<String> unknownFields(Object root) {
    List<String> unknown = new ArrayList<>();
    collectUnknown(root, root.getClass().getSimpleName(), unknown);
    return unknown;
  }

  private static void collectUnknown(Object value, String path, List<String> unknown) {
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> collectUnknown(v, path + "[" + k + "]", unknown));
      return;
    }
    if (value instanceof Collection<?> list) {
      int i = 0;
      for (Object item : list) {
        collectUnknown(item, path + "[" + i++ + "]", unknown);
      }
      return;
    }
    if (value == null
        || !value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
      return;
    }
    for (Method getter : value.getClass().getMethods()) {
      if (getter.getParameterCount() != 0
          || Modifier.isStatic(getter.getModifiers())
          || !getter.getName().startsWith("get")
          || getter.getName().equals("getClass")) {
        continue;
      }
      Object child = invoke(getter, value);
      if (getter.getName().equals("getAdditionalProperties")) {
        if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
          unknown.add(path + ": " + extra.keySet());
        }
      } else {
        collectUnknown(child, path + "." + getter.getName().substring(3), unknown);
      }
    }
  }

  private static Object invoke(Method getter, Object target) {
    try {
      return getter.invoke(target);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("cannot read " + getter, e);
    }
  }

  private static String describe(HasMetadata o) {
    return o.getKind() + "/" + o.getMetadata().getName();
  }

  private static boolean isFile(Path dir, String name) {
    return Files.isRegularFile(dir.resolve(name));
  }
}
