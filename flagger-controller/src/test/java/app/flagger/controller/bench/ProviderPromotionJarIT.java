package app.flagger.controller.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.flagger.controller.router.contour.ContourFixtures;
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
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
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
 * The packaged controller, started as its image starts it, takes one Canary per provider of {@link
 * #runs()} ({@code gatewayapi:v1}, {@code linkerd}, {@code nginx}, {@code contour}), each in its
 * own namespace, through Flagger's promotion sequence against an API server that knows only
 * Flagger's CRDs, the Gateway API HTTPRoute, the SMI TrafficSplit and the Contour HTTPProxy (no
 * Istio CRD; the Ingress is a core kind): fabric8's CRUD mock with a fake deployment controller, a
 * test loop playing the gateway controller (it accepts every HTTPRoute generation, so the v1
 * router's parent readiness check is exercised), the podinfo Ingress the NGINX Canary's {@code
 * ingressRef} names, and a Prometheus stub answering every query with healthy values.
 *
 * <p>Every weight the controller writes is recorded from the router objects' watch events: the
 * HTTPRoute's backendRefs, the TrafficSplit's backends, the {@code canary-weight} annotation of the
 * {@code <ingress>-canary} Ingress and the services of the HTTPProxy's route. The distinct
 * (primary, canary) pairs, in order, must be the sequence Flagger's rules (reference §2.4, §2.5.5)
 * give for stepWeight 25 and maxWeight 50 without stepWeightPromotion: the initial (100, 0), the
 * steps (75, 25) and (50, 50), and (100, 0) once promoted. The Prometheus stub must have received
 * exactly the providers' own builtin queries (reference §3.3), written out here from the reference
 * rather than taken from the observers, plus the availability probe {@code vector(1)}.
 *
 * <p>About 90 s on an idle machine: the Canaries advance together, each needing two ticks to
 * initialize and six after the new revision, 10 s apart (the shortest analysis interval).
 */
class ProviderPromotionJarIT {
  static final Path MODULE = JsonLogJarIT.MODULE;
  static final String NAME = CanaryFixture.NAME;
  static final String OLD_IMAGE = "ghcr.io/stefanprodan/podinfo:6.0.0";
  static final String NEW_IMAGE = "ghcr.io/stefanprodan/podinfo:6.0.1";
  static final int STEP_WEIGHT = 25;
  static final int MAX_WEIGHT = 50;
  static final String NGINX_WEIGHT = "nginx.ingress.kubernetes.io/canary-weight";

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
  static final ResourceDefinitionContext INGRESSES =
      new ResourceDefinitionContext.Builder()
          .withGroup("networking.k8s.io")
          .withVersion("v1")
          .withKind("Ingress")
          .withPlural("ingresses")
          .withNamespaced(true)
          .build();
  static final ResourceDefinitionContext HTTP_PROXIES =
      new ResourceDefinitionContext.Builder()
          .withGroup("projectcontour.io")
          .withVersion("v1")
          .withKind("HTTPProxy")
          .withPlural("httpproxies")
          .withNamespaced(true)
          .build();

  /**
   * One Canary of the run: its {@code spec.provider} and namespace, what goes under {@code
   * spec.service} (indented four spaces) and other {@code spec} fields (indented two), the router
   * object carrying its weights with how to read them, and its builtin queries as reference §3.3
   * writes them for {@value #NAME} in {@code namespace} and the metrics' interval 1m, whitespace
   * removed.
   */
  record Run(
      String provider,
      String namespace,
      String serviceYaml,
      String specYaml,
      ResourceDefinitionContext router,
      Function<GenericKubernetesResource, List<Integer>> weights,
      List<String> queries) {
    String routerKind() {
      return router.getKind();
    }
  }

  static final Run GATEWAY =
      new Run(
          "gatewayapi:v1",
          "gatewayapi-test",
          """
              port: 9898
              hosts:
                - podinfo.example.com
              gatewayRefs:
                - name: gateway
                  namespace: istio-ingress
          """,
          "",
          HTTP_ROUTES,
          ProviderPromotionJarIT::routeWeights,
          httpQueries("gatewayapi-test"));
  static final Run LINKERD =
      new Run(
          "linkerd",
          "linkerd-test",
          "    port: 9898\n",
          "",
          TRAFFIC_SPLITS,
          ProviderPromotionJarIT::splitWeights,
          linkerdQueries("linkerd-test"));
  static final Run NGINX =
      new Run(
          "nginx",
          "nginx-test",
          "    port: 9898\n",
          """
            ingressRef:
              apiVersion: networking.k8s.io/v1
              kind: Ingress
              name: %s
          """
              .formatted(NAME),
          INGRESSES,
          ProviderPromotionJarIT::ingressWeights,
          nginxQueries("nginx-test", NAME));
  static final Run CONTOUR =
      new Run(
          "contour",
          "contour-test",
          "    port: 9898\n",
          "",
          HTTP_PROXIES,
          ProviderPromotionJarIT::proxyWeights,
          contourQueries("contour-test"));

  static List<Run> runs() {
    return List.of(GATEWAY, LINKERD, NGINX, CONTOUR);
  }

  @Test
  void canariesOfEveryRoutedProviderFollowFlaggersPromotionSequence() throws Exception {
    Path dir = MODULE.resolve("target/provider-promotion-it");
    List<String> queries = new CopyOnWriteArrayList<>();
    ExecutorService writer = Executors.newSingleThreadExecutor();
    Map<Run, WeightLog> logs = new LinkedHashMap<>();
    try (MockWebServer prometheus = prometheus(queries);
        MockApiServer api = MockApiServer.start();
        KubernetesClient client = new KubernetesClientBuilder().withConfig(api.config(0)).build()) {
      Crds.register(client);
      GatewayApiCrds.register(client);
      SmiCrds.register(client);
      ContourFixtures.registerCrd(client);
      assertThat(client.apiextensions().v1().customResourceDefinitions().list().getItems())
          .as("no Istio CRD registered")
          .noneSatisfy(crd -> assertThat(crd.getSpec().getGroup()).endsWith("istio.io"))
          .hasSize(6);
      for (Run run : runs()) {
        client.resource(deployment(run.namespace())).create();
        BenchApiServer.finishRollouts(client, run.namespace(), writer);
      }
      client.resource(ingress(NGINX.namespace())).create();
      acceptRoutes(client, writer);
      for (Run run : runs()) {
        WeightLog log = new WeightLog();
        logs.put(run, log);
        client
            .genericKubernetesResources(run.router())
            .inNamespace(run.namespace())
            .inform(handler(r -> log.record(run.weights().apply(r))), 0);
        client.resource(canary(run)).create();
      }

      Map<String, String> env =
          new HashMap<>(JsonLogJarIT.env(dir, client.getConfiguration().getMasterUrl()));
      env.put("FLAGGER_MESH_PROVIDER", "gatewayapi:v1");
      env.put("FLAGGER_METRICS_SERVER", prometheus.url("/").toString().replaceAll("/$", ""));
      try (ControllerProcess controller =
          ControllerProcess.start(CanaryBenchIT.jar(MODULE), JsonLogJarIT.shipped(), env, dir)) {
        awaitPhase(client, controller, CanaryPhase.INITIALIZED);
        for (Run run : runs()) {
          new CanaryFixture(client, run.namespace()).rolloutNewRevision(NEW_IMAGE);
        }
        awaitPhase(client, controller, CanaryPhase.SUCCEEDED);
      }

      List<List<Integer>> expected = promotionSequence(STEP_WEIGHT, MAX_WEIGHT);
      assertThat(expected)
          .as("reference §2.4 for stepWeight 25, maxWeight 50")
          .containsExactly(List.of(100, 0), List.of(75, 25), List.of(50, 50), List.of(100, 0));
      for (Run run : runs()) {
        assertThat(logs.get(run).pairs())
            .as("%s: %s weights (primary, canary)", run.provider(), run.routerKind())
            .isEqualTo(expected);
      }
      assertThat(
              client
                  .genericKubernetesResources(HTTP_ROUTES)
                  .inNamespace(GATEWAY.namespace())
                  .list())
          .as("the HTTPRoute's parents accepted for its last generation (GetRoutes' check)")
          .satisfies(l -> assertThat(l.getItems()).singleElement().matches(r -> accepted(r)));
      var canaryIngress =
          client
              .network()
              .v1()
              .ingresses()
              .inNamespace(NGINX.namespace())
              .withName(NAME + "-canary");
      assertThat(canaryIngress.get().getMetadata().getAnnotations())
          .as("the canary Ingress is enabled")
          .containsEntry("nginx.ingress.kubernetes.io/canary", "true");
      assertThat(canaryIngress.get().getSpec().getRules().get(0).getHttp().getPaths())
          .as("the canary Ingress: the copy of %s routing to %s-canary", NAME, NAME)
          .singleElement()
          .satisfies(
              p -> assertThat(p.getBackend().getService().getName()).isEqualTo(NAME + "-canary"));
      for (Run run : runs()) {
        String ns = run.namespace();
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
    Set<String> expectedQueries = new TreeSet<>(List.of("vector(1)"));
    runs().forEach(run -> expectedQueries.addAll(run.queries()));
    assertThat(new TreeSet<>(queries.stream().map(q -> q.replaceAll("\\s+", "")).toList()))
        .as("the queries Prometheus received, whitespace removed")
        .isEqualTo(expectedQueries);
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

  /** The HTTP observer's queries (reference §3.3), for {@code gatewayapi:*} and kubernetes. */
  static List<String> httpQueries(String ns) {
    String pod =
        "kubernetes_namespace=\"%s\",kubernetes_pod_name=~\"%s-[0-9a-zA-Z]+(-[0-9a-zA-Z]+)\""
            .formatted(ns, NAME);
    String metric = "http_request_duration_seconds";
    return List.of(
        ratio(metric + "_count", pod + ",status!~\"5.*\"", pod), p99(metric + "_bucket", pod));
  }

  /** Linkerd's {@code response_total} and {@code response_latency_ms} (reference §3.3). */
  static List<String> linkerdQueries(String ns) {
    String sel = "namespace=\"%s\",deployment=~\"%s\"".formatted(ns, NAME);
    String inbound = ",direction=\"inbound\"";
    return List.of(
        ratio("response_total", sel + ",classification!=\"failure\"" + inbound, sel + inbound),
        p99("response_latency_ms_bucket", sel + inbound));
  }

  /**
   * ingress-nginx's requests and mean response duration of the canary traffic through {@code
   * ingress} (reference §3.3).
   */
  static List<String> nginxQueries(String ns, String ingress) {
    String sel = "namespace=\"%s\",ingress=\"%s\",canary!=\"\"".formatted(ns, ingress);
    String duration = "nginx_ingress_controller_response_duration_seconds";
    return List.of(
        ratio("nginx_ingress_controller_requests", sel + ",status!~\"5.*\"", sel),
        "sum(rate(%s_sum{%s}[1m]))/sum(rate(%s_count{%s}[1m]))*1000"
            .formatted(duration, sel, duration, sel));
  }

  /**
   * Envoy's upstream statistics of the Contour cluster {@code <ns>_<service>-canary_<port>}
   * (reference §3.3, with its trailing commas).
   */
  static List<String> contourQueries(String ns) {
    String sel = "envoy_cluster_name=~\"%s_%s-canary_[0-9a-zA-Z-]+\"".formatted(ns, NAME);
    return List.of(
        ratio("envoy_cluster_upstream_rq", sel + ",envoy_response_code!~\"5.*\"", sel + ","),
        p99("envoy_cluster_upstream_rq_time_bucket", sel + ","));
  }

  /** The percentage of {@code metric} matching {@code ok} among {@code all}, over 1m. */
  private static String ratio(String metric, String ok, String all) {
    return "sum(rate(%s{%s}[1m]))/sum(rate(%s{%s}[1m]))*100".formatted(metric, ok, metric, all);
  }

  /** The 99th percentile of the histogram {@code bucket} over 1m. */
  private static String p99(String bucket, String selector) {
    return "histogram_quantile(0.99,sum(rate(%s{%s}[1m]))by(le))".formatted(bucket, selector);
  }

  /**
   * Prometheus answering every query with one healthy sample: 1 for {@code vector(1)}, a 99.9 %
   * success rate, 25 ms of latency (0.025 s for the HTTP observer, whose query yields seconds; the
   * NGINX mean is already in ms).
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
            } else if (q.contains("histogram_quantile") || q.contains("_duration_seconds_sum")) {
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

  /** Waits until every Canary is in {@code phase}; fails at once when the controller exits. */
  private static void awaitPhase(
      KubernetesClient client, ControllerProcess controller, CanaryPhase phase) {
    await()
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              for (Run run : runs()) {
                assertInPhase(client, controller, run.namespace(), phase);
              }
            });
  }

  /** The controller still runs and the Canary {@value #NAME} in {@code ns} is in {@code phase}. */
  static void assertInPhase(
      KubernetesClient client, ControllerProcess controller, String ns, CanaryPhase phase) {
    assertInPhase(client, controller, ns, NAME, phase);
  }

  /** The controller still runs and the Canary {@code ns/name} is in {@code phase}. */
  static void assertInPhase(
      KubernetesClient client,
      ControllerProcess controller,
      String ns,
      String name,
      CanaryPhase phase) {
    assertThat(controller.alive())
        .as("controller exited; its log:\n%s", controller.logTail(60))
        .isTrue();
    Canary c = client.resources(Canary.class).inNamespace(ns).withName(name).get();
    assertThat(c.getStatus() == null ? null : c.getStatus().phase())
        .as("%s/%s phase; controller log:\n%s", ns, name, controller.logTail(20))
        .isEqualTo(phase);
  }

  /**
   * Plays the gateway controller: every HTTPRoute generation in {@link #GATEWAY}'s namespace gets
   * each of its parents {@code Accepted: True} for that generation in {@code status.parents}.
   */
  private static void acceptRoutes(KubernetesClient client, ExecutorService writer) {
    var routes = client.genericKubernetesResources(HTTP_ROUTES).inNamespace(GATEWAY.namespace());
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

  /**
   * The (primary, canary) weights of the {@code <ingress>-canary} Ingress: its {@code
   * canary-weight} annotation, the rest going to the primary; the source Ingress has none.
   */
  static List<Integer> ingressWeights(GenericKubernetesResource ingress) {
    Map<String, String> annotations = ingress.getMetadata().getAnnotations();
    String weight = annotations == null ? null : annotations.get(NGINX_WEIGHT);
    if (!(NAME + "-canary").equals(ingress.getMetadata().getName()) || weight == null) {
      return List.of();
    }
    int canary = Integer.parseInt(weight);
    return List.of(100 - canary, canary);
  }

  /** The (primary, canary) weights of the HTTPProxy's first route (a weight 0 is left out). */
  static List<Integer> proxyWeights(GenericKubernetesResource proxy) {
    List<Object> routes = list(map(proxy.getAdditionalProperties().get("spec")).get("routes"));
    return routes.isEmpty() ? List.of() : weights(list(map(routes.get(0)).get("services")), "name");
  }

  private static List<Integer> weights(List<Object> backends, String nameKey) {
    Integer primary = null;
    Integer canary = null;
    for (Object b : backends) {
      Map<String, Object> backend = map(b);
      Object name = backend.get(nameKey);
      Object w = backend.get("weight");
      int weight = w == null ? 0 : Integer.parseInt(String.valueOf(w));
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

  /** The Ingress the NGINX Canary's {@code ingressRef} names: one host routed to {@value #NAME}. */
  private static Ingress ingress(String ns) {
    String yaml =
        """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: %s, namespace: %s}
        spec:
          ingressClassName: nginx
          rules:
            - host: app.example.com
              http:
                paths:
                  - path: /
                    pathType: Prefix
                    backend:
                      service:
                        name: %s
                        port:
                          number: 9898
        """
            .formatted(NAME, ns, NAME);
    return JSON.unmarshal(yaml, Ingress.class);
  }

  /**
   * The Canary of {@code run} on {@value #NAME}: its provider, service and other spec fields, the
   * shortest interval and the two builtin metrics as Flagger's docs show them.
   */
  private static Canary canary(Run run) {
    String yaml =
        """
        apiVersion: flagger.app/v1beta1
        kind: Canary
        metadata:
          name: %s
          namespace: %s
        spec:
          provider: %s
        %s  targetRef:
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
            .formatted(
                NAME,
                run.namespace(),
                run.provider(),
                run.specYaml(),
                NAME,
                run.serviceYaml(),
                MAX_WEIGHT,
                STEP_WEIGHT);
    return JSON.unmarshal(yaml, Canary.class);
  }
}
