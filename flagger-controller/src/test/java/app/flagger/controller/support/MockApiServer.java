package app.flagger.controller.support;

import app.flagger.model.support.MockServerShutdown;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.util.HashMap;

/**
 * fabric8's mock API server in CRUD mode behind a {@link FaultInjectingDispatcher}, for tests that
 * fail or hold requests and build their own client on it.
 */
public final class MockApiServer implements AutoCloseable {
  private final FaultInjectingDispatcher api =
      new FaultInjectingDispatcher(new KubernetesCrudDispatcher());
  private final KubernetesMockServer server =
      new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), api, false);

  private MockApiServer() {
    server.init();
  }

  public static MockApiServer start() {
    return new MockApiServer();
  }

  /** Injects faults, holds requests and counts them. */
  public FaultInjectingDispatcher api() {
    return api;
  }

  /**
   * The server's client configuration with {@code retries} retries 1 ms apart and a request timeout
   * of 120 s, so a request the test holds for up to 60 s is not given up.
   */
  public Config config(int retries) {
    try (KubernetesClient plain = server.createClient()) {
      return new ConfigBuilder(plain.getConfiguration())
          .withRequestRetryBackoffLimit(retries)
          .withRequestRetryBackoffInterval(1)
          .withRequestTimeout(120_000)
          .build();
    }
  }

  /** Stops the server (a slow close is reported, not thrown: see {@link MockServerShutdown}). */
  @Override
  public void close() {
    MockServerShutdown.destroy(server::destroy);
  }
}
