package app.flagger.sandbox.mesh;

import app.flagger.sandbox.kubelet.PodDirectory;
import app.flagger.sandbox.kubelet.PodProcess;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import java.util.random.RandomGenerator;

/**
 * Decides where a request goes: the VirtualService, HTTPRoute, Ingress or TrafficSplit for its host
 * (first matching HTTP route, a destination drawn by weight, mirror drawn by percentage), else the
 * Service of that name; then the ready pods the Service's selector matches, or a service registered
 * by name.
 */
public final class RouteTable implements AutoCloseable {
  /** Istio's VirtualService, as Flagger writes it. */
  public static final ResourceDefinitionContext VIRTUAL_SERVICE =
      new ResourceDefinitionContext.Builder()
          .withGroup("networking.istio.io")
          .withVersion("v1beta1")
          .withKind("VirtualService")
          .withPlural("virtualservices")
          .withNamespaced(true)
          .build();

  /** The same kind under Istio's v1 API, which newer routers write. */
  public static final ResourceDefinitionContext VIRTUAL_SERVICE_V1 =
      new ResourceDefinitionContext.Builder()
          .withGroup("networking.istio.io")
          .withVersion("v1")
          .withKind("VirtualService")
          .withPlural("virtualservices")
          .withNamespaced(true)
          .build();

  /** Gateway API HTTPRoutes, as Flagger's gatewayapi:v1 router writes them. */
  public static final ResourceDefinitionContext HTTP_ROUTE = httpRoutes("v1");

  /** The same kind under v1beta1 (gatewayapi:v1beta1). */
  public static final ResourceDefinitionContext HTTP_ROUTE_V1BETA1 = httpRoutes("v1beta1");

  /** SMI TrafficSplits in the three versions Flagger writes (linkerd: v1alpha1). */
  public static final List<ResourceDefinitionContext> TRAFFIC_SPLITS =
      List.of(trafficSplits("v1alpha1"), trafficSplits("v1alpha2"), trafficSplits("v1alpha3"));

  private static ResourceDefinitionContext httpRoutes(String version) {
    return namespaced("gateway.networking.k8s.io", version, "HTTPRoute", "httproutes");
  }

  /** The TrafficSplit kind under {@code version}. */
  public static ResourceDefinitionContext trafficSplits(String version) {
    return namespaced("split.smi-spec.io", version, "TrafficSplit", "trafficsplits");
  }

  private static ResourceDefinitionContext namespaced(
      String group, String version, String kind, String plural) {
    return new ResourceDefinitionContext.Builder()
        .withGroup(group)
        .withVersion(version)
        .withKind(kind)
        .withPlural(plural)
        .withNamespaced(true)
        .build();
  }

  private static final Logger LOG = Logger.getLogger(RouteTable.class.getName());

  private final KubernetesClient client;
  private final PodDirectory pods;
  private final RandomGenerator random;
  private final String defaultNamespace;
  private final Map<String, Endpoint> registered = new ConcurrentHashMap<>();
  private final Map<String, Parsed> views = new ConcurrentHashMap<>();
  private SharedIndexInformer<Service> services;
  private final List<SharedIndexInformer<GenericKubernetesResource>> virtualServices =
      new ArrayList<>();
  private final List<SharedIndexInformer<GenericKubernetesResource>> httpRoutes = new ArrayList<>();
  private final List<SharedIndexInformer<GenericKubernetesResource>> trafficSplits =
      new ArrayList<>();
  private SharedIndexInformer<Ingress> ingresses;
  private final Map<String, ParsedIngress> ingressRules = new ConcurrentHashMap<>();

  private record ParsedIngress(String resourceVersion, IngressView.Rules rules) {}

  private record Parsed(String resourceVersion, RouteView view) {}

  public RouteTable(
      KubernetesClient client, PodDirectory pods, RandomGenerator random, String defaultNamespace) {
    this.client = client;
    this.pods = pods;
    this.random = random;
    this.defaultNamespace = defaultNamespace;
  }

  public RouteTable start() {
    services = client.services().inAnyNamespace().inform();
    for (ResourceDefinitionContext kind : List.of(VIRTUAL_SERVICE, VIRTUAL_SERVICE_V1)) {
      virtualServices.add(inform(kind));
    }
    for (ResourceDefinitionContext kind : List.of(HTTP_ROUTE, HTTP_ROUTE_V1BETA1)) {
      httpRoutes.add(inform(kind));
    }
    for (ResourceDefinitionContext kind : TRAFFIC_SPLITS) {
      trafficSplits.add(inform(kind));
    }
    ingresses = client.network().v1().ingresses().inAnyNamespace().inform();
    return this;
  }

  private SharedIndexInformer<GenericKubernetesResource> inform(ResourceDefinitionContext kind) {
    return client.genericKubernetesResources(kind).inAnyNamespace().inform();
  }

  /**
   * Makes {@code <name>.<namespace>} reach 127.0.0.1:{@code port} (a process outside the kubelet).
   */
  public void register(String name, String namespace, int port) {
    registered.put(namespace + "/" + name, new Endpoint(name, namespace, null, port));
  }

