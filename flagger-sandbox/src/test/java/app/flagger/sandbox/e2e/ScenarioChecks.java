package app.flagger.sandbox.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.flagger.sandbox.SandboxStack;
import app.flagger.sandbox.Story;
import app.flagger.sandbox.mesh.RouteTable;
import app.flagger.sandbox.prometheus.SandboxPrometheus;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
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
