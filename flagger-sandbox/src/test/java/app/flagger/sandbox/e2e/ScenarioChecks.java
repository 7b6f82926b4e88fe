package app.flagger.sandbox.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.flagger.controller.events.CanaryEvent;
import app.flagger.controller.events.EventSink;
import app.flagger.sandbox.Footprint;
import app.flagger.sandbox.Sandbox;
import app.flagger.sandbox.SandboxStack;
import app.flagger.sandbox.Story;
import app.flagger.sandbox.mesh.IngressView;
import app.flagger.sandbox.mesh.RouteTable;
import app.flagger.sandbox.prometheus.SandboxPrometheus;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the scenarios read back: objects, webhook payloads, Prometheus series, dashboards. */
final class ScenarioChecks {
  private final SandboxStack stack;
  private final Story story;
  private final SandboxPrometheus prometheus;

  ScenarioChecks(SandboxStack stack, Story story) {
    this.stack = stack;
    this.story = story;
    this.prometheus = stack.sandbox().prometheus().orElseThrow();
  }

  /**
   * Starts the sandbox of a scenario class with the real Prometheus, its controller's events going
   * to {@code sink}; fails the class when Prometheus is missing.
   *
   * @param workDir kept after the run: the load tester's log, each pod's log, Prometheus's config
   */
  static SandboxStack startStack(Path root, Path workDir, long seed, EventSink sink, Clock clock)
      throws IOException {
    Path binary;
    try {
      binary = SandboxPrometheus.binary();
    } catch (IllegalStateException e) {
      throw new AssertionError(
          "the end-to-end scenarios need a real Prometheus: " + e.getMessage(), e);
    }
    return SandboxStack.start(
        new Sandbox.Options(
            root, workDir, binary, Duration.ofSeconds(2), Duration.ofMillis(250), seed),
        Map.of(),
        List.of(sink),
        clock);
  }

  /** For the record: how long the scenarios took and how much memory they needed. */
  static void report(String what, Instant started, Footprint footprint) {
    System.out.printf(
        "%s: %d s, peak memory %d MB RSS over %d processes (test JVM, pods, load tester,"
            + " Prometheus)%n",
        what,
        started == null ? 0 : Duration.between(started, Instant.now()).toSeconds(),
        footprint.peakBytes() / (1024 * 1024),
        footprint.peakProcesses());
  }

  /** The messages of one Canary ({@code <name>.<namespace>}), in order. */
  static List<String> messages(List<CanaryEvent> events, String key) {
    return events.stream()
        .filter(e -> e.canary().key().equals(key))
        .map(CanaryEvent::message)
        .toList();
  }

