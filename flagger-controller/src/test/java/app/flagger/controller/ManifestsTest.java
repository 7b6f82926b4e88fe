package app.flagger.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import app.flagger.controller.support.Charts;
import app.flagger.controller.support.PodSecurityRestricted;
import app.flagger.controller.webhook.WebhookAuth;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
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
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Renders the kustomize directories under {@code k8s/} with {@code kubectl kustomize}, parses every
 * object into its fabric8 type and checks the controller's deployment contract: hardened pods that
 * meet the restricted Pod Security Standard, namespaces labelled for it, least-privilege RBAC
 * without wildcards, NetworkPolicies that admit only the controller to the load tester, the load
 * tester's token Secret wired into both sides, and environment variables that Helidon maps onto the
 * {@code flagger.*} configuration keys. The root {@code k8s/} is rendered only once {@code crds},
 * {@code loadtester} and {@code grafana} exist next to {@code controller}.
 */
class ManifestsTest {
  private static final List<String> ROOT_COMPONENTS =
      List.of("crds", "controller", "loadtester", "grafana");

  /** Environment variables of the controller Deployment and the config key each one sets. */
  private static final Map<String, String> ENV_TO_KEY =
      Map.ofEntries(
          Map.entry("FLAGGER_MESH_PROVIDER", "flagger.mesh-provider"),
          Map.entry("FLAGGER_METRICS_SERVER", "flagger.metrics-server"),
          Map.entry("FLAGGER_INCLUDE_LABEL_PREFIX", "flagger.include-label-prefix"),
          Map.entry("FLAGGER_ENABLE_LEADER_ELECTION", "flagger.enable-leader-election"),
          Map.entry("FLAGGER_LEADER_ELECTION_NAMESPACE", "flagger.leader-election-namespace"),
          Map.entry("FLAGGER_SLACK_URL_FILE", "flagger.slack.url-file"),
          Map.entry("FLAGGER_SLACK_TOKEN_FILE", "flagger.slack.token-file"),
          Map.entry("FLAGGER_SLACK_PROXY_URL_FILE", "flagger.slack.proxy-url-file"),
          Map.entry("FLAGGER_MSTEAMS_URL_FILE", "flagger.msteams.url-file"),
          Map.entry("FLAGGER_MSTEAMS_PROXY_URL_FILE", "flagger.msteams.proxy-url-file"),
          Map.entry("FLAGGER_WEBHOOK_AUTH_TOKEN_FILE", "flagger.webhook-auth.token-file"),
          Map.entry("FLAGGER_WEBHOOK_AUTH_URLS", "flagger.webhook-auth.urls"));

  /** The optional Secret holding the global notifiers' URLs and token, one file per key. */
  private static final String NOTIFIERS_SECRET = "flagger-notifiers";

  /** The token Secrets hack/deploy.sh creates: load tester side and controller side. */
  private static final String LOADTESTER_SECRET = "flagger-loadtester-auth";

