package app.flagger.sandbox;

import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.metric.MetricTemplate;
import app.flagger.sandbox.prometheus.SandboxPrometheus;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The steps of the sandbox's scenarios, shared by {@code make demo} and the end-to-end tests:
 * install the podinfo example and a Canary from {@code k8s/examples} into a namespace (the examples
 * are written for namespace {@code test}; any other gets the same objects with the names
 * rewritten), shorten the analysis, release a new image, wait for a phase.
 */
public final class Story {
  /** The podinfo objects every scenario applies before its Canary, in order. */
  public static final List<String> WORKLOAD =
      List.of(
          "podinfo-deployment.yaml",
          "podinfo-hpa.yaml",
          "metrictemplate-not-found-percentage.yaml");

  /**
   * Requests a second the users send to each scenario's apex, {@code podinfo.<ns>:9898} (the
   * Gateway's host {@code app.example.com} on the Gateway API).
   */
  public static final int USERS_PER_SECOND = 5;

  private final SandboxStack stack;
  private final Path examples;
  private final Clock clock;

  public Story(SandboxStack stack, Path root, Clock clock) {
    this.stack = stack;
    this.examples = root.resolve("k8s/examples");
    this.clock = clock;
  }

  /**
   * Applies the namespace, the podinfo workload and {@code canaryExample} in {@code namespace},
   * then merges {@code analysis} into the Canary's {@code spec.analysis} (short intervals for the
   * sandbox) and points the MetricTemplate at the sandbox's Prometheus.
   *
   * @return the objects applied, in order
   */
  public List<HasMetadata> install(
      String namespace, String canaryExample, Map<String, Object> analysis) throws IOException {
    return install(
        namespace,
        canaryExample,
        analysis,
        "http://podinfo." + namespace + ":9898/",
        UnaryOperator.identity());
  }

  /**
   * Installs {@code provider}'s Canary example in {@code namespace}, as {@link #install(String,
   * String, Map)} does, with the users calling where that provider routes them.
   *
   * @return the objects applied, in order
   */
  public List<HasMetadata> install(
      String namespace, SandboxProvider provider, Map<String, Object> analysis) throws IOException {
    return install(
        namespace,
        provider.example(),
        analysis,
        provider.usersUrl(namespace),
        text -> provider.canary(text, namespace));
  }

  /**
   * Installs {@code provider}'s Canary example in {@code namespace} as {@link #install(String,
   * SandboxProvider, Map)} does, with {@code edit} applied to the example's text first (another
   * strategy, say).
   *
   * @return the objects applied, in order
   */
  public List<HasMetadata> install(
      String namespace,
      SandboxProvider provider,
      Map<String, Object> analysis,
      UnaryOperator<String> edit)
      throws IOException {
    return install(namespace, provider, analysis, edit, Map.of());
  }

  /**
   * Installs {@code provider}'s Canary example as {@link #install(String, SandboxProvider, Map,
   * UnaryOperator)} does, with {@code workloadEnv} added to podinfo's environment before the Canary
   * is applied: the primary starts with it (the judge's scenario gives every version a latency
   * floor this way).
   *
   * @return the objects applied, in order
   */
  public List<HasMetadata> install(
      String namespace,
      SandboxProvider provider,
      Map<String, Object> analysis,
      UnaryOperator<String> edit,
      Map<String, String> workloadEnv)
      throws IOException {
    return install(
        namespace,
        provider.example(),
        analysis,
        provider.usersUrl(namespace),
        text -> edit.apply(provider.canary(text, namespace)),
        workloadEnv);
  }

  private List<HasMetadata> install(
      String namespace,
      String canaryExample,
      Map<String, Object> analysis,
      String usersUrl,
      UnaryOperator<String> canaryEdit)
      throws IOException {
    return install(namespace, canaryExample, analysis, usersUrl, canaryEdit, Map.of());
  }

