package app.flagger.controller.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.flagger.controller.router.gatewayapi.GatewayApiCrds;
import app.flagger.controller.router.smi.SmiCrds;
import app.flagger.controller.support.CanaryFixture;
import app.flagger.controller.support.Crds;
import app.flagger.controller.support.MockApiServer;
import app.flagger.controller.support.StandardRun;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryPhase;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/**
 * The packaged controller, started as its image starts it, takes a {@code gatewayapi:v1} Canary and
 * a {@code linkerd} Canary through Flagger's promotion sequence against an API server that knows
 * only Flagger's CRDs, the Gateway API HTTPRoute and the SMI TrafficSplit (no Istio CRD): fabric8's
 * CRUD mock with a fake deployment controller, a test loop playing the gateway controller (it
 * accepts every HTTPRoute generation, so the v1 router's parent readiness check is exercised) and a
 * Prometheus stub answering every query with healthy values.
 *
 * <p>Every weight the controller writes to the HTTPRoute's backendRefs and the TrafficSplit's
 * backends is recorded from the objects' watch events; the distinct (primary, canary) pairs, in
 * order, must be the sequence Flagger's rules (reference §2.4, §2.5.5) give for stepWeight 25 and
 * maxWeight 50 without stepWeightPromotion: the initial (100, 0), the steps (75, 25) and (50, 50),
 * and (100, 0) once promoted. The Prometheus stub must have received exactly the providers' own
 * builtin queries (reference §3.3): the HTTP observer's for {@code gatewayapi:v1}, Linkerd's {@code
 * response_total} for {@code linkerd}, plus the availability probe {@code vector(1)}.
 *
 * <p>About 90 s on an idle machine: each Canary needs two ticks to initialize and six after the new
 * revision, 10 s apart (the shortest analysis interval).
 */
class ProviderPromotionJarIT {
  static final Path MODULE = JsonLogJarIT.MODULE;
  static final String GATEWAY_NS = "gatewayapi-test";
  static final String LINKERD_NS = "linkerd-test";
  static final String NAME = CanaryFixture.NAME;
  static final String OLD_IMAGE = "ghcr.io/stefanprodan/podinfo:6.0.0";
  static final String NEW_IMAGE = "ghcr.io/stefanprodan/podinfo:6.0.1";
  static final int STEP_WEIGHT = 25;
  static final int MAX_WEIGHT = 50;

  static final KubernetesSerialization JSON = new KubernetesSerialization();

  static final ResourceDefinitionContext HTTP_ROUTES =
      new ResourceDefinitionContext.Builder()
          .withGroup("gateway.networking.k8s.io")
          .withVersion("v1")
          .withKind("HTTPRoute")
          .withPlural("httproutes")
          .withNamespaced(true)
          .build();
  static final ResourceDefinitionContext TRAFFIC_SPLITS =
      new ResourceDefinitionContext.Builder()
          .withGroup("split.smi-spec.io")
          .withVersion("v1alpha1")
          .withKind("TrafficSplit")
          .withPlural("trafficsplits")
          .withNamespaced(true)
          .build();