  static boolean onPath(String program) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    return Arrays.stream(path.split(File.pathSeparator))
        .anyMatch(d -> Files.isExecutable(Path.of(d, program)));
  }

  static Map<String, List<DashboardQueries.Query>> byPanel(List<DashboardQueries.Query> queries) {
    Map<String, List<DashboardQueries.Query>> out = new LinkedHashMap<>();
    for (DashboardQueries.Query q : queries) {
      out.computeIfAbsent(q.dashboard() + " / " + q.panel(), k -> new ArrayList<>()).add(q);
    }
    return out;
  }

  /**
   * Whether any query of a panel returns a sample at {@code time} (a Grafana panel shows data). The
   * queries without data are printed, for the record.
   */
  boolean anyData(List<DashboardQueries.Query> panel, Instant time) throws Exception {
    boolean any = false;
    for (DashboardQueries.Query q : panel) {
      if (prometheus.query(q.expr(), time).isEmpty()) {
        System.out.println("e2e: no data (the panel has other queries): " + q.expr());
      } else {
        any = true;
      }
    }
    return any;
  }

  List<String> webhookMessages(String namespace) {
    return stack.events().payloads().stream()
        .filter(p -> p.getString("namespace").equals(namespace))
        .map(p -> p.getJsonObject("metadata").getString("eventMessage"))
        .toList();
  }

  String image(String namespace, String deployment) {
    return story
        .deployment(namespace, deployment)
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .getFirst()
        .getImage();
  }

  @SuppressWarnings("unchecked")
  Map<String, Integer> vsWeights(String namespace) {
    GenericKubernetesResource vs =
        stack
            .sandbox()
            .api()
            .client()
            .genericKubernetesResources(RouteTable.VIRTUAL_SERVICE)
            .inNamespace(namespace)
            .withName("podinfo")
            .get();
    List<Map<String, Object>> http =
        (List<Map<String, Object>>)
            ((Map<String, Object>) vs.getAdditionalProperties().get("spec")).get("http");
    List<Map<String, Object>> route = (List<Map<String, Object>>) http.getLast().get("route");
    Map<String, Integer> out = new HashMap<>();
    for (Map<String, Object> r : route) {
      String host = (String) ((Map<String, Object>) r.get("destination")).get("host");
      out.put(host, ((Number) r.getOrDefault("weight", 0)).intValue());
    }
    return out;
  }

  /** The weights of the weighted rule (the one with the canary) of the HTTPRoute podinfo. */
  @SuppressWarnings("unchecked")
  Map<String, Integer> httpRouteWeights(String namespace) {
    Map<String, Object> spec = spec(RouteTable.HTTP_ROUTE, namespace);
    Map<String, Integer> out = new HashMap<>();
    for (Map<String, Object> rule : (List<Map<String, Object>>) spec.get("rules")) {
      List<Map<String, Object>> refs = (List<Map<String, Object>>) rule.get("backendRefs");
      if (refs.stream().anyMatch(r -> "podinfo-canary".equals(r.get("name")))) {
        refs.forEach(r -> out.put((String) r.get("name"), ((Number) r.get("weight")).intValue()));
      }
    }
    return out;
  }

  /** The weights of the TrafficSplit podinfo (v1alpha1 writes them as quantity strings). */
  @SuppressWarnings("unchecked")
  Map<String, Integer> trafficSplitWeights(String namespace) {
    Map<String, Object> spec = spec(RouteTable.trafficSplits("v1alpha1"), namespace);
    Map<String, Integer> out = new HashMap<>();
    for (Map<String, Object> b : (List<Map<String, Object>>) spec.get("backends")) {
      out.put((String) b.get("service"), Integer.parseInt(b.get("weight").toString()));
    }
    return out;
  }

  /**
   * The annotations of the canary Ingress {@code podinfo-canary} without ingress-nginx's prefix
   * (empty before the controller wrote it).
   */
  Map<String, String> canaryIngressAnnotations(String namespace) {
    var ingress =
        stack
            .sandbox()
            .api()
            .client()
            .network()
            .v1()
            .ingresses()
            .inNamespace(namespace)
            .withName("podinfo-canary")
            .get();
    Map<String, String> out = new HashMap<>();
    if (ingress != null && ingress.getMetadata().getAnnotations() != null) {
      ingress
          .getMetadata()
          .getAnnotations()
          .forEach(
              (k, v) -> {
                if (k.startsWith(IngressView.PREFIX)) {
                  out.put(k.substring(IngressView.PREFIX.length()), v);
                }
              });
    }
    return out;
  }

  /**
   * The weights the canary Ingress gives: {@code canary-weight} to podinfo-canary, the rest to
   * podinfo-primary (the main Ingress's backend, the apex Service that selects the primary).
   *
   * @throws IllegalStateException before the controller wrote the canary Ingress
   */
  Map<String, Integer> ingressWeights(String namespace) {
    String w = canaryIngressAnnotations(namespace).get("canary-weight");
    if (w == null) {
      throw new IllegalStateException("no canary Ingress in " + namespace + " yet");
    }
    int weight = Integer.parseInt(w);
    return Map.of("podinfo-primary", 100 - weight, "podinfo-canary", weight);
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> spec(ResourceDefinitionContext kind, String namespace) {
    GenericKubernetesResource r =
        stack
            .sandbox()
            .api()
            .client()
            .genericKubernetesResources(kind)
            .inNamespace(namespace)
            .withName("podinfo")
            .get();
    return r == null ? Map.of() : (Map<String, Object>) r.getAdditionalProperties().get("spec");
  }

  void awaitValue(String promql, double expected) {
    await()
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> assertThat(prometheus.queryValue(promql)).as(promql).hasValue(expected));
  }

  void awaitPositive(String promql) {
    await()
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> assertThat(prometheus.queryValue(promql).orElse(0)).as(promql).isGreaterThan(0));
  }
}
