package app.flagger.loadtester;

import app.flagger.loadtester.gate.ConfigMapGateStore;
import app.flagger.loadtester.gate.GateService;
import app.flagger.loadtester.gate.GateStore;
import app.flagger.loadtester.gate.InMemoryGateStore;
import app.flagger.loadtester.load.LoadGenerator;
import app.flagger.loadtester.task.CommandPolicy;
import app.flagger.loadtester.task.LoadMetrics;
import app.flagger.loadtester.task.ProcessCommandExecutor;
import app.flagger.loadtester.task.TaskExecutor;
import app.flagger.loadtester.task.TaskFactory;
import app.flagger.loadtester.task.TaskRunner;
import app.flagger.loadtester.task.TaskService;
import app.flagger.model.logging.JsonLogging;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.helidon.config.Config;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.service.registry.Services;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Executors;
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
    Config config = Config.create();
    LoadTesterConfig ltc = LoadTesterConfig.from(config.get("loadtester"));
    Clock clock = Clock.systemUTC();
    KubernetesClient kube =
        ltc.gateStore().equals("configmap") ? new KubernetesClientBuilder().build() : null;
    GateStore gates =
        kube == null
            ? new InMemoryGateStore()
            : new ConfigMapGateStore(kube, gateNamespace(ltc, kube), ltc.gateConfigMap(), clock);
    TaskRunner runner = runner(ltc, new LoadMetrics(lazyRegistry()));
    LoadTesterDeps deps = new LoadTesterDeps(ltc, gates, factory(ltc), runner);
    WebServer server =
        WebServer.builder().config(config.get("server")).routing(r -> routing(r, deps)).build();
    server.start();
    if (ltc.authToken().isEmpty()) {
      LOG.warning("no bearer token configured (loadtester.auth.token-file): endpoints are open");
    }
    LOG.info("Starting load tester v" + VERSION + " API on port " + server.port());
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  runner.close();
                  server.stop();
                  if (kube != null) {
                    kube.close();
                  }
                }));
  }

  /** The load tester's routes: tasks at {@code /}, gates, {@code /healthz}; auth in front. */
  public static void routing(HttpRouting.Builder routing, LoadTesterDeps deps) {
    LoadTesterConfig c = deps.config();
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

  /** The task factory for {@code config}. */
  public static TaskFactory factory(LoadTesterConfig config) {
    return new TaskFactory(
        CommandPolicy.from(config),
        BodyFiles.reader(config.bodyFileDir()),
        config.ngrinderServers(),
        config.concordServers());
  }

  /** A task runner on virtual threads with real processes and the built-in generator. */
  public static TaskRunner runner(LoadTesterConfig config, LoadMetrics metrics) {
    int loops = config.eventLoops() > 0 ? config.eventLoops() : LoadGenerator.defaultEventLoops();
    TaskExecutor executor =
        new TaskExecutor(new ProcessCommandExecutor(), new LoadGenerator(loops), metrics);
    return new TaskRunner(
        executor,
        Executors.newVirtualThreadPerTaskExecutor(),
        config.timeout(),
        config.maxConcurrentTasks());
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