  @Test
  void gatewayApiAndLinkerdCanariesFollowFlaggersPromotionSequence() throws Exception {
    Path dir = MODULE.resolve("target/provider-promotion-it");
    List<String> queries = new CopyOnWriteArrayList<>();
    ExecutorService writer = Executors.newSingleThreadExecutor();
    try (MockWebServer prometheus = prometheus(queries);
        MockApiServer api = MockApiServer.start();
        KubernetesClient client = new KubernetesClientBuilder().withConfig(api.config(0)).build()) {
      Crds.register(client);
      GatewayApiCrds.register(client);
      SmiCrds.register(client);
      assertThat(client.apiextensions().v1().customResourceDefinitions().list().getItems())
          .as("no Istio CRD registered")
          .noneSatisfy(crd -> assertThat(crd.getSpec().getGroup()).endsWith("istio.io"))
          .hasSize(5);
      for (String ns : List.of(GATEWAY_NS, LINKERD_NS)) {
        client.resource(deployment(ns)).create();
        BenchApiServer.finishRollouts(client, ns, writer);
      }
      acceptRoutes(client, writer);
      WeightLog routeWeights = new WeightLog();
      watch(client, HTTP_ROUTES, GATEWAY_NS, routeWeights, ProviderPromotionJarIT::routeWeights);
      WeightLog splitWeights = new WeightLog();
      watch(client, TRAFFIC_SPLITS, LINKERD_NS, splitWeights, ProviderPromotionJarIT::splitWeights);
      client.resource(canary(GATEWAY_NS, "gatewayapi:v1", gatewayService())).create();
      client.resource(canary(LINKERD_NS, "linkerd", "    port: 9898\n")).create();

      Map<String, String> env =
          new HashMap<>(JsonLogJarIT.env(dir, client.getConfiguration().getMasterUrl()));
      env.put("FLAGGER_MESH_PROVIDER", "gatewayapi:v1");
      env.put("FLAGGER_METRICS_SERVER", prometheus.url("/").toString().replaceAll("/$", ""));
      try (ControllerProcess controller =
          ControllerProcess.start(CanaryBenchIT.jar(MODULE), JsonLogJarIT.shipped(), env, dir)) {
        awaitPhase(client, controller, CanaryPhase.INITIALIZED);
        for (String ns : List.of(GATEWAY_NS, LINKERD_NS)) {
          new CanaryFixture(client, ns).rolloutNewRevision(NEW_IMAGE);
        }
        awaitPhase(client, controller, CanaryPhase.SUCCEEDED);
      }

      List<List<Integer>> expected = promotionSequence(STEP_WEIGHT, MAX_WEIGHT);
      assertThat(expected)
          .as("reference §2.4 for stepWeight 25, maxWeight 50")
          .containsExactly(List.of(100, 0), List.of(75, 25), List.of(50, 50), List.of(100, 0));
      assertThat(routeWeights.pairs())
          .as("HTTPRoute %s/%s backendRefs (primary, canary)", GATEWAY_NS, NAME)
          .isEqualTo(expected);
      assertThat(splitWeights.pairs())
          .as("TrafficSplit %s/%s backends (primary, canary)", LINKERD_NS, NAME)
          .isEqualTo(expected);
      assertThat(client.genericKubernetesResources(HTTP_ROUTES).inNamespace(GATEWAY_NS).list())
          .as("the HTTPRoute's parents accepted for its last generation (GetRoutes' check)")
          .satisfies(l -> assertThat(l.getItems()).singleElement().matches(r -> accepted(r)));
      for (String ns : List.of(GATEWAY_NS, LINKERD_NS)) {
        var deployments = client.apps().deployments().inNamespace(ns);
        Deployment primary = deployments.withName(NAME + "-primary").get();
        Deployment target = deployments.withName(NAME).get();
        assertThat(primary.getSpec().getTemplate().getSpec())
            .as("%s: the primary runs the new revision", ns)
            .isEqualTo(target.getSpec().getTemplate().getSpec());
        assertThat(primary.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
            .isEqualTo(NEW_IMAGE);
        assertThat(target.getSpec().getReplicas()).as("%s: canary scaled down", ns).isZero();
      }
    } finally {
      writer.shutdownNow();
    }
    assertThat(new TreeSet<>(queries.stream().map(q -> q.replaceAll("\\s+", "")).toList()))
        .as("the queries Prometheus received, whitespace removed")
        .isEqualTo(expectedQueries());
  }

  /**
   * The (primary, canary) weights Flagger writes for the canary strategy with {@code stepWeight}
   * and {@code maxWeight}, from reference §2.4: the mesh router's initial route (100, 0); while the
   * canary weight is below maxWeight, primary −= step (floor 0) and canary += step (cap 100); at or
   * above it the canary is promoted and, without stepWeightPromotion, the promotion routes all
   * traffic back to the primary (§2.5.5).
   */
  static List<List<Integer>> promotionSequence(int stepWeight, int maxWeight) {
    List<List<Integer>> out = new ArrayList<>();
    int primary = 100;
    int canary = 0;
    out.add(List.of(primary, canary));
    while (canary < maxWeight) {
      primary = Math.max(0, primary - stepWeight);
      canary = Math.min(100, canary + stepWeight);
      out.add(List.of(primary, canary));
    }
    out.add(List.of(100, 0));
    return out;
  }

  /** Reference §3.3, whitespace removed, for {@value #NAME} and the metrics' interval 1m. */
  static Set<String> expectedQueries() {
    String pod =
        "kubernetes_namespace=\""
            + GATEWAY_NS
            + "\",kubernetes_pod_name=~\""
            + NAME
            + "-[0-9a-zA-Z]+(-[0-9a-zA-Z]+)\"";
    String linkerd = "namespace=\"" + LINKERD_NS + "\",deployment=~\"" + NAME + "\"";
    return new TreeSet<>(
        List.of(
            "vector(1)",
            "sum(rate(http_request_duration_seconds_count{"
                + pod
                + ",status!~\"5.*\"}[1m]))/sum(rate(http_request_duration_seconds_count{"
                + pod
                + "}[1m]))*100",
            "histogram_quantile(0.99,sum(rate(http_request_duration_seconds_bucket{"
                + pod
                + "}[1m]))by(le))",
            "sum(rate(response_total{"
                + linkerd
                + ",classification!=\"failure\",direction=\"inbound\"}[1m]))/sum(rate(response_total{"
                + linkerd
                + ",direction=\"inbound\"}[1m]))*100",
            "histogram_quantile(0.99,sum(rate(response_latency_ms_bucket{"
                + linkerd
                + ",direction=\"inbound\"}[1m]))by(le))"));
  }

  /**
   * Prometheus answering every query with one healthy sample: 1 for {@code vector(1)}, a 99.9 %
   * success rate, 25 ms of latency (0.025 s for the HTTP observer, whose query yields seconds).
   */
  private static MockWebServer prometheus(List<String> queries) throws Exception {
    MockWebServer server = new MockWebServer();
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest r) {
            String query = r.getUrl().queryParameter("query");
            queries.add(query == null ? "" : query);
            String q = query == null ? "" : query;
            String value;
            if (q.contains("vector(1)")) {
              value = "1";
            } else if (q.contains("http_request_duration_seconds_bucket")) {
              value = "0.025";
            } else if (q.contains("histogram_quantile")) {
              value = "25";
            } else {
              value = "99.9";
            }
            return StandardRun.vector(value);
          }
        });
    server.start();
    return server;
  }

  /** Waits until both Canaries are in {@code phase}; fails at once when the controller exits. */
  private static void awaitPhase(
      KubernetesClient client, ControllerProcess controller, CanaryPhase phase) {
    await()
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              assertThat(controller.alive())
                  .as("controller exited; its log:\n%s", controller.logTail(60))
                  .isTrue();
              for (String ns : List.of(GATEWAY_NS, LINKERD_NS)) {
                Canary c = client.resources(Canary.class).inNamespace(ns).withName(NAME).get();
                assertThat(c.getStatus() == null ? null : c.getStatus().phase())
                    .as("%s/%s phase; controller log:\n%s", ns, NAME, controller.logTail(20))
                    .isEqualTo(phase);
              }
            });
  }

  /**
   * Plays the gateway controller: every HTTPRoute generation in {@link #GATEWAY_NS} gets each of
   * its parents {@code Accepted: True} for that generation in {@code status.parents}.
   */
  private static void acceptRoutes(KubernetesClient client, ExecutorService writer) {
    var routes = client.genericKubernetesResources(HTTP_ROUTES).inNamespace(GATEWAY_NS);
    routes.inform(
        handler(
            r ->
                writer.execute(
                    () -> {
                      if (accepted(r)) {
                        return;
                      }
                      r.setAdditionalProperty("status", acceptedStatus(r));
                      try {
                        routes.resource(r).updateStatus();
                      } catch (RuntimeException e) {
                        // 409: the newer version comes as its own event
                      }
                    })),
        0);
  }

  /** Whether every parent is already accepted for the current generation. */
  private static boolean accepted(GenericKubernetesResource r) {
    long generation =
        r.getMetadata().getGeneration() == null ? 0L : r.getMetadata().getGeneration();
    List<Object> refs = list(map(r.getAdditionalProperties().get("spec")).get("parentRefs"));
    List<Object> parents = list(map(r.getAdditionalProperties().get("status")).get("parents"));
    return parents.size() == refs.size()
        && parents.stream()
            .flatMap(p -> list(map(p).get("conditions")).stream())
            .map(ProviderPromotionJarIT::map)
            .allMatch(
                c ->
                    "True".equals(c.get("status"))
                        && c.get("observedGeneration") instanceof Number n
                        && n.longValue() == generation);
  }

  private static Map<String, Object> acceptedStatus(GenericKubernetesResource r) {
    long generation =
        r.getMetadata().getGeneration() == null ? 0L : r.getMetadata().getGeneration();
    List<Object> parents = new ArrayList<>();
    for (Object p : list(map(r.getAdditionalProperties().get("spec")).get("parentRefs"))) {
      Map<String, Object> ref = new LinkedHashMap<>(map(p));
      ref.putIfAbsent("group", "gateway.networking.k8s.io");
      ref.putIfAbsent("kind", "Gateway");
      Map<String, Object> condition = new LinkedHashMap<>();
      condition.put("type", "Accepted");
      condition.put("status", "True");
      condition.put("reason", "Accepted");
      condition.put("observedGeneration", generation);
      Map<String, Object> parent = new LinkedHashMap<>();
      parent.put("parentRef", ref);
      parent.put("controllerName", "example.com/gateway-controller");
      parent.put("conditions", List.of(condition));
      parents.add(parent);
    }
    return Map.of("parents", parents);
  }

  /** Records the weights of every version of the {@code context} objects in {@code ns}. */
  private static void watch(
      KubernetesClient client,
      ResourceDefinitionContext context,
      String ns,
      WeightLog log,
      Function<GenericKubernetesResource, List<Integer>> weights) {
    client
        .genericKubernetesResources(context)
        .inNamespace(ns)
        .inform(handler(r -> log.record(weights.apply(r))), 0);
  }

  /** The (primary, canary) weights of the HTTPRoute rule that has both backends. */
  static List<Integer> routeWeights(GenericKubernetesResource route) {
    for (Object rule : list(map(route.getAdditionalProperties().get("spec")).get("rules"))) {
      List<Object> refs = list(map(rule).get("backendRefs"));
      if (refs.size() == 2) {
        return weights(refs, "name");
      }
    }
    return List.of();
  }

  /** The (primary, canary) weights of the TrafficSplit's backends. */
  static List<Integer> splitWeights(GenericKubernetesResource split) {
    return weights(
        list(map(split.getAdditionalProperties().get("spec")).get("backends")), "service");
  }

  private static List<Integer> weights(List<Object> backends, String nameKey) {
    Integer primary = null;
    Integer canary = null;
    for (Object b : backends) {
      Map<String, Object> backend = map(b);
      Object name = backend.get(nameKey);
      int weight = Integer.parseInt(String.valueOf(backend.get("weight")));
      if ((NAME + "-primary").equals(name)) {
        primary = weight;
      } else if ((NAME + "-canary").equals(name)) {
        canary = weight;
      }
    }
    return primary == null || canary == null ? List.of() : List.of(primary, canary);
  }

  private static ResourceEventHandler<GenericKubernetesResource> handler(
      Consumer<GenericKubernetesResource> each) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(GenericKubernetesResource r) {
        each.accept(r);
      }

      @Override
      public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource r) {
        each.accept(r);
      }

      @Override
      public void onDelete(GenericKubernetesResource r, boolean unknownFinalState) {}
    };
  }

  /** The distinct (primary, canary) pairs seen, in order: a repeat of the last one is dropped. */
  static final class WeightLog {
    private final List<List<Integer>> pairs = new ArrayList<>();

    synchronized void record(List<Integer> pair) {
      if (!pair.isEmpty() && (pairs.isEmpty() || !pairs.getLast().equals(pair))) {
        pairs.add(pair);
      }
    }

    synchronized List<List<Integer>> pairs() {
      return List.copyOf(pairs);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object o) {
    return o instanceof List<?> l ? (List<Object>) l : List.of();
  }

  private static Deployment deployment(String ns) {
    String yaml =
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: %s
          namespace: %s
          labels:
            app: %s
        spec:
          replicas: 1
          selector:
            matchLabels:
              app: %s
          template:
            metadata:
              labels:
                app: %s
            spec:
              containers:
                - name: podinfod
                  image: %s
                  ports:
                    - name: http
                      containerPort: 9898
        """
            .formatted(NAME, ns, NAME, NAME, NAME, OLD_IMAGE);
    return JSON.unmarshal(yaml, Deployment.class);
  }

  private static String gatewayService() {
    return """
            port: 9898
            hosts:
              - podinfo.example.com
            gatewayRefs:
              - name: gateway
                namespace: istio-ingress
        """;
  }

  /**
   * A Canary on {@value #NAME} with {@code provider}, {@code serviceYaml} under {@code service}
   * (indented four spaces), the shortest interval and the two builtin metrics as Flagger's docs
   * show them.
   */
  private static Canary canary(String ns, String provider, String serviceYaml) {
    String yaml =
        """
        apiVersion: flagger.app/v1beta1
        kind: Canary
        metadata:
          name: %s
          namespace: %s
        spec:
          provider: %s
          targetRef:
            apiVersion: apps/v1
            kind: Deployment
            name: %s
          service:
        %s  analysis:
            interval: 10s
            threshold: 2
            maxWeight: %d
            stepWeight: %d
            metrics:
              - name: request-success-rate
                interval: 1m
                thresholdRange:
                  min: 99
              - name: request-duration
                interval: 1m
                thresholdRange:
                  max: 500
        """
            .formatted(NAME, ns, provider, NAME, serviceYaml, MAX_WEIGHT, STEP_WEIGHT);
    return JSON.unmarshal(yaml, Canary.class);
  }
}
