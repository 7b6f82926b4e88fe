package app.flagger.loadtester.support;

import app.flagger.model.support.MockServerShutdown;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * fabric8's CRUD mock API server that records every request it serves ({@code "GET
 * /api/v1/namespaces/x/configmaps/y"}, query included), so a test can tell how often the code under
 * test called the API.
 */
public final class CountingApiServer implements AutoCloseable {
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final KubernetesMockServer server;

  private CountingApiServer() {
    Dispatcher crud = new KubernetesCrudDispatcher();
    Dispatcher counting =
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            requests.add(request.getMethod() + " " + request.getPath());
            return crud.dispatch(request);
          }
        };
    server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), counting, false);
    server.init();
  }

  public static CountingApiServer start() {
    return new CountingApiServer();
  }

  /** A new client of this server; the caller closes it. */
  public KubernetesClient client() {
    return server.createClient();
  }

  /** Every request so far, in arrival order. */
  public List<String> requests() {
    return List.copyOf(requests);
  }

  /** How many requests so far start with {@code prefix} (e.g. {@code "GET /api/v1/"}). */
  public long count(String prefix) {
    return requests.stream().filter(r -> r.startsWith(prefix)).count();
  }

  @Override
  public void close() {
    MockServerShutdown.destroy(server::destroy);
  }
}
