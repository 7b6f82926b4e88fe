package app.flagger.sandbox.mesh;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;

/**
 * The mesh as callers without a proxy setting see it: for each caller, a loopback address of its
 * own (127.a.b.c) on which the mesh listens on the service ports (80, 9898, ...). A cluster name
 * resolves to that address, so {@code http://podinfo-canary.test:9898/} reaches the mesh, which
 * routes by the {@code Host} header; the address tells which workload called, Istio's {@code
 * source_workload}.
 */
final class ServiceListeners implements AutoCloseable {
  private final MeshHandler handler;
  private final ExecutorService workers;
  private final List<Integer> ports;
  private final List<HttpServer> servers = new ArrayList<>();
  private final int a;
  private final int b;
  private int next = 1;

  /**
   * @param seed picks the 127.a.b.0/24 block, so sandboxes running at once keep apart
   */
  ServiceListeners(MeshHandler handler, ExecutorService workers, List<Integer> ports, long seed) {
    this.handler = handler;
    this.workers = workers;
    this.ports = List.copyOf(ports);
    long s = Math.floorMod(seed, 200L * 250L);
    this.a = 20 + (int) (s / 250);
    this.b = 1 + (int) (s % 250);
  }

  /**
   * Opens the service ports on a fresh loopback address; requests there count as coming from {@code
   * source} (null: an unnamed caller).
   *
   * @throws IOException when no address could bind every port (ports below 1024 need root or {@code
   *     net.ipv4.ip_unprivileged_port_start})
   */
  synchronized InetAddress open(Source source) throws IOException {
    IOException last = null;
    for (int attempt = 0; attempt < 20 && next < 255; attempt++) {
      InetAddress address =
          InetAddress.getByAddress(new byte[] {127, (byte) a, (byte) b, (byte) next++});
      List<HttpServer> opened = new ArrayList<>();
      try {
        for (int port : ports) {
          HttpServer s = HttpServer.create(new InetSocketAddress(address, port), 256);
          s.setExecutor(workers);
          s.createContext("/", ex -> handler.handle(ex, source));
          opened.add(s);
        }
        opened.forEach(HttpServer::start);
        servers.addAll(opened);
        return address;
      } catch (BindException e) {
        opened.forEach(s -> s.stop(0));
        last = e;
      }
    }
    throw new IOException(
        "the mesh could not listen on ports "
            + ports
            + " of a 127.x.y.z address (ports below 1024 need root, or sysctl"
            + " net.ipv4.ip_unprivileged_port_start=80)",
        last);
  }

  List<Integer> ports() {
    return ports;
  }

  @Override
  public synchronized void close() {
    servers.forEach(s -> s.stop(0));
    servers.clear();
  }
}
