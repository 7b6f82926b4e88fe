package app.flagger.loadtester;

import app.flagger.loadtester.curl.CurlClient;
import app.flagger.loadtester.gate.ConfigMapGateStore;
import app.flagger.loadtester.gate.GateService;
import app.flagger.loadtester.gate.GateStore;
import app.flagger.loadtester.gate.InMemoryGateStore;
import app.flagger.loadtester.load.DestinationPolicy;
import app.flagger.loadtester.load.LoadGenerator;
import app.flagger.loadtester.load.LoadGuard;
import app.flagger.loadtester.load.LoadLimits;
import app.flagger.loadtester.task.CommandPolicy;
import app.flagger.loadtester.task.IntegrationRunner;
import app.flagger.loadtester.task.LoadMetrics;
import app.flagger.loadtester.task.ProcessCommandExecutor;
import app.flagger.loadtester.task.TaskExecutor;
import app.flagger.loadtester.task.TaskFactory;
import app.flagger.loadtester.task.TaskRunner;
import app.flagger.loadtester.task.TaskService;
import app.flagger.model.logging.JsonLogging;
import app.flagger.model.metrics.FlaggerMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.helidon.config.Config;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.service.registry.Services;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.logging.Logger;

/** Composition root of the load tester ({@code cmd/loadtester/main.go}). */
public final class Main {
  static final String VERSION = "0.1.0";
  private static final Logger LOG = Logger.getLogger(Main.class.getName());
  private static final String SA_NAMESPACE =
      "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

  private Main() {}

  public static void main(String[] args) {
    // first: every line the process writes, libraries' included, is one JSON object
    JsonLogging.install(Main.class);
    Running running;
    try {
      running = start(Config.create(), Clock.systemUTC());
    } catch (IllegalArgumentException e) {
      LOG.severe(e.getMessage());
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(running::close));
  }

  /**
   * Reads the {@code loadtester} and {@code server} sections of {@code config}, starts the gate
   * store and the web server, and logs how it runs.
   *
   * @throws IllegalArgumentException naming the setting when the configuration is wrong, and when
   *     no token is configured and {@code loadtester.auth.disabled} is not set
   */
  public static Running start(Config config, Clock clock) {
    LoadTesterConfig ltc = LoadTesterConfig.from(config.get("loadtester"));
    ltc.requireAuthentication();
    KubernetesClient kube =
        ltc.gateStore().equals("configmap") ? new KubernetesClientBuilder().build() : null;
    GateStore gates;
    try {
      gates =
          kube == null
              ? new InMemoryGateStore(ltc.maxGates())
              : ConfigMapGateStore.start(
                  kube, gateNamespace(ltc, kube), ltc.gateConfigMap(), clock, ltc.maxGates());
    } catch (KubernetesClientException e) {
      kube.close();
      throw new IllegalArgumentException(
          "loadtester.gates: cannot watch the gate ConfigMap "
              + ltc.gateConfigMap()
              + " (the Role needs get, list, watch and update on it): "
              + e.getMessage(),
          e);
    }
    AtomicInteger port = new AtomicInteger(config.get("server.port").asInt().orElse(8080));
    TaskRunner runner = runner(ltc, new LoadMetrics(lazyRegistry()), port::get);
    LoadTesterDeps deps = new LoadTesterDeps(ltc, gates, factory(ltc, port::get), runner);
    WebServer server =
        WebServer.builder().config(config.get("server")).routing(r -> routing(r, deps)).build();
    server.start();
    port.set(server.port());
    authDisabledGauge(Services.get(MeterRegistry.class), ltc.authDisabled());
    if (ltc.authDisabled()) {
      LOG.warning(
          "authentication is disabled (loadtester.auth.disabled is true): anyone who can reach this"
              + " service can run tasks and open or close gates");
    }
    LOG.info("Starting load tester v" + VERSION + " API on port " + server.port());
    return new Running(server, runner, gates, kube);
  }

  /** A started load tester; {@link #close()} stops it. */
  public static final class Running implements AutoCloseable {
    private final WebServer server;
    private final TaskRunner runner;
    private final GateStore gates;
    private final KubernetesClient kube;

    private Running(WebServer server, TaskRunner runner, GateStore gates, KubernetesClient kube) {
      this.server = server;
      this.runner = runner;
      this.gates = gates;
      this.kube = kube;
    }

    public int port() {
      return server.port();
    }

    @Override
    public void close() {
      runner.close();
      server.stop();
      if (gates instanceof ConfigMapGateStore watched) {
        watched.close();
      }
      if (kube != null) {
        kube.close();
      }
    }
  }