  /**
   * Whether {@code host} is a cluster name of this sandbox: {@code <service>.<namespace>} (or its
   * {@code .svc} forms) in a namespace that has a Service or a registered name.
   */
  public boolean isClusterName(String host) {
    if (host == null || !host.contains(".")) {
      return false;
    }
    Optional<HostName> h = HostName.parse(host, defaultNamespace);
    if (h.isEmpty()) {
      return false;
    }
    String ns = h.get().namespace();
    return registered.keySet().stream().anyMatch(k -> k.startsWith(ns + "/"))
        || (services != null
            && services.getStore().list().stream()
                .anyMatch(s -> ns.equals(s.getMetadata().getNamespace())));
  }

  /**
   * Where a request for {@code authority} goes: by the VirtualService for its host, else the
   * HTTPRoute that lists the host among its hostnames or is attached to its Service, else the
   * Ingresses whose rules name the host (with their canary Ingress, as ingress-nginx), else the
   * TrafficSplit of its Service, else straight to the Service.
   */
  public Routing resolve(String authority, MeshRequest request) throws MeshException {
    String bareHost =
        authority == null ? "" : authority.replaceFirst(":\\d+$", "").toLowerCase(Locale.ROOT);
    Optional<HostName> host = HostName.parse(authority, defaultNamespace);
    Optional<? extends RouteView> rules = virtualServiceFor(bareHost, host);
    if (rules.isEmpty()) {
      rules = httpRouteFor(bareHost, host);
    }
    if (rules.isEmpty()) {
      rules = ingressFor(bareHost);
    }
    if (rules.isEmpty() && host.isPresent()) {
      rules = trafficSplitFor(host.get());
    }
    if (rules.isEmpty()) {
      if (host.isEmpty()) {
        throw new MeshException(
            404,
            "no route to host '"
                + authority
                + "': not <service>.<namespace> and no VirtualService, HTTPRoute or Ingress"
                + " lists it");
      }
      return new Routing(target(host.get()), null, null);
    }
    RouteView v = rules.get();
    HttpRoute route =
        v.http().stream()
            .filter(r -> r.matches(request))
            .findFirst()
            .orElseThrow(
                () ->
                    new MeshException(
                        404,
                        "no HTTP route of "
                            + v.kind()
                            + " "
                            + v.namespace()
                            + "/"
                            + v.name()
                            + " matches "
                            + request.method()
                            + " "
                            + request.path()));
    WeightedDestination chosen = pick(route.destinations(), v);
    Target target = routed(chosen.host(), v);
    if (v instanceof IngressView ingress) {
      target = target.viaIngress(ingress.served(route, chosen.host()));
    }
    Target mirror = null;
    if (route.mirrorHost() != null && chance(route.mirrorPercent())) {
      mirror = routed(route.mirrorHost(), v);
    }
    return new Routing(target, mirror, route.timeout());
  }

  /** The target of a destination; a gateway reports it as Envoy cluster {@code ns_svc_port}. */
  private Target routed(String destination, RouteView v) throws MeshException {
    HostName h = destination(destination, v);
    Target t = target(h);
    if (!v.gateway()) {
      return t;
    }
    int colon = destination.lastIndexOf(':');
    String port = colon < 0 ? "80" : destination.substring(colon + 1);
    return t.inCluster(h.namespace() + "_" + h.service() + "_" + port);
  }

  private List<RouteView> views(List<SharedIndexInformer<GenericKubernetesResource>> informers) {
    return informers.stream()
        .flatMap(i -> i.getStore().list().stream())
        .map(this::view)
        .filter(v -> v != null)
        .toList();
  }

  private Optional<VirtualServiceView> virtualServiceFor(String bareHost, Optional<HostName> host) {
    List<VirtualServiceView> all =
        views(virtualServices).stream().map(VirtualServiceView.class::cast).toList();
    if (host.isPresent()) {
      HostName h = host.get();
      for (VirtualServiceView v : all) {
        if (v.namespace().equals(h.namespace())
            && v.appliesToMesh()
            && (v.hosts().contains(h.service())
                || v.hosts().contains(h.host())
                || v.hosts().contains(h.fqdn()))) {
          return Optional.of(v);
        }
      }
    }
    // a gateway host such as app.example.com
    return all.stream().filter(v -> v.hosts().contains(bareHost)).findFirst();
  }

  /**
   * The HTTPRoute attached to the Service the host names (Gateway API mesh routing), else one whose
   * hostnames list the host (a route of a Gateway, such as app.example.com).
   */
  private Optional<HttpRouteView> httpRouteFor(String bareHost, Optional<HostName> host) {
    List<HttpRouteView> all = views(httpRoutes).stream().map(HttpRouteView.class::cast).toList();
    if (host.isPresent()) {
      for (HttpRouteView r : all) {
        if (r.attachedTo(host.get())) {
          return Optional.of(r);
        }
      }
    }
    return all.stream().filter(r -> r.servesHostname(bareHost)).findFirst();
  }

