package app.flagger.sandbox.mesh;

import app.flagger.sandbox.kubelet.PodDirectory;
import app.flagger.sandbox.kubelet.PodProcess;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;

/**
 * Decides where a request goes: the VirtualService for its host (first matching HTTP route, a
 * destination drawn by weight, mirror drawn by percentage), else the Service of that name; then the
 * ready pods the Service's selector matches, or a service registered by name.
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

  private static final Logger LOG = Logger.getLogger(RouteTable.class.getName());

  private final KubernetesClient client;
  private final PodDirectory pods;
  private final RandomGenerator random;
  private final String defaultNamespace;
  private final Map<String, Endpoint> registered = new ConcurrentHashMap<>();
  private final Map<String, Parsed> views = new ConcurrentHashMap<>();
  private SharedIndexInformer<Service> services;
  private SharedIndexInformer<GenericKubernetesResource> virtualServices;
  private SharedIndexInformer<GenericKubernetesResource> virtualServicesV1;

  private record Parsed(String resourceVersion, VirtualServiceView view) {}

  public RouteTable(
      KubernetesClient client, PodDirectory pods, RandomGenerator random, String defaultNamespace) {
    this.client = client;
    this.pods = pods;
    this.random = random;
    this.defaultNamespace = defaultNamespace;
  }

  public RouteTable start() {
    services = client.services().inAnyNamespace().inform();
    virtualServices = client.genericKubernetesResources(VIRTUAL_SERVICE).inAnyNamespace().inform();
    virtualServicesV1 =
        client.genericKubernetesResources(VIRTUAL_SERVICE_V1).inAnyNamespace().inform();
    return this;
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

  public Routing resolve(String authority, MeshRequest request) throws MeshException {
    String bareHost =
        authority == null ? "" : authority.replaceFirst(":\\d+$", "").toLowerCase(Locale.ROOT);
    Optional<HostName> host = HostName.parse(authority, defaultNamespace);
    Optional<VirtualServiceView> vs = virtualServiceFor(bareHost, host);
    if (vs.isEmpty()) {
      if (host.isEmpty()) {
        throw new MeshException(
            404,
            "no route to host '"
                + authority
                + "': not <service>.<namespace> and no VirtualService lists it");
      }
      return new Routing(target(host.get()), null, null);
    }
    VirtualServiceView v = vs.get();
    HttpRoute route =
        v.http().stream()
            .filter(r -> r.matches(request))
            .findFirst()
            .orElseThrow(
                () ->
                    new MeshException(
                        404,
                        "no HTTP route of VirtualService "
                            + v.namespace()
                            + "/"
                            + v.name()
                            + " matches "
                            + request.method()
                            + " "
                            + request.path()));
    WeightedDestination chosen = pick(route.destinations(), v);
    Target target = target(destination(chosen.host(), v));
    Target mirror = null;
    if (route.mirrorHost() != null && chance(route.mirrorPercent())) {
      mirror = target(destination(route.mirrorHost(), v));
    }
    return new Routing(target, mirror, route.timeout());
  }

  private Optional<VirtualServiceView> virtualServiceFor(String bareHost, Optional<HostName> host) {
    List<VirtualServiceView> all =
        Stream.concat(
                virtualServices.getStore().list().stream(),
                virtualServicesV1.getStore().list().stream())
            .map(this::view)
            .filter(v -> v != null)
            .toList();
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

  private VirtualServiceView view(GenericKubernetesResource r) {
    String key =
        r.getApiVersion() + " " + r.getMetadata().getNamespace() + "/" + r.getMetadata().getName();
    String rv = String.valueOf(r.getMetadata().getResourceVersion());
    Parsed p = views.get(key);
    if (p != null && p.resourceVersion().equals(rv)) {
      return p.view();
    }
    VirtualServiceView view = null;
    try {
      view = VirtualServiceView.of(r);
    } catch (RuntimeException e) {
      LOG.warning("ignoring VirtualService " + key + ": " + e.getMessage());
    }
    views.put(key, new Parsed(rv, view));
    return view;
  }

  private WeightedDestination pick(List<WeightedDestination> destinations, VirtualServiceView v)
      throws MeshException {
    int total = destinations.stream().mapToInt(WeightedDestination::weight).sum();
    if (total <= 0) {
      throw new MeshException(
          503,
          "VirtualService "
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

  private HostName destination(String host, VirtualServiceView v) throws MeshException {
    return HostName.parse(host, v.namespace())
        .orElseThrow(
            () ->
                new MeshException(
                    503,
                    "destination host '"
                        + host
                        + "' of VirtualService "
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
    if (virtualServices != null) {
      virtualServices.close();
    }
    if (virtualServicesV1 != null) {
      virtualServicesV1.close();
    }
  }
}
