package app.flagger.grafana;

import app.flagger.grafana.client.CredentialsException;
import app.flagger.grafana.client.HttpGrafanaClient;
import app.flagger.grafana.dashboard.Dashboards;
import app.flagger.grafana.provision.ApiProvisioner;
import app.flagger.grafana.provision.DesiredState;
import app.flagger.grafana.provision.ExecutorTaskScheduler;
import app.flagger.grafana.provision.FileProvisioner;
import app.flagger.grafana.provision.ProvisioningLoop;
import app.flagger.grafana.provision.ProvisioningReport;
import app.flagger.grafana.provision.ProvisioningTarget;
import app.flagger.grafana.provision.TaskScheduler;
import app.flagger.model.logging.JsonLogging;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.config.PollingStrategies;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.service.registry.Services;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * Composition root of flagger-grafana: reads the configuration (classpath {@code application.yaml},
 * an optional watched file, environment variables), starts the web server with {@code /health},
 * {@code /metrics}, and {@code /status} and {@code /provision} behind the bearer token of {@code
 * grafana.api.token-file}, and starts the provisioning loop, which re-provisions when the {@code
 * grafana} configuration changes.
 */
public final class Main {
  private static final System.Logger LOG = System.getLogger(Main.class.getName());

  /** Optional extra configuration file, polled for changes (a mounted ConfigMap). */
  static final String CONFIG_FILE_ENV = "FLAGGER_GRAFANA_CONFIG";

  private Main() {}

  public static void main(String[] args) {
    // first: every line the process writes, libraries' included, is one JSON object
    JsonLogging.install(Main.class);
    Config config =
        loadConfig(
            System.getenv().getOrDefault(CONFIG_FILE_ENV, "/etc/flagger-grafana/config.yaml"));
    GrafanaConfig grafana;
    try {
      grafana = startupConfig(config);
    } catch (IllegalArgumentException | CredentialsException e) {
      LOG.log(Level.ERROR, "flagger-grafana refuses to start: {0}", e.getMessage());
      System.exit(1);
      return;
    }
    if (java.util.Arrays.asList(args).contains("--once")) {
      System.exit(runOnce(grafana));
    }
    ExecutorTaskScheduler scheduler = new ExecutorTaskScheduler();
    ProvisioningMetrics metrics = new ProvisioningMetrics();
    ProvisioningLoop loop = loop(scheduler, Clock.systemUTC(), metrics);

    WebServer server = WebServer.builder().update(b -> setup(b, config, loop)).build();
    metrics.register(Services.get(MeterRegistry.class), loop::state);
    server.start();
    LOG.log(Level.INFO, "flagger-grafana listening on port {0}", String.valueOf(server.port()));

    loop.start(grafana);
    watch(config, loop);
    Runtime.getRuntime().addShutdownHook(new Thread(scheduler::close, "flagger-grafana-shutdown"));
  }

  /**
   * The {@code grafana} section, refused when it is invalid or its admin password is the
   * placeholder earlier manifests shipped.
   *
   * @throws IllegalArgumentException for an invalid key
   * @throws CredentialsException for the placeholder password
   */
  static GrafanaConfig startupConfig(Config config) {
    GrafanaConfig grafana = GrafanaConfig.from(config.get("grafana"));
    new GrafanaAuth(grafana).refusePlaceholderPassword();
    return grafana;
  }

  /**
   * Re-provisions when the {@code grafana} section changes (the watched file); an invalid change is
   * logged and ignored, keeping the current configuration.
   */
  static void watch(Config config, ProvisioningLoop loop) {
    config
        .get("grafana")
        .onChange(
            changed -> {
              try {
                loop.reconfigure(GrafanaConfig.from(changed));
              } catch (IllegalArgumentException e) {
                LOG.log(
                    Level.ERROR,
                    "Ignoring the changed configuration, keeping the current one: {0}",
                    e.getMessage());
              }
            });
  }

  /**
   * {@code --once}: provisions a single time without a server or retries, for an init container, a
   * Job or CI (e.g. {@code GRAFANA_MODE=files} to write the provisioning files).
   *
   * @return the process exit code: 0 when provisioned, 1 otherwise
   */
  public static int runOnce(GrafanaConfig config) {
    ProvisioningTarget target = target(config);
    try {
      ProvisioningReport report = target.apply(DesiredState.of(config, Dashboards.all()));
      LOG.log(Level.INFO, "Provisioned {0}: {1}", target.describe(), report.summary());
      return 0;
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "Provisioning {0} failed: {1}", target.describe(), e.getMessage());
      return 1;
    }
  }

  /** The provisioning loop with the production targets and dashboards. */
  static ProvisioningLoop loop(TaskScheduler scheduler, Clock clock, ProvisioningMetrics metrics) {
    return new ProvisioningLoop(
        Main::target, c -> DesiredState.of(c, Dashboards.all()), scheduler, clock, metrics);
  }

  /** API or files, per {@code grafana.mode}. */
  static ProvisioningTarget target(GrafanaConfig config) {
    return switch (config.mode()) {
      case API ->
          new ApiProvisioner(
              new HttpGrafanaClient(
                  config.url(),
                  new GrafanaAuth(config),
                  config.requestTimeout(),
                  config.responseLimit()),
              config.url().toString());
      case FILES -> new FileProvisioner(config.outputDir(), config.dashboardsPath());
    };
  }

  /** Server, observability endpoints and routes; used by {@link #main} and the tests. */
  static void setup(WebServerConfig.Builder server, Config config, ProvisioningLoop loop) {
    server
        .config(config.get("server"))
        .addFeature(
            ObserveFeature.builder()
                .endpoint("/")
                .addObserver(
                    HealthObserver.builder()
                        .details(true)
                        .addCheck(new ProvisioningHealth(loop))
                        .build())
                .addObserver(MetricsObserver.create(config.get("observe.metrics")))
                .build())
        .routing(routing -> routing(routing, config, loop));
  }

  static void routing(HttpRouting.Builder routing, Config config, ProvisioningLoop loop) {
    routing.addFilter(ApiTokenFilter.from(config)).register("/", new ProvisioningRoutes(loop));
  }

  static Config loadConfig(String file) {
    return loadConfig(file, Duration.ofSeconds(10));
  }

  /** Classpath defaults, overridden by {@code file} (polled every {@code poll}), then env vars. */
  static Config loadConfig(String file, Duration poll) {
    return Config.builder()
        .sources(
            ConfigSources.file(Path.of(file))
                .optional()
                .pollingStrategy(PollingStrategies.regular(poll)),
            ConfigSources.classpath("application.yaml"))
        .build();
  }
}
