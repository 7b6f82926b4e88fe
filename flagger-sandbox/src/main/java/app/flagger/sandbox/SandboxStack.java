package app.flagger.sandbox;

import app.flagger.controller.events.EventSink;
import app.flagger.sandbox.loadtester.LoadTesterProcess;
import app.flagger.sandbox.mesh.Source;
import app.flagger.sandbox.prometheus.SandboxPrometheus;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * The sandbox with Flagger's services in it: the {@link Sandbox} (API, kubelet, mesh, Prometheus),
 * the event-webhook receiver, the load tester (a process of its own, reachable as {@code
 * http://flagger-loadtester.<namespace>/}, scraped as job {@code flagger-loadtester}) and the
 * embedded controller (scraped as job {@code flagger}, its event webhook pointed at the receiver).
 * Started in that order, stopped in reverse.
 */
public final class SandboxStack implements AutoCloseable {
  /** The load tester's workload name, Istio's {@code source_workload} of the traffic it sends. */
  public static final String LOADTESTER = "flagger-loadtester";

  /**
   * The namespaces {@link #loadTesterIn} may register the load tester in: the controller sends the
   * load tester's token to {@code http://flagger-loadtester.<namespace>/} of these only, as a
   * cluster's controller sends it to the URLs of {@code flagger.webhook-auth.urls}.
   */
  public static final List<String> LOADTESTER_NAMESPACES =
      List.of("test", "bluegreen", "ab", "gatewayapi", "linkerd", "nginx", "nginx-ab", "judge");

  private final Sandbox sandbox;
  private final EventReceiver receiver;
  private final LoadTesterProcess loadTester;
  private final EmbeddedController controller;
  private final List<UserTraffic> users = new CopyOnWriteArrayList<>();
  private boolean closed;

  private SandboxStack(
      Sandbox sandbox,
      EventReceiver receiver,
      LoadTesterProcess loadTester,
      EmbeddedController controller) {
    this.sandbox = sandbox;
    this.receiver = receiver;
    this.loadTester = loadTester;
    this.controller = controller;
  }

  /**
   * Starts everything.
   *
   * @param controllerSettings {@code flagger.*} keys on top of the sandbox's
   * @param sinks extra event sinks of the controller
   */
  public static SandboxStack start(
      Sandbox.Options options,
      Map<String, String> controllerSettings,
      List<EventSink> sinks,
      Clock clock)
      throws IOException {
    List<AutoCloseable> started = new ArrayList<>();
    try {
      Sandbox sandbox = Sandbox.start(options, clock);
      started.add(sandbox);
      EventReceiver receiver = EventReceiver.start();
      started.add(receiver);
      LoadTesterProcess loadTester =
          LoadTesterProcess.start(
              sandbox.mesh().addressFor(new Source(LOADTESTER, "test")),
              options.workDir(),
              clock,
              Duration.ofSeconds(90));
      started.add(loadTester);
      sandbox.expose(LOADTESTER, "test", loadTester.port(), "/metrics");
      String metricsServer =
          sandbox.prometheus().map(SandboxPrometheus::url).orElse("http://127.0.0.1:9");
      Map<String, String> settings = new HashMap<>(webhookAuth(loadTester));
      settings.putAll(controllerSettings);
      EmbeddedController controller =
          EmbeddedController.start(
              sandbox.api().client(), metricsServer, receiver.url(), settings, sinks, clock);
      started.add(controller);
      sandbox.expose("flagger", "flagger-system", controller.port(), "/metrics");
      return new SandboxStack(sandbox, receiver, loadTester, controller);
    } catch (IOException | RuntimeException e) {
      for (AutoCloseable c : started.reversed()) {
        closeQuietly(c);
      }
      throw e;
    }
  }

  public Sandbox sandbox() {
    return sandbox;
  }

  public EventReceiver events() {
    return receiver;
  }

  public LoadTesterProcess loadTester() {
    return loadTester;
  }

  public EmbeddedController controller() {
    return controller;
  }

  /**
   * Makes the load tester reachable as {@code http://flagger-loadtester.<namespace>/} too.
   *
   * @throws IllegalArgumentException when {@code namespace} is not one of {@link
   *     #LOADTESTER_NAMESPACES}: the controller would not send the token there
   */
  public void loadTesterIn(String namespace) {
    sandbox.mesh().register(LOADTESTER, webhookAuthNamespace(namespace), loadTester.port());
  }

  /**
   * {@code namespace}, when the controller sends the load tester's token there.
   *
   * @throws IllegalArgumentException otherwise
   */
  public static String webhookAuthNamespace(String namespace) {
    if (!LOADTESTER_NAMESPACES.contains(namespace)) {
      throw new IllegalArgumentException(
          "namespace "
              + namespace
              + ": the controller sends the load tester's token to flagger-loadtester."
              + String.join("|", LOADTESTER_NAMESPACES)
              + " only; add it to SandboxStack.LOADTESTER_NAMESPACES");
    }
    return namespace;
  }

  /** The controller's {@code flagger.webhook-auth.*}: the load tester's token and its names. */
  public static Map<String, String> webhookAuth(LoadTesterProcess loadTester) {
    return Map.of(
        "flagger.webhook-auth.token-file",
        loadTester.tokenFile().toString(),
        "flagger.webhook-auth.urls",
        LOADTESTER_NAMESPACES.stream()
            .map(ns -> LOADTESTER + "." + ns)
            .collect(Collectors.joining(",")));
  }

  /**
   * Sends {@code perSecond} requests a second to {@code url} (e.g. {@code
   * http://podinfo.test:9898/}) until the stack closes, as users outside the mesh.
   */
  public UserTraffic userTraffic(String url, int perSecond) {
    UserTraffic t = UserTraffic.start(sandbox.mesh().proxySelector(), url, perSecond);
    users.add(t);
    return t;
  }

  /** The user traffic started so far. */
  public List<UserTraffic> users() {
    return List.copyOf(users);
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    users.forEach(SandboxStack::closeQuietly);
    closeQuietly(controller);
    closeQuietly(loadTester);
    closeQuietly(receiver);
    closeQuietly(sandbox);
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // keep stopping the rest
    }
  }
}