  /** The Ingresses serving {@code bareHost}, with their canary Ingresses, as ingress-nginx. */
  private Optional<IngressView> ingressFor(String bareHost) {
    if (ingresses == null) {
      return Optional.empty();
    }
    List<IngressView.Rules> all =
        ingresses.getStore().list().stream()
            .sorted(
                Comparator.comparing((Ingress i) -> i.getMetadata().getNamespace())
                    .thenComparing(i -> i.getMetadata().getName()))
            .map(this::ingressRules)
            .filter(r -> r != null)
            .toList();
    return IngressView.forHost(bareHost, all);
  }

  private IngressView.Rules ingressRules(Ingress i) {
    String key = i.getMetadata().getNamespace() + "/" + i.getMetadata().getName();
    String rv = String.valueOf(i.getMetadata().getResourceVersion());
    ParsedIngress p = ingressRules.get(key);
    if (p != null && p.resourceVersion().equals(rv)) {
      return p.rules();
    }
    IngressView.Rules rules = null;
    try {
      rules = IngressView.Rules.of(i);
    } catch (RuntimeException e) {
      LOG.warning("ignoring Ingress " + key + ": " + e.getMessage());
    }
    ingressRules.put(key, new ParsedIngress(rv, rules));
    return rules;
  }

  private Optional<TrafficSplitView> trafficSplitFor(HostName host) {
    return views(trafficSplits).stream()
        .map(TrafficSplitView.class::cast)
        .filter(t -> t.splits(host))
        .findFirst();
  }

  private RouteView view(GenericKubernetesResource r) {
    String key =
        r.getApiVersion()
            + " "
            + r.getKind()
            + " "
            + r.getMetadata().getNamespace()
            + "/"
            + r.getMetadata().getName();
    String rv = String.valueOf(r.getMetadata().getResourceVersion());
    Parsed p = views.get(key);
    if (p != null && p.resourceVersion().equals(rv)) {
      return p.view();
    }
    RouteView view = null;
    try {
      view =
          switch (r.getKind()) {
            case "HTTPRoute" -> HttpRouteView.of(r);
            case "TrafficSplit" -> TrafficSplitView.of(r);
            default -> VirtualServiceView.of(r);
          };
    } catch (RuntimeException e) {
      LOG.warning("ignoring " + key + ": " + e.getMessage());
    }
    views.put(key, new Parsed(rv, view));
    return view;
  }

  private WeightedDestination pick(List<WeightedDestination> destinations, RouteView v)
      throws MeshException {
    int total = destinations.stream().mapToInt(WeightedDestination::weight).sum();
    if (total <= 0) {
      throw new MeshException(
          503,
          v.kind()
              + " "
              + v.namespace()
              + "/"
              + v.name()
              + " has no destination with a weight above 0");
    }
    int draw;
    synchronized (random) {
      draw = random.nextInt(total);
    }
    for (WeightedDestination d : destinations) {
      draw -= d.weight();
      if (draw < 0) {
        return d;
      }
    }
    return destinations.getLast();
  }

  private boolean chance(double percent) {
    synchronized (random) {
      return random.nextDouble() * 100 < percent;
    }
  }

  private HostName destination(String host, RouteView v) throws MeshException {
    return HostName.parse(host, v.namespace())
        .orElseThrow(
            () ->
                new MeshException(
                    503,
                    "destination host '"
                        + host
                        + "' of "
                        + v.kind()
                        + " "
                        + v.namespace()
                        + "/"
                        + v.name()
                        + " is not <service>[.<namespace>]"));
  }

  private Target target(HostName h) throws MeshException {
    Endpoint fixed = registered.get(h.namespace() + "/" + h.service());
    if (fixed != null) {
      return new Target(h, List.of(fixed));
    }
    Service svc = services.getIndexer().getByKey(h.namespace() + "/" + h.service());
    if (svc == null) {
      throw new MeshException(
          404,
          "no route to host '"
              + h.host()
              + "': no Service "
              + h.service()
              + " in namespace "
              + h.namespace());
    }
    Map<String, String> selector = svc.getSpec() == null ? null : svc.getSpec().getSelector();
    if (selector == null || selector.isEmpty()) {
      return new Target(h, List.of());
    }
    List<Endpoint> endpoints =
        pods.pods().stream()
            .filter(p -> p.ready() && p.port().isPresent() && p.namespace().equals(h.namespace()))
            .filter(p -> p.labels().entrySet().containsAll(selector.entrySet()))
            .sorted(Comparator.comparing(PodProcess::name))
            .map(p -> new Endpoint(p.workload(), p.namespace(), p.name(), p.port().getAsInt()))
            .toList();
    return new Target(h, endpoints);
  }

  @Override
  public void close() {
    if (services != null) {
      services.close();
    }
    if (ingresses != null) {
      ingresses.close();
    }
    for (var kinds : List.of(virtualServices, httpRoutes, trafficSplits)) {
      kinds.forEach(SharedIndexInformer::close);
    }
  }
}