  /**
   * {@code flagger_loadtester_auth_disabled}: 1 when the load tester runs without authentication.
   * Registered afresh by every start, so the value is this server's even when a registry outlives
   * an earlier one (tests).
   */
  static void authDisabledGauge(MeterRegistry registry, boolean disabled) {
    String name = FlaggerMetrics.LOADTESTER_AUTH_DISABLED.registrationName();
    registry.remove(name, List.of());
    double value = disabled ? 1 : 0;
    registry.getOrCreate(
        Gauge.builder(name, () -> value)
            .description(FlaggerMetrics.LOADTESTER_AUTH_DISABLED.help()));
  }

  /**
   * The load tester's routes: tasks at {@code /}, gates, {@code /healthz}; the token check in front
   * of all but health and metrics.
   *
   * @throws IllegalArgumentException when no token is configured and auth is not disabled
   */
  public static void routing(HttpRouting.Builder routing, LoadTesterDeps deps) {
    LoadTesterConfig c = deps.config();
    c.requireAuthentication();
    c.authToken().ifPresent(t -> routing.addFilter(new AuthFilter(t)));
    routing
        .any("/healthz", (req, res) -> Responses.text(res, 200, "OK"))
        .register(
            new GateService(
                deps.gates(), (req, res) -> Responses.payload(req, res, c.namespaceRegexp())))
        .register(
            new TaskService(
                deps.tasks(),
                deps.runner(),
                (req, res) -> Responses.payload(req, res, c.namespaceRegexp())))
        .error(
            KubernetesClientException.class,
            (req, res, e) -> Responses.text(res, 503, "gate store unavailable: " + e.getMessage()));
  }

  /**
   * The task factory for {@code config}.
   *
   * @param ownPort the port the load tester listens on, which load runs may not target
   */
  public static TaskFactory factory(LoadTesterConfig config, IntSupplier ownPort) {
    DestinationPolicy destinations = destinations(config, ownPort);
    return new TaskFactory(
        CommandPolicy.from(config, destinations),
        BodyFiles.reader(config.bodyFileDir()),
        config.ngrinderServers(),
        config.concordServers(),
        config.concordApiKeyDir(),
        new LoadGuard(config.limits(), destinations));
  }

  private static DestinationPolicy destinations(LoadTesterConfig config, IntSupplier ownPort) {
    return DestinationPolicy.system(config.allowedHosts(), config.virtualHosts(), ownPort);
  }

  /**
   * A task runner on virtual threads with real processes, the built-in generator and the built-in
   * curl, whose destinations meet the same rules as load runs.
   *
   * @param ownPort the port the load tester listens on, which tasks may not target
   */
  public static TaskRunner runner(
      LoadTesterConfig config, LoadMetrics metrics, IntSupplier ownPort) {
    int loops = config.eventLoops() > 0 ? config.eventLoops() : LoadGenerator.defaultEventLoops();
    DestinationPolicy destinations = destinations(config, ownPort);
    TaskExecutor executor =
        new TaskExecutor(
            new ProcessCommandExecutor(),
            new LoadGenerator(loops),
            metrics,
            IntegrationRunner.create(),
            new CurlClient(destinations::check));
    return new TaskRunner(
        executor,
        Executors.newVirtualThreadPerTaskExecutor(),
        config.timeout(),
        config.maxConcurrentTasks(),
        connectionBudget(config.limits(), Runtime.getRuntime().maxMemory()));
  }

  /** The configured budget, lowered (with a warning) when it does not fit in the heap. */
  static int connectionBudget(LoadLimits limits, long maxHeap) {
    int budget = limits.budgetFor(maxHeap);
    if (budget < limits.connectionBudget()) {
      LOG.warning(
          "loadtester.limits.connection-budget="
              + limits.connectionBudget()
              + " needs up to "
              + limits.connectionBudget() * LoadLimits.HEAP_PER_CONNECTION / (1 << 20)
              + " MiB of heap and the heap is "
              + maxHeap / (1 << 20)
              + " MiB: using "
              + budget
              + " connections; give the container more memory or lower the budget");
    }
    return budget;
  }

  /** The web server's registry, looked up once, after the server has been built. */
  public static Supplier<MeterRegistry> lazyRegistry() {
    return new Supplier<>() {
      private volatile MeterRegistry registry;

      @Override
      public MeterRegistry get() {
        if (registry == null) {
          registry = Services.get(MeterRegistry.class);
        }
        return registry;
      }
    };
  }

  private static String gateNamespace(LoadTesterConfig c, KubernetesClient kube) {
    if (!c.gateNamespace().isEmpty()) {
      return c.gateNamespace();
    }
    String env = System.getenv("POD_NAMESPACE");
    if (env != null && !env.isBlank()) {
      return env.trim();
    }
    try {
      return Files.readString(Path.of(SA_NAMESPACE)).trim();
    } catch (IOException e) {
      return kube.getNamespace() == null ? "default" : kube.getNamespace();
    }
  }
}
