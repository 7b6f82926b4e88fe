package app.flagger.sandbox.mesh;

import app.flagger.sandbox.kubelet.PodDirectory;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * The sandbox's mesh: one HTTP front on a loopback port. Send it a request with {@code Host:
 * <service>.<namespace>[:port]}, or use it as an HTTP proxy ({@code GET
 * http://podinfo-canary.test:9898/ HTTP/1.1}), and it routes the request like Istio's sidecars
 * would; {@code http://127.0.0.1:<port>/metrics} serves the telemetry.
 *
 * <p>The JDK's HTTP server is used rather than Helidon's because it takes requests in absolute form
 * (forward-proxy requests) as they come, and the mesh needs nothing else from a framework.
 */
public final class SandboxMesh implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService workers;
  private final RouteTable routes;
  private final MeshTelemetry telemetry;
  private final Upstream upstream;
  private final MeshHandler handler;
  private ServiceListeners listeners;
  private InetAddress serviceAddress;

  private SandboxMesh(
      HttpServer server,
      ExecutorService workers,
      RouteTable routes,
      MeshTelemetry telemetry,
      Upstream upstream,
      MeshHandler handler) {
    this.handler = handler;
    this.server = server;
    this.workers = workers;
    this.routes = routes;
    this.telemetry = telemetry;
    this.upstream = upstream;
  }

  /**
   * Starts the mesh on 127.0.0.1:{@code port} (0 picks a free one).
   *
   * @param random draws weighted destinations and mirror percentages
   * @param nanoTime the monotonic clock request durations are measured with
   */
  public static SandboxMesh start(
      KubernetesClient client,
      PodDirectory pods,
      int port,
      RandomGenerator random,
      LongSupplier nanoTime)
      throws IOException {
    // TCP_NODELAY for the JDK server (read once, when its first server starts): it writes headers
    // and body apart, and Nagle's algorithm with delayed ACKs would add ~40 ms per response
    System.getProperties().putIfAbsent("sun.net.httpserver.nodelay", "true");
    RouteTable routes = new RouteTable(client, pods, random, "default").start();
    MeshTelemetry telemetry = new MeshTelemetry();
    Upstream upstream = new Upstream();
    MeshHandler handler = new MeshHandler(routes, telemetry, pods, upstream, nanoTime);
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
    ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(workers);
    server.createContext("/", handler);
    server.start();
    handler.ownPort(server.getAddress().getPort());
    return new SandboxMesh(server, workers, routes, telemetry, upstream, handler);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The mesh front, e.g. {@code http://127.0.0.1:41234}. */
  public String url() {
    return "http://127.0.0.1:" + port();
  }

  /** Where Prometheus scrapes the mesh's telemetry. */
  public String metricsUrl() {
    return url() + "/metrics";
  }

  /** Makes {@code http://<name>.<namespace>/} reach a process on 127.0.0.1:{@code port}. */
  public void register(String name, String namespace, int port) {
    routes.register(name, namespace, port);
  }

  /**
   * Opens the service ports on a loopback address of the mesh's own, so that callers which resolve
   * cluster names to it ({@link #serviceAddress()}) reach services without a proxy setting.
   *
   * @param seed picks the 127.a.b.0/24 block
   * @return the address cluster names resolve to
   */
  public synchronized InetAddress openServicePorts(List<Integer> ports, long seed)
      throws IOException {
    if (listeners != null) {
      throw new IllegalStateException("service ports are already open on " + serviceAddress);
    }
    listeners = new ServiceListeners(handler, workers, ports, seed);
    serviceAddress = listeners.open(null);
    return serviceAddress;
  }

  /** The loopback address cluster names resolve to (after {@link #openServicePorts}). */
  public synchronized InetAddress serviceAddress() {
    if (serviceAddress == null) {
      throw new IllegalStateException("the mesh's service ports are not open");
    }
    return serviceAddress;
  }

  /**
   * A loopback address of a caller's own, with the service ports open: requests arriving there are
   * reported with {@code source} as Istio's source workload (both reporters).
   */
  public synchronized InetAddress addressFor(Source source) throws IOException {
    if (listeners == null) {
      throw new IllegalStateException("the mesh's service ports are not open");
    }
    return listeners.open(source);
  }

  /** Whether {@code host} is a cluster name of this sandbox (for the name resolver). */
  public boolean isClusterName(String host) {
    return routes.isClusterName(host);
  }

  public MeshTelemetry telemetry() {
    return telemetry;
  }

  /**
   * A proxy selector for JDK HTTP clients inside the sandbox: cluster names go through the mesh,
   * loopback addresses go direct. Use it as {@code
   * HttpClient.newBuilder().proxy(mesh.proxySelector())}.
   */
  public ProxySelector proxySelector() {
    Proxy viaMesh = new Proxy(Proxy.Type.HTTP, new InetSocketAddress("127.0.0.1", port()));
    return new ProxySelector() {
      @Override
      public List<Proxy> select(URI uri) {
        return MeshHandler.loopbackPort(uri.getAuthority()) >= 0
            ? List.of(Proxy.NO_PROXY)
            : List.of(viaMesh);
      }

      @Override
      public void connectFailed(URI uri, SocketAddress sa, IOException e) {}
    };
  }

  /**
   * The JVM system properties that send {@code java.net.URL} and Helidon's WebClient (with a system
   * proxy) through the mesh, keeping loopback direct.
   */
  public Map<String, String> proxySystemProperties() {
    return Map.of(
        "http.proxyHost", "127.0.0.1",
        "http.proxyPort", Integer.toString(port()),
        "http.nonProxyHosts", "localhost|127.*|[::1]");
  }

  /** The environment that sends curl, hey and other tools through the mesh. */
  public Map<String, String> proxyEnvironment() {
    return Map.of(
        "http_proxy",
        url(),
        "HTTP_PROXY",
        url(),
        "no_proxy",
        "localhost,127.0.0.1",
        "NO_PROXY",
        "localhost,127.0.0.1");
  }

  @Override
  public void close() {
    synchronized (this) {
      if (listeners != null) {
        listeners.close();
      }
    }
    server.stop(0);
    workers.shutdownNow();
    routes.close();
    upstream.close();
  }
}
