package app.flagger.sandbox.mesh;

import app.flagger.sandbox.kubelet.PodDirectory;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Serves every request that reaches the mesh front. Requests for the mesh itself (Host 127.0.0.1 or
 * localhost on the mesh's port) get {@code /metrics} and {@code /healthz}; requests in absolute
 * form for another loopback port are passed through as a plain forward proxy; everything else is
 * routed by host name ({@link RouteTable}) to one of the target's endpoints in turn, optionally
 * mirrored, and counted in the telemetry.
 */
final class MeshHandler implements HttpHandler {
  /** Request header naming the calling workload, Istio's {@code source_workload}. */
  static final String SOURCE_WORKLOAD = "x-sandbox-source-workload";

  /** Request header naming the calling workload's namespace. */
  static final String SOURCE_NAMESPACE = "x-sandbox-source-namespace";

  private final RouteTable routes;
  private final MeshTelemetry telemetry;
  private final PodDirectory pods;
  private final Upstream upstream;
  private final LongSupplier nanoTime;
  private final Map<String, AtomicInteger> turns = new ConcurrentHashMap<>();
  private volatile int ownPort;

  MeshHandler(
      RouteTable routes,
      MeshTelemetry telemetry,
      PodDirectory pods,
      Upstream upstream,
      LongSupplier nanoTime) {
    this.routes = routes;
    this.telemetry = telemetry;
    this.pods = pods;
    this.upstream = upstream;
    this.nanoTime = nanoTime;
  }

  void ownPort(int port) {
    this.ownPort = port;
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    handle(ex, null);
  }

  /**
   * Serves a request that came in on a workload's own listener: unless it names its source with the
   * headers, it is counted as coming from {@code source}.
   */
  void handle(HttpExchange ex, Source source) throws IOException {
    try (ex) {
      byte[] body = ex.getRequestBody().readAllBytes();
      String method = ex.getRequestMethod();
      URI uri = ex.getRequestURI();
      String authority =
          uri.isAbsolute() ? uri.getRawAuthority() : ex.getRequestHeaders().getFirst("Host");
      String pathAndQuery =
          (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
              + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
      if ("CONNECT".equals(method)) {
        text(ex, 405, "the sandbox mesh proxies plain http:// only");
        return;
      }
      int loopbackPort = loopbackPort(authority);
      if (loopbackPort == ownPort || loopbackPort == 0) {
        self(ex, uri.getPath());
        return;
      }
      if (loopbackPort > 0) {
        Upstream.Answer a =
            upstream.send(loopbackPort, method, pathAndQuery, headers(ex), body, null).join();
        reply(ex, a.status(), a.body(), a.headers());
        return;
      }
      try {
        route(ex, source, authority, method, uri.getPath(), pathAndQuery, body);
      } catch (RuntimeException e) {
        // a bug or an object the mesh cannot read: answer rather than drop the connection
        text(ex, 500, "sandbox mesh failed to route " + authority + pathAndQuery + ": " + e);
      }
    }
  }

  private void route(
      HttpExchange ex,
      Source source,
      String authority,
      String method,
      String path,
      String pathAndQuery,
      byte[] body)
      throws IOException {
    Map<String, List<String>> headers = headers(ex);
    if (source != null && !ex.getRequestHeaders().containsKey(SOURCE_WORKLOAD)) {
      headers = new HashMap<>(headers);
      headers.put(SOURCE_WORKLOAD, List.of(source.workload()));
      headers.put(SOURCE_NAMESPACE, List.of(source.namespace()));
    }
    int q = pathAndQuery.indexOf('?');
    MeshRequest request =
        new MeshRequest(
            method, path == null ? "/" : path, q < 0 ? "" : pathAndQuery.substring(q + 1), headers);
    Routing routing;
    try {
      routing = routes.resolve(authority, request);
    } catch (MeshException e) {
      text(ex, e.status(), e.getMessage());
      return;
    }
    Endpoint endpoint = next(routing.target());
    if (endpoint == null) {
      text(ex, 503, "no healthy upstream");
      return;
    }
    if (routing.mirror() != null) {
      Endpoint shadow = next(routing.mirror());
      if (shadow != null) {
        forward(routing.mirror(), shadow, request, pathAndQuery, body, routing.timeout());
      }
    }
    Upstream.Answer a =
        forward(routing.target(), endpoint, request, pathAndQuery, body, routing.timeout()).join();
    reply(ex, a.status(), a.body(), a.headers());
  }

  private CompletableFuture<Upstream.Answer> forward(
      Target target,
      Endpoint endpoint,
      MeshRequest request,
      String pathAndQuery,
      byte[] body,
      Duration timeout) {
    long start = nanoTime.getAsLong();
    return upstream
        .send(endpoint.port(), request.method(), pathAndQuery, request.headers(), body, timeout)
        .thenApply(
            a -> {
              double millis = (nanoTime.getAsLong() - start) / 1_000_000.0;
              record(target, endpoint, request, a.status(), millis);
              if (endpoint.pod() != null) {
                telemetry.bytes(endpoint.pod(), a.sentBytes(), a.receivedBytes());
              }
              return a;
            });
  }

  private void record(
      Target target, Endpoint endpoint, MeshRequest request, int status, double millis) {
    String source = orUnknown(request.header(SOURCE_WORKLOAD));
    String sourceNs = orUnknown(request.header(SOURCE_NAMESPACE));
    HostName svc = target.service();
    telemetry.request(
        new RequestSeries(
            "destination",
            source,
            sourceNs,
            endpoint.workload(),
            endpoint.namespace(),
            svc.fqdn(),
            svc.service(),
            status),
        millis);
    if (endpoint.pod() != null) {
      telemetry.inbound(
          new InboundSeries(
              endpoint.namespace(),
              endpoint.workload(),
              endpoint.pod(),
              status,
              !"unknown".equals(source)),
          millis);
    }
    if (target.envoyCluster() != null) {
      telemetry.upstream(new ClusterSeries(target.envoyCluster(), status), millis);
    }
    if (target.ingress() != null) {
      telemetry.ingress(new IngressSeries(target.ingress(), request.method(), status), millis);
    }
    if (!"unknown".equals(source)) {
      telemetry.request(
          new RequestSeries(
              "source",
              source,
              sourceNs,
              endpoint.workload(),
              endpoint.namespace(),
              svc.fqdn(),
              svc.service(),
              status),
          millis);
    }
  }

  private Endpoint next(Target target) {
    List<Endpoint> endpoints = target.endpoints();
    if (endpoints.isEmpty()) {
      return null;
    }
    int turn =
        turns.computeIfAbsent(target.service().fqdn(), k -> new AtomicInteger()).getAndIncrement();
    return endpoints.get(Math.floorMod(turn, endpoints.size()));
  }

  private void self(HttpExchange ex, String path) throws IOException {
    switch (path == null ? "/" : path) {
      case "/metrics" ->
          reply(
              ex,
              200,
              telemetry.render(pods.pods()).getBytes(StandardCharsets.UTF_8),
              Map.of("content-type", List.of("text/plain; version=0.0.4; charset=utf-8")));
      case "/healthz", "/readyz" -> text(ex, 200, "ok");
      default ->
          text(
              ex,
              404,
              "sandbox mesh: /metrics, /healthz; route to a service with Host: <service>.<namespace>");
    }
  }

  /**
   * The port of a loopback authority (127.0.0.1, localhost, [::1]): 0 for none given or for the
   * mesh itself without a port, -1 when the authority is not loopback.
   */
  static int loopbackPort(String authority) {
    if (authority == null || authority.isBlank()) {
      return 0;
    }
    String a = authority.strip().toLowerCase(Locale.ROOT);
    int colon = a.lastIndexOf(':');
    String host = colon > a.lastIndexOf(']') && colon >= 0 ? a.substring(0, colon) : a;
    if (!host.equals("127.0.0.1") && !host.equals("localhost") && !host.equals("[::1]")) {
      return -1;
    }
    if (colon <= a.lastIndexOf(']') || colon < 0) {
      return 0;
    }
    try {
      return Integer.parseInt(a.substring(colon + 1));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static Map<String, List<String>> headers(HttpExchange ex) {
    return Map.copyOf(ex.getRequestHeaders());
  }

  private static String orUnknown(String v) {
    return v == null || v.isBlank() ? "unknown" : v;
  }

  private static void text(HttpExchange ex, int status, String text) throws IOException {
    reply(
        ex,
        status,
        text.getBytes(StandardCharsets.UTF_8),
        Map.of("content-type", List.of("text/plain; charset=utf-8")));
  }

  private static void reply(
      HttpExchange ex, int status, byte[] body, Map<String, List<String>> headers)
      throws IOException {
    headers.forEach(
        (k, v) -> {
          if (!Upstream.HOP_BY_HOP.contains(k.toLowerCase(Locale.ROOT)) && !k.startsWith(":")) {
            ex.getResponseHeaders().put(k, v);
          }
        });
    boolean empty =
        body.length == 0 || status == 204 || status == 304 || "HEAD".equals(ex.getRequestMethod());
    ex.sendResponseHeaders(status, empty ? -1 : body.length);
    if (!empty) {
      ex.getResponseBody().write(body);
    }
  }
}