  private static final String CONTROLLER_SECRET = "flagger-webhook-auth";
  private static final String PSS = "pod-security.kubernetes.io/";

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
    kubectl = Charts.kubectl();
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
            "Service/flagger",
            "NetworkPolicy/flagger");
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

  /**
   * Each strategy file is a standalone alternative for the same Canary test/podinfo, with at most
   * the Ingress its ingressRef names next to it (NGINX).
   */
  @Test
  void everyCanaryExampleIsAnAlternativeForTestPodinfo() throws IOException {
    List<Path> canaries;
    try (Stream<Path> files = Files.list(repo.resolve("k8s/examples"))) {
      canaries = files.filter(p -> p.getFileName().toString().startsWith("canary-")).toList();
    }
    assertThat(canaries).hasSizeGreaterThanOrEqualTo(4);
    for (Path file : canaries) {
      List<HasMetadata> all = parse(Files.readString(file, StandardCharsets.UTF_8));
      List<HasMetadata> objects = all.stream().filter(o -> o.getKind().equals("Canary")).toList();
      assertThat(all)
          .as(file + ": besides the Canary only its Ingress or its KEDA ScaledObject")
          .filteredOn(o -> !o.getKind().equals("Canary"))
          .allSatisfy(o -> assertThat(o instanceof Ingress || isScaledObject(o)).isTrue())
          .allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo("test"))
          .filteredOn(Ingress.class::isInstance)
          .allSatisfy(o -> assertThat(unknownFields(o)).as(describe(o)).isEmpty());
      assertThat(objects).as(file.toString()).hasSize(1);
      HasMetadata canary = objects.get(0);
      assertThat(canary.getApiVersion()).isEqualTo("flagger.app/v1beta1");
      assertThat(canary.getKind()).isEqualTo("Canary");
      assertThat(canary.getMetadata().getNamespace()).isEqualTo("test");
      assertThat(canary.getMetadata().getName()).isEqualTo("podinfo");
    }
  }

  private static boolean isScaledObject(HasMetadata o) {
    return o.getApiVersion().equals("keda.sh/v1alpha1") && o.getKind().equals("ScaledObject");
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

  /**
   * Least privilege: no wildcards, no deletes but Skipper's, Keptn's and the same-age baseline's
   * (its Deployment and Service), read-only flagger.app config, Leases namespaced.
   */
  @Test
  void rbacIsLeastPrivilege() {
    List<HasMetadata> objects = render("k8s/controller");
    ClusterRole clusterRole = only(objects, ClusterRole.class);
    Role role = only(objects, Role.class);
    List<PolicyRule> rules = new ArrayList<>(clusterRole.getRules());
    rules.addAll(role.getRules());

    assertThat(rules).allSatisfy(ManifestsTest::assertNoWildcards);
    assertThat(rules)
        .filteredOn(r -> !r.getResources().equals(List.of("ingresses")))
        .filteredOn(r -> !r.getResources().equals(List.of("analyses")))
        .filteredOn(r -> !r.getResources().equals(List.of("deployments")))
        .filteredOn(r -> !r.getResources().equals(List.of("services")))
        .flatExtracting(PolicyRule::getVerbs)
        .as(
            "only Skipper's canary Ingress, Keptn's per-check Analyses and the baseline's"
                + " Deployment and Service are deleted")
        .doesNotContain("delete", "deletecollection");
    // Which verbs on which resources is measured, not listed here: RbacLeastPrivilegeCheck fails
    // the build when the roles grant a call the test suite never saw or miss one it saw.
    assertThat(verbsByResource(clusterRole.getRules()))
        .as("every resource the controller touches has its rule")
        .containsKeys(
            "/events",
            "/configmaps",
            "/secrets",
            "/services",
            "apps/deployments",
            "apps/daemonsets",
            "flagger.app/canaries",
            "flagger.app/canaries/status",
            "networking.istio.io/virtualservices",
            "gateway.networking.k8s.io/httproutes");
    assertThat(role.getMetadata().getNamespace()).isEqualTo("flagger-system");
    assertThat(verbsByResource(role.getRules())).containsOnlyKeys("coordination.k8s.io/leases");

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

  /** Each provider overlay renders everything k8s/ has, with the provider and Prometheus set. */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource({
    "gatewayapi, gatewayapi:v1, http://prometheus.monitoring:9090",
    "linkerd, linkerd, http://prometheus.linkerd-viz:9090",
    "kuma, kuma, http://prometheus-server.mesh-observability:80",
    "contour, contour, http://prometheus.monitoring:9090",
    "appmesh, appmesh, http://appmesh-prometheus.appmesh-system:9090",
    "nginx, nginx, http://prometheus-server.ingress-nginx:9090",
    "skipper, skipper, http://prometheus.monitoring:9090",
    "traefik, traefik, http://prometheus.monitoring:9090",
    "gloo, gloo, http://prometheus.monitoring:9090",
    "apisix, apisix, http://prometheus.monitoring:9090",
    "knative, knative, http://prometheus.monitoring:9090",
    "kubernetes, kubernetes, http://prometheus.monitoring:9090",
    "istio, istio, http://prometheus.istio-system:9090",
    "osm, osm, http://osm-prometheus.osm-system.svc:7070"
  })
  void providerOverlaysSetTheMeshProviderAndPrometheus(
      String overlayDir, String provider, String prometheus) {
    List<HasMetadata> base = render("k8s");
    List<HasMetadata> overlay = render("k8s/overlays/" + overlayDir);

    assertThat(overlay).extracting(HasMetadata::getKind).hasSameSizeAs(base);
    Map<String, String> env =
        env(
            deployment(overlay, "flagger")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0));
    assertThat(env)
        .containsEntry("FLAGGER_MESH_PROVIDER", provider)
        .containsEntry("FLAGGER_METRICS_SERVER", prometheus);
  }

  /** The contour overlay sets Flagger's -ingress-class as its kustomization does. */
  @Test
  void contourOverlaySetsTheIngressClass() {
    Container flagger =
        deployment(render("k8s/overlays/contour"), "flagger")
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);

    assertThat(env(flagger)).containsEntry("FLAGGER_INGRESS_CLASS", "contour");
  }

  /** The NGINX overlay also names the canary annotations' prefix (Flagger's default). */
  @Test
  void nginxOverlaySetsTheIngressAnnotationsPrefix() {
    Container flagger =
        deployment(render("k8s/overlays/nginx"), "flagger")
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);

    assertThat(env(flagger))
        .containsEntry("FLAGGER_INGRESS_ANNOTATIONS_PREFIX", "nginx.ingress.kubernetes.io");
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

  /** The load tester renders to its objects in test, its NetworkPolicy included. */
  @Test
  void loadTesterRendersToTypedObjectsInTest() {
    List<HasMetadata> objects = render("k8s/loadtester");

    assertThat(objects)
        .extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
        .containsExactlyInAnyOrder(
            "Namespace/test",
            "ServiceAccount/flagger-loadtester",
            "Role/flagger-loadtester-gates",
            "RoleBinding/flagger-loadtester-gates",
            "Deployment/flagger-loadtester",
            "Service/flagger-loadtester",
            "NetworkPolicy/flagger-loadtester");
    assertThat(objects).noneMatch(GenericKubernetesResource.class::isInstance);
    objects.forEach(o -> assertThat(unknownFields(o)).as(describe(o)).isEmpty());
    Role role = only(objects, Role.class);
    assertThat(role.getRules()).allSatisfy(ManifestsTest::assertNoWildcards);
    // gate checks read a watched copy of the one gate ConfigMap
    assertThat(role.getRules())
        .anySatisfy(
            r -> {
              assertThat(r.getResourceNames()).containsExactly("flagger-loadtester-gates");
              assertThat(r.getVerbs()).containsExactlyInAnyOrder("get", "list", "watch", "update");
            });
  }

  /**
   * Every Deployment we ship would be admitted under the restricted Pod Security Standard, every
   * namespace audits and warns against it, and flagger-system enforces it. The namespace test does
   * not enforce it, for Istio's istio-init container (see 000-Namespace-test.yaml), and is the same
   * object in k8s/loadtester and k8s/examples.
   */
  @Test
  void podsMeetAndNamespacesCarryTheRestrictedPodSecurityStandard() {
    List<HasMetadata> objects =
        renderedDirectories().stream().flatMap(dir -> render(dir).stream()).toList();
    List<Deployment> deployments =
        objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast).toList();
    assertThat(deployments)
        .extracting(d -> d.getMetadata().getName())
        .contains("flagger", "flagger-loadtester", "flagger-grafana", "podinfo");
    for (Deployment d : deployments) {
      assertThat(
              PodSecurityRestricted.violations(
                  d.getSpec().getTemplate().getSpec(),
                  d.getSpec().getTemplate().getMetadata().getAnnotations()))
          .as(describe(d))
          .isEmpty();
    }

    List<Namespace> namespaces =
        objects.stream().filter(Namespace.class::isInstance).map(Namespace.class::cast).toList();
    assertThat(namespaces)
        .extracting(n -> n.getMetadata().getName())
        .contains("flagger-system", "test");
    for (Namespace ns : namespaces) {
      Map<String, String> labels = ns.getMetadata().getLabels();
      assertThat(labels)
          .as(describe(ns))
          .containsEntry(PSS + "audit", "restricted")
          .containsEntry(PSS + "warn", "restricted");
      if ("enabled".equals(labels.get("istio-injection"))) {
        assertThat(labels).as(describe(ns)).doesNotContainKey(PSS + "enforce");
      } else {
        assertThat(labels).as(describe(ns)).containsEntry(PSS + "enforce", "restricted");
      }
    }
    assertThat(
            namespaces.stream()
                .filter(n -> n.getMetadata().getName().equals("flagger-system"))
                .map(n -> n.getMetadata().getLabels().get(PSS + "enforce")))
        .containsOnly("restricted");
    Namespace inLoadTester = only(parseFile("k8s/loadtester/000-Namespace-test.yaml"));
    Namespace inExamples = only(parseFile("k8s/examples/namespace-test.yaml"));
    assertThat(inExamples.getMetadata().getLabels())
        .isEqualTo(inLoadTester.getMetadata().getLabels());
  }

  /**
   * The load tester accepts connections from the controller's pods only, plus namespaces that opt
   * in with a label; Grafana from opted-in namespaces only. No rule lets everyone in.
   */
  @Test
  void networkPoliciesAdmitOnlyTheControllerAndOptedInNamespaces() {
    List<HasMetadata> objects = render("k8s");
    Deployment controller = deployment(objects, "flagger");
    Deployment loadTester = deployment(objects, "flagger-loadtester");
    Deployment grafana = deployment(objects, "flagger-grafana");
    NetworkPolicy lt = networkPolicy(objects, "flagger-loadtester");
    NetworkPolicy gf = networkPolicy(objects, "flagger-grafana");

    assertThat(lt.getMetadata().getNamespace()).isEqualTo(loadTester.getMetadata().getNamespace());
    assertThat(gf.getMetadata().getNamespace()).isEqualTo(grafana.getMetadata().getNamespace());
    assertThat(selects(lt, loadTester)).as("selects the load tester's pods").isTrue();
    assertThat(selects(gf, grafana)).as("selects Grafana's pods").isTrue();
    assertThat(selects(lt, controller)).isFalse();
    assertThat(selects(gf, loadTester)).isFalse();
    for (NetworkPolicy p : List.of(lt, gf)) {
      assertThat(p.getSpec().getPolicyTypes()).as(describe(p)).containsExactly("Ingress");
      assertThat(p.getSpec().getIngress())
          .as(describe(p) + ": every rule names its peers")
          .allSatisfy(r -> assertThat(r.getFrom()).isNotEmpty())
          .allSatisfy(
              r ->
                  assertThat(r.getFrom())
                      .allSatisfy(
                          peer ->
                              assertThat(peer.getNamespaceSelector())
                                  .as("namespaceSelector")
                                  .isNotNull()
                                  .satisfies(
                                      sel -> assertThat(sel.getMatchLabels()).isNotEmpty())));
    }

    // the controller reaches the load tester's HTTP port
    String controllerNamespace = controller.getMetadata().getNamespace();
    Map<String, String> controllerPods =
        controller.getSpec().getTemplate().getMetadata().getLabels();
    assertThat(lt.getSpec().getIngress())
        .anySatisfy(
            r -> {
              assertThat(r.getFrom())
                  .singleElement()
                  .satisfies(
                      peer -> {
                        assertThat(peer.getNamespaceSelector().getMatchLabels())
                            .containsExactly(
                                Map.entry("kubernetes.io/metadata.name", controllerNamespace));
                        assertThat(controllerPods)
                            .containsAllEntriesOf(peer.getPodSelector().getMatchLabels());
                      });
              assertThat(r.getPorts())
                  .singleElement()
                  .satisfies(
                      port ->
                          assertThat(
                                  containerPort(loadTester, port.getPort().getStrVal())
                                      .getContainerPort())
                              .isEqualTo(8080));
            });
    // everything else needs a namespace label no namespace carries by default
    List<String> optIn =
        Stream.of(lt, gf)
            .flatMap(p -> p.getSpec().getIngress().stream())
            .flatMap(r -> r.getFrom().stream())
            .flatMap(peer -> peer.getNamespaceSelector().getMatchLabels().keySet().stream())
            .filter(k -> !k.equals("kubernetes.io/metadata.name"))
            .distinct()
            .toList();
    assertThat(optIn)
        .containsExactlyInAnyOrder("flagger.app/scrape", "flagger.app/grafana-ingress");
    // users' ingress reaches Grafana's port only, not the provisioner's
    assertThat(gf.getSpec().getIngress())
        .filteredOn(
            r ->
                r.getFrom().stream()
                    .anyMatch(
                        peer ->
                            peer.getNamespaceSelector()
                                .getMatchLabels()
                                .containsKey("flagger.app/grafana-ingress")))
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.getPorts())
                    .extracting(port -> containerPort(grafana, port.getPort().getStrVal()))
                    .extracting(ContainerPort::getContainerPort)
                    .containsExactly(3000));
  }

  /**
   * A default install works end to end: the load tester reads its token from the Secret
   * hack/deploy.sh creates in its namespace, the controller mounts the twin Secret and sends the
   * token to every webhook URL of the examples, and to no other host.
   */
  @Test
  void theTokenSecretIsWiredIntoTheLoadTesterAndTheController() throws IOException {
    List<HasMetadata> objects = render("k8s");
    Deployment loadTester = deployment(objects, "flagger-loadtester");
    Deployment controller = deployment(objects, "flagger");
    Container lt = loadTester.getSpec().getTemplate().getSpec().getContainers().get(0);
    Container ctl = controller.getSpec().getTemplate().getSpec().getContainers().get(0);

    assertThat(env(lt)).containsKey("LOADTESTER_AUTH_TOKEN_FILE");
    assertThat(env(lt)).doesNotContainKeys("LOADTESTER_AUTH_DISABLED", "LOADTESTER_AUTH_TOKEN");
    assertThat(mountedSecret(loadTester, lt, env(lt).get("LOADTESTER_AUTH_TOKEN_FILE")))
        .isEqualTo(LOADTESTER_SECRET);
    assertThat(mountedSecret(controller, ctl, env(ctl).get("FLAGGER_WEBHOOK_AUTH_TOKEN_FILE")))
        .isEqualTo(CONTROLLER_SECRET);

    // the Secrets hack/deploy.sh creates, in the namespaces the Deployments run in
    String script = Files.readString(repo.resolve("hack/deploy.sh"), StandardCharsets.UTF_8);
    assertThat(script)
        .contains("LOADTESTER_NS=" + loadTester.getMetadata().getNamespace() + "\n")
        .contains("LOADTESTER_SECRET=" + LOADTESTER_SECRET + "\n")
        .contains("CONTROLLER_NS=" + controller.getMetadata().getNamespace() + "\n")
        .contains("CONTROLLER_SECRET=" + CONTROLLER_SECRET + "\n");
    assertThat(Files.readString(repo.resolve("Makefile"), StandardCharsets.UTF_8))
        .containsPattern("(?m)^deploy:.*\\n\\thack/deploy\\.sh$");

    // the controller's settings, read as the controller reads them
    Map<String, String> settings = new LinkedHashMap<>();
    ENV_TO_KEY.forEach(
        (name, key) -> {
          String value = env(ctl).get(name);
          if (value != null) {
            settings.put(key, value);
          }
        });
    WebhookAuth auth = WebhookAuth.from(Config.just(ConfigSources.create(settings)).get("flagger"));
    String service = "flagger-loadtester." + loadTester.getMetadata().getNamespace();
    List<String> urls = exampleWebhookUrls();
    assertThat(urls).filteredOn(u -> u.contains(service)).hasSizeGreaterThanOrEqualTo(3);
    assertThat(urls)
        .filteredOn(u -> u.contains("://" + service + "/"))
        .allSatisfy(u -> assertThat(auth.applies(u)).as(u).isTrue());
    assertThat(auth.applies("http://" + service + ".svc.cluster.local/gate/check")).isTrue();
    assertThat(auth.applies("http://podinfo-canary." + loadTester.getMetadata().getNamespace()))
        .isFalse();
    assertThat(auth.applies("http://flagger-loadtester.other/")).isFalse();
  }

  /**
   * No password ships: k8s/ holds no Grafana Secret; the Grafana Deployment uses the admin and API
   * Secrets hack/deploy.sh creates in its namespace, and the provisioner's API token file is where
   * the API Secret is mounted.
   */
  @Test
  void grafanaShipsNoSecretAndUsesTheOnesDeployCreates() throws IOException {
    List<HasMetadata> objects = render("k8s");
    Deployment grafana = deployment(objects, "flagger-grafana");
    Container provisioner =
        grafana.getSpec().getTemplate().getSpec().getContainers().stream()
            .filter(c -> c.getName().equals("provisioner"))
            .findFirst()
            .orElseThrow();
    String config =
        objects.stream()
            .filter(ConfigMap.class::isInstance)
            .map(ConfigMap.class::cast)
            .filter(c -> c.getMetadata().getName().equals("flagger-grafana"))
            .findFirst()
            .orElseThrow()
            .getData()
            .get("config.yaml");
    Matcher tokenFile = Pattern.compile("(?m)^ +token-file: (\\S+)$").matcher(config);

    assertThat(objects).noneMatch(Secret.class::isInstance);
    assertThat(tokenFile.find()).as("grafana.api.token-file in " + config).isTrue();
    assertThat(mountedSecret(grafana, provisioner, tokenFile.group(1)))
        .isEqualTo("flagger-grafana-api");
    assertThat(grafana.getSpec().getTemplate().getSpec().getVolumes())
        .filteredOn(v -> v.getSecret() != null)
        .extracting(v -> v.getSecret().getSecretName())
        .containsExactlyInAnyOrder("flagger-grafana-admin", "flagger-grafana-api");
    assertThat(Files.readString(repo.resolve("hack/deploy.sh"), StandardCharsets.UTF_8))
        .contains("GRAFANA_NS=" + grafana.getMetadata().getNamespace() + "\n")
        .contains("GRAFANA_ADMIN_SECRET=flagger-grafana-admin\n")
        .contains("GRAFANA_API_SECRET=flagger-grafana-api\n");
  }

  /**
   * Notifier URLs and tokens are credentials: the controller reads them from the files of the
   * mounted, optional Secret flagger-notifiers (each *-file key names one of its keys), and no
   * Deployment we ship (controller, load tester, Grafana and its provisioner) takes any value from
   * a Secret through the environment.
   */
  @Test
  void notifierSecretsAreMountedFilesNotEnvironmentVariables() {
    List<HasMetadata> objects = render("k8s");
    Deployment controller = deployment(objects, "flagger");
    Container ctl = controller.getSpec().getTemplate().getSpec().getContainers().get(0);

    for (Deployment d :
        List.of(
            controller,
            deployment(objects, "flagger-loadtester"),
            deployment(objects, "flagger-grafana"))) {
      assertThat(d.getSpec().getTemplate().getSpec().getContainers())
          .flatExtracting(Container::getEnv)
          .as(describe(d) + ": environment variables from Secrets")
          .filteredOn(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
          .isEmpty();
    }
    Map<String, String> files = new LinkedHashMap<>();
    ENV_TO_KEY.forEach(
        (name, key) -> {
          if (key.startsWith("flagger.slack.") || key.startsWith("flagger.msteams.")) {
            files.put(key, env(ctl).get(name));
          }
        });
    assertThat(files)
        .containsOnlyKeys(
            "flagger.slack.url-file",
            "flagger.slack.token-file",
            "flagger.slack.proxy-url-file",
            "flagger.msteams.url-file",
            "flagger.msteams.proxy-url-file");
    files.forEach(
        (key, file) -> {
          assertThat(file).as(key).isNotBlank();
          String dir = file.substring(0, file.lastIndexOf('/'));
          Volume volume = secretVolumeAt(controller, ctl, dir);
          assertThat(volume.getSecret().getSecretName()).as(key).isEqualTo(NOTIFIERS_SECRET);
          assertThat(volume.getSecret().getOptional()).as(key + ": Secret optional").isTrue();
          assertThat(file.substring(dir.length() + 1))
              .as(key + ": the Secret's key")
              .isEqualTo(
                  key.substring("flagger.".length(), key.length() - "-file".length())
                      .replace('.', '-'));
        });
    // the manifests and docs/install.md name the same keys
    assertThat(readRepoFile("docs/install.md"))
        .contains("flagger.slack.url-file", "flagger.msteams.url-file", NOTIFIERS_SECRET);
  }

  /**
   * The controller accepts connections on its http port only (metrics and health), from namespaces
   * that opt in with the scrape label the load tester's and Grafana's policies use; egress stays
   * open (API server, metrics providers, webhooks and notifiers differ per cluster).
   */
  @Test
  void controllerNetworkPolicyAdmitsOnlyScrapersOnTheHttpPort() {
    List<HasMetadata> objects = render("k8s");
    Deployment controller = deployment(objects, "flagger");
    NetworkPolicy policy = networkPolicy(objects, "flagger");

    assertThat(selects(policy, controller)).as("selects the controller's pods").isTrue();
    assertThat(selects(policy, deployment(objects, "flagger-grafana"))).isFalse();
    assertThat(selects(policy, deployment(objects, "flagger-loadtester"))).isFalse();
    assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
    assertThat(policy.getSpec().getEgress()).isNullOrEmpty();
    assertThat(policy.getSpec().getIngress())
        .singleElement()
        .satisfies(
            rule -> {
              assertThat(rule.getFrom())
                  .singleElement()
                  .satisfies(
                      peer -> {
                        assertThat(peer.getPodSelector()).isNull();
                        assertThat(peer.getIpBlock()).isNull();
                        assertThat(peer.getNamespaceSelector().getMatchExpressions())
                            .isNullOrEmpty();
                        assertThat(peer.getNamespaceSelector().getMatchLabels())
                            .containsExactly(Map.entry("flagger.app/scrape", "true"));
                      });
              assertThat(rule.getPorts())
                  .singleElement()
                  .satisfies(
                      port ->
                          assertThat(
                                  containerPort(controller, port.getPort().getStrVal())
                                      .getContainerPort())
                              .isEqualTo(8080));
            });
    // the Service's port leads to the same container port
    Service service =
        objects.stream()
            .filter(Service.class::isInstance)
            .map(Service.class::cast)
            .filter(x -> x.getMetadata().getName().equals("flagger"))
            .findFirst()
            .orElseThrow();
    assertThat(service.getSpec().getPorts())
        .extracting(
            p -> containerPort(controller, p.getTargetPort().getStrVal()).getContainerPort())
        .containsOnly(8080);
  }

  /**
   * Every Deployment with more than one replica has a PodDisruptionBudget selecting its pods, so a
   * node drain never takes all of them at once (all ship with one replica today; the controller
   * would be the exception: its standbys are never ready, see charts/flagger/values.yaml).
   */
  @Test
  void everyDeploymentWithMoreThanOneReplicaHasADisruptionBudget() throws IOException {
    List<String> dirs = new ArrayList<>(renderedDirectories());
    try (Stream<Path> overlays = Files.list(repo.resolve("k8s/overlays"))) {
      overlays.sorted().forEach(p -> dirs.add("k8s/overlays/" + p.getFileName()));
    }
    for (String dir : dirs) {
      assertThat(deploymentsWithoutDisruptionBudget(render(dir))).as(dir).isEmpty();
    }

    // the rule itself: two replicas need a budget in their namespace whose selector matches
    Deployment two = deployment(render("k8s/loadtester"), "flagger-loadtester");
    two.getSpec().setReplicas(2);
    assertThat(deploymentsWithoutDisruptionBudget(List.of(two)))
        .containsExactly("Deployment/flagger-loadtester");
    PodDisruptionBudget budget =
        new PodDisruptionBudgetBuilder()
            .withNewMetadata()
            .withName("flagger-loadtester")
            .withNamespace(two.getMetadata().getNamespace())
            .endMetadata()
            .withNewSpec()
            .withMinAvailable(new IntOrString(1))
            .withNewSelector()
            .withMatchLabels(Map.of("app", "flagger-loadtester"))
            .endSelector()
            .endSpec()
            .build();
    assertThat(deploymentsWithoutDisruptionBudget(List.of(two, budget))).isEmpty();
    budget.getMetadata().setNamespace("other");
    assertThat(deploymentsWithoutDisruptionBudget(List.of(two, budget))).hasSize(1);
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
    return Charts.run(builder, what);
  }

  private static List<HasMetadata> parse(String yaml) {
    return Charts.parse(yaml);
  }

  private static List<HasMetadata> parseFile(String file) {
    return parse(readRepoFile(file));
  }

  private static Namespace only(List<HasMetadata> objects) {
    return only(objects, Namespace.class);
  }

  private static Deployment deployment(List<HasMetadata> objects, String name) {
    return objects.stream()
        .filter(Deployment.class::isInstance)
        .map(Deployment.class::cast)
        .filter(d -> d.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no Deployment " + name));
  }

  private static NetworkPolicy networkPolicy(List<HasMetadata> objects, String name) {
    return objects.stream()
        .filter(NetworkPolicy.class::isInstance)
        .map(NetworkPolicy.class::cast)
        .filter(p -> p.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no NetworkPolicy " + name));
  }

  /** Whether {@code policy} applies to {@code deployment}'s pods (same namespace, labels match). */
  private static boolean selects(NetworkPolicy policy, Deployment deployment) {
    Map<String, String> pods = deployment.getSpec().getTemplate().getMetadata().getLabels();
    Map<String, String> wanted = policy.getSpec().getPodSelector().getMatchLabels();
    assertThat(policy.getSpec().getPodSelector().getMatchExpressions()).isNullOrEmpty();
    return policy.getMetadata().getNamespace().equals(deployment.getMetadata().getNamespace())
        && wanted != null
        && !wanted.isEmpty()
        && pods.entrySet().containsAll(wanted.entrySet());
  }

  private static ContainerPort containerPort(Deployment deployment, String name) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().stream()
        .flatMap(c -> Optional.ofNullable(c.getPorts()).orElse(List.of()).stream())
        .filter(p -> name.equals(p.getName()))
        .findFirst()
        .orElseThrow(() -> new AssertionError(describe(deployment) + " has no port " + name));
  }

  /** The Secret mounted (key {@code token}) at the directory of {@code file} in {@code c}. */
  private static String mountedSecret(Deployment deployment, Container c, String file) {
    assertThat(file).as(describe(deployment) + " token file").isNotBlank().endsWith("/token");
    String dir = file.substring(0, file.lastIndexOf('/'));
    return secretVolumeAt(deployment, c, dir).getSecret().getSecretName();
  }

  /** The Secret volume mounted read-only, whole (no items), at {@code dir} in {@code c}. */
  private static Volume secretVolumeAt(Deployment deployment, Container c, String dir) {
    VolumeMount mount =
        c.getVolumeMounts().stream()
            .filter(m -> m.getMountPath().equals(dir))
            .findFirst()
            .orElseThrow(() -> new AssertionError(describe(deployment) + ": nothing at " + dir));
    assertThat(mount.getReadOnly()).isTrue();
    Volume volume =
        deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
            .filter(v -> v.getName().equals(mount.getName()))
            .findFirst()
            .orElseThrow();
    assertThat(volume.getSecret())
        .as(describe(deployment) + " volume " + volume.getName())
        .isNotNull();
    assertThat(volume.getSecret().getItems()).isNullOrEmpty();
    return volume;
  }

  /**
   * The Deployments with more than one replica and no PodDisruptionBudget of their namespace whose
   * selector matches their pods.
   */
  private static List<String> deploymentsWithoutDisruptionBudget(List<HasMetadata> objects) {
    List<PodDisruptionBudget> budgets =
        objects.stream()
            .filter(PodDisruptionBudget.class::isInstance)
            .map(PodDisruptionBudget.class::cast)
            .toList();
    return objects.stream()
        .filter(Deployment.class::isInstance)
        .map(Deployment.class::cast)
        .filter(d -> Optional.ofNullable(d.getSpec().getReplicas()).orElse(1) > 1)
        .filter(
            d ->
                budgets.stream()
                    .noneMatch(
                        b -> {
                          Map<String, String> wanted = b.getSpec().getSelector().getMatchLabels();
                          return Objects.equals(
                                  b.getMetadata().getNamespace(), d.getMetadata().getNamespace())
                              && Optional.ofNullable(
                                      b.getSpec().getSelector().getMatchExpressions())
                                  .orElse(List.of())
                                  .isEmpty()
                              && wanted != null
                              && !wanted.isEmpty()
                              && d.getSpec()
                                  .getTemplate()
                                  .getMetadata()
                                  .getLabels()
                                  .entrySet()
                                  .containsAll(wanted.entrySet());
                        }))
        .map(ManifestsTest::describe)
        .toList();
  }

  private static String readRepoFile(String file) {
    try {
      return Files.readString(repo.resolve(file), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError("cannot read " + file, e);
    }
  }

  /** Every webhook URL of the Canaries in k8s/examples. */
  private static List<String> exampleWebhookUrls() throws IOException {
    List<String> urls = new ArrayList<>();
    try (Stream<Path> files = Files.list(repo.resolve("k8s/examples"))) {
      for (Path file :
          files.filter(p -> p.getFileName().toString().startsWith("canary-")).toList()) {
        for (HasMetadata o : parse(Files.readString(file, StandardCharsets.UTF_8))) {
          if (!o.getKind().equals("Canary")) {
            continue;
          }
          Object spec = ((GenericKubernetesResource) o).getAdditionalProperties().get("spec");
          Object analysis = ((Map<?, ?>) spec).get("analysis");
          Object webhooks = ((Map<?, ?>) analysis).get("webhooks");
          for (Object w : (List<?>) webhooks) {
            urls.add(String.valueOf(((Map<?, ?>) w).get("url")));
          }
        }
      }
    }
    return urls;
  }

  private static <T extends HasMetadata> T only(List<HasMetadata> objects, Class<T> type) {
    List<T> matches = objects.stream().filter(type::isInstance).map(type::cast).toList();
    assertThat(matches).as("objects of type " + type.getSimpleName()).hasSize(1);
    return matches.get(0);
  }

  private static void assertNoWildcards(PolicyRule rule) {
    assertThat(rule.getVerbs()).as("verbs").isNotEmpty().doesNotContain("*");
    // external metrics are resources named by the user's MetricTemplates (read only)
    if (!rule.getApiGroups().equals(List.of("external.metrics.k8s.io"))) {
      assertThat(rule.getResources()).as("resources").isNotEmpty().doesNotContain("*");
    }
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
