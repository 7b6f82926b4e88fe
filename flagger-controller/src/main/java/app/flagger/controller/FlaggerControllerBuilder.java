package app.flagger.controller;

import app.flagger.controller.events.EventSink;
import app.flagger.controller.leader.LeaderElection;
import app.flagger.controller.leader.Leadership;
import app.flagger.controller.metrics.MetricAnalysis;
import app.flagger.controller.notifier.Alerter;
import app.flagger.controller.observe.ControllerMetrics;
import app.flagger.controller.router.CustomObjects;
import app.flagger.controller.router.RouterFactory;
import app.flagger.controller.scheduler.ExecutorJobScheduler;
import app.flagger.controller.scheduler.JobScheduler;
import app.flagger.controller.webhook.WebhookClient;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.helidon.metrics.api.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds a {@link FlaggerController} from explicit collaborators. The client, the metric analysis,
 * the alerter and the routers are required: a controller never silently skips its checks or its
 * alerts. {@link StandardComponents} sets the production ones; tests set theirs.
 */
public final class FlaggerControllerBuilder {
  KubernetesClient client;
  KubernetesClient leaseClient;
  LeaderElection.Timing leaderElectionTiming = LeaderElection.Timing.FLAGGER;
  Leadership leadership;
  ControllerConfig config = ControllerConfig.defaults();
  Clock clock;
  JobScheduler jobs;
  MeterRegistry registry;
  MetricAnalysis metricAnalysis;
  Alerter alerter;
  RouterFactory routers;
  CustomObjects customObjects;
  WebhookClient webhookClient;
  ReadinessState readiness;
  ControllerMetrics metrics;
  final List<EventSink> extraSinks = new ArrayList<>();

  FlaggerControllerBuilder() {}

  public FlaggerControllerBuilder client(KubernetesClient client) {
    this.client = client;
    return this;
  }

  /**
   * The client that reads and renews the leader-election Lease; by default {@link #client}. Main
   * gives it a client of its own, outside the rate limiter, so renewals never wait behind ticks.
   */
  public FlaggerControllerBuilder leaseClient(KubernetesClient leaseClient) {
    this.leaseClient = leaseClient;
    return this;
  }

  /** Lease timings (tests shorten them). */
  public FlaggerControllerBuilder leaderElectionTiming(LeaderElection.Timing timing) {
    this.leaderElectionTiming = timing;
    return this;
  }

  /**
   * Whether this replica leads, shared with the {@link app.flagger.controller.leader.WriteFence} of
   * the client (Main passes the one it gave {@link KubeClients}); by default one of its own.
   */
  public FlaggerControllerBuilder leadership(Leadership leadership) {
    this.leadership = leadership;
    return this;
  }

  public FlaggerControllerBuilder config(ControllerConfig config) {
    this.config = config;
    return this;
  }

  public FlaggerControllerBuilder clock(Clock clock) {
    this.clock = clock;
    return this;
  }

  public FlaggerControllerBuilder jobScheduler(JobScheduler jobs) {
    this.jobs = jobs;
    return this;
  }

  public FlaggerControllerBuilder registry(MeterRegistry registry) {
    this.registry = registry;
    return this;
  }

  public FlaggerControllerBuilder metricAnalysis(MetricAnalysis metricAnalysis) {
    this.metricAnalysis = metricAnalysis;
    return this;
  }

  public FlaggerControllerBuilder alerter(Alerter alerter) {
    this.alerter = alerter;
    return this;
  }

  /** The watches the routers read their objects through; the controller closes them. */
  public FlaggerControllerBuilder customObjects(CustomObjects objects) {
    this.customObjects = objects;
    return this;
  }

  /** The router factory; register IstioRouter and others on it before building. */
  public FlaggerControllerBuilder routers(RouterFactory routers) {
    this.routers = routers;
    return this;
  }

  public FlaggerControllerBuilder webhookClient(WebhookClient webhookClient) {
    this.webhookClient = webhookClient;
    return this;
  }

  public FlaggerControllerBuilder readiness(ReadinessState readiness) {
    this.readiness = readiness;
    return this;
  }

  /** The controller's RED/USE metrics, when the caller shares them (e.g. with the client). */
  public FlaggerControllerBuilder controllerMetrics(ControllerMetrics metrics) {
    this.metrics = metrics;
    return this;
  }

  /** An extra event sink (tests record events with one). */
  public FlaggerControllerBuilder addEventSink(EventSink sink) {
    extraSinks.add(sink);
    return this;
  }

  public FlaggerController build() {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(metricAnalysis, "metricAnalysis: the metric checks of every analysis");
    Objects.requireNonNull(alerter, "alerter: where a Canary's alerts go");
    Objects.requireNonNull(routers, "routers: the mesh routers of the providers");
    leaseClient = leaseClient == null ? client : leaseClient;
    clock = clock == null ? FlaggerController.defaultClock() : clock;
    registry = registry == null ? FlaggerController.defaultRegistry() : registry;
    webhookClient =
        webhookClient == null ? FlaggerController.defaultWebhookClient(config) : webhookClient;
    readiness = readiness == null ? new ReadinessState(config.enableLeaderElection()) : readiness;
    metrics = metrics == null ? new ControllerMetrics(registry) : metrics;
    jobs = jobs == null ? new ExecutorJobScheduler(1) : jobs;
    leadership = leadership == null ? new Leadership() : leadership;
    return new FlaggerController(this);
  }
}