  private List<HasMetadata> install(
      String namespace,
      String canaryExample,
      Map<String, Object> analysis,
      String usersUrl,
      UnaryOperator<String> canaryEdit,
      Map<String, String> workloadEnv)
      throws IOException {
    List<HasMetadata> applied = new ArrayList<>();
    applied.addAll(apply("namespace-test.yaml", namespace));
    for (String f : WORKLOAD) {
      applied.addAll(apply(f, namespace));
    }
    if (!workloadEnv.isEmpty()) {
      release(namespace, null, workloadEnv);
    }
    stack.loadTesterIn(namespace);
    stack.userTraffic(usersUrl, USERS_PER_SECOND);
    KubernetesClient client = stack.sandbox().api().client();
    stack
        .sandbox()
        .prometheus()
        .map(SandboxPrometheus::url)
        .ifPresent(
            url ->
                client
                    .resources(MetricTemplate.class)
                    .inNamespace(namespace)
                    .withName("not-found-percentage")
                    .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        "{\"spec\":{\"provider\":{\"address\":\"" + url + "\"}}}"));
    applied.addAll(stack.sandbox().api().applyYaml(alertProviders(namespace)));
    String canary =
        canaryEdit.apply(rewrite(Files.readString(examples.resolve(canaryExample)), namespace));
    canary = withAnalysis(canary, analysis);
    applied.addAll(stack.sandbox().api().applyYaml(canary));
    return applied;
  }

  /**
   * The example Canaries' alert providers ({@code on-call-slack}, {@code dev-msteams}), pointed at
   * the sandbox's receiver instead of Slack and Teams.
   */
  private String alertProviders(String namespace) {
    String base = stack.events().url() + "alerts/";
    return """
        apiVersion: flagger.app/v1beta1
        kind: AlertProvider
        metadata:
          name: on-call-slack
          namespace: %1$s
        spec:
          type: slack
          channel: on-call-alerts
          username: flagger
          address: %2$sslack
        ---
        apiVersion: flagger.app/v1beta1
        kind: AlertProvider
        metadata:
          name: dev-msteams
          namespace: %1$s
        spec:
          type: msteams
          address: %2$smsteams
        """
        .formatted(namespace, base);
  }

  /** A new release: the image of podinfo's first container (null keeps it), and its environment. */
  public void release(String namespace, String image, Map<String, String> env) {
    // the controller and the kubelet write the Deployment too: an edit that meets their write
    // (409) reads again and retries
    for (int attempt = 1; ; attempt++) {
      try {
        edit(namespace, image, env);
        return;
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 20) {
          throw e;
        }
      }
    }
  }

  private void edit(String namespace, String image, Map<String, String> env) {
    stack
        .sandbox()
        .api()
        .client()
        .apps()
        .deployments()
        .inNamespace(namespace)
        .withName("podinfo")
        .edit(
            d -> {
              var c = d.getSpec().getTemplate().getSpec().getContainers().getFirst();
              if (image != null) {
                c.setImage(image);
              }
              List<EnvVar> vars = new ArrayList<>();
              if (c.getEnv() != null) {
                c.getEnv().stream().filter(v -> !env.containsKey(v.getName())).forEach(vars::add);
              }
              env.forEach((k, v) -> vars.add(new EnvVar(k, v, null)));
              c.setEnv(vars);
              return d;
            });
  }

  /** The Canary {@code podinfo} of a namespace, or null. */
  public Canary canary(String namespace) {
    return stack
        .sandbox()
        .api()
        .client()
        .resources(Canary.class)
        .inNamespace(namespace)
        .withName("podinfo")
        .get();
  }

  public Deployment deployment(String namespace, String name) {
    return stack
        .sandbox()
        .api()
        .client()
        .apps()
        .deployments()
        .inNamespace(namespace)
        .withName(name)
        .get();
  }

  /** The Canary's phase, {@link CanaryPhase#NONE} before it has a status. */
  public CanaryPhase phase(String namespace) {
    Canary c = canary(namespace);
    return c == null || c.getStatus() == null ? CanaryPhase.NONE : c.getStatus().phaseOrNone();
  }

  /**
   * Waits until the Canary reaches one of {@code phases}; returns the phase reached.
   *
   * @throws IllegalStateException when {@code timeout} passes first
   */
  public CanaryPhase awaitPhase(String namespace, Duration timeout, CanaryPhase... phases) {
    Instant deadline = clock.instant().plus(timeout);
    while (clock.instant().isBefore(deadline)) {
      CanaryPhase now = phase(namespace);
      for (CanaryPhase p : phases) {
        if (p == now) {
          return now;
        }
      }
      CompletableFuture.runAsync(
              () -> {}, CompletableFuture.delayedExecutor(250, TimeUnit.MILLISECONDS))
          .join();
    }
    throw new IllegalStateException(
        "canary podinfo."
            + namespace
            + " did not reach "
            + List.of(phases)
            + " within "
            + timeout
            + " (phase "
            + phase(namespace).value()
            + ")");
  }

  private List<HasMetadata> apply(String example, String namespace) throws IOException {
    return stack
        .sandbox()
        .api()
        .applyYaml(rewrite(Files.readString(examples.resolve(example)), namespace));
  }

  /** The example text for another namespace: its objects and the cluster names in URLs. */
  static String rewrite(String yaml, String namespace) {
    if (namespace.equals("test")) {
      return yaml;
    }
    return yaml.replaceAll("(?m)^(\\s*)(namespace|name): test\\s*$", "$1$2: " + namespace)
        .replace(".test:", "." + namespace + ":")
        .replace(".test/", "." + namespace + "/");
  }

  /** Sets {@code spec.analysis.<key>} for each entry, as plain YAML scalars. */
  static String withAnalysis(String yaml, Map<String, Object> analysis) {
    String out = yaml;
    for (var e : analysis.entrySet()) {
      String line = "(?m)^(    )" + e.getKey() + ":.*$";
      String value = "$1" + e.getKey() + ": " + e.getValue();
      if (out.matches("(?s).*\\n    " + e.getKey() + ":.*")) {
        out = out.replaceFirst(line, value);
      } else {
        out =
            out.replaceFirst(
                "(?m)^  analysis:\\s*$", "  analysis:\n    " + e.getKey() + ": " + e.getValue());
      }
    }
    return out;
  }
}
