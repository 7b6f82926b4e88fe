package app.flagger.controller;

import app.flagger.controller.canary.CanaryStatusWriter;
import app.flagger.controller.canary.ConfigTracker;
import app.flagger.controller.canary.DaemonSetController;
import app.flagger.controller.canary.DeploymentController;
import app.flagger.controller.canary.HpaReconciler;
import app.flagger.controller.canary.KnativeController;
import app.flagger.controller.canary.Labels;
import app.flagger.controller.canary.ScaledObjectReconciler;
import app.flagger.controller.canary.ScalerReconciler;
import app.flagger.controller.canary.ScalerReconcilers;
import app.flagger.controller.canary.ServiceController;
import app.flagger.controller.canary.StatusWriter;
import app.flagger.controller.canary.TargetPorts;
import app.flagger.controller.events.CanaryEvents;
import app.flagger.controller.events.EventSink;
import app.flagger.controller.events.EventWebhookSink;
import app.flagger.controller.events.KubernetesEventSink;
import app.flagger.controller.events.LogEventSink;
import app.flagger.controller.kube.InformerCache;
import app.flagger.controller.kube.KnativeServices;
import app.flagger.controller.leader.LeaderElection;
import app.flagger.controller.leader.Leadership;
import app.flagger.controller.observe.CanaryMetricsRecorder;
import app.flagger.controller.observe.ControllerMetrics;
import app.flagger.controller.router.CustomObjects;
import app.flagger.controller.router.KubernetesNoopRouter;
import app.flagger.controller.router.KubernetesServiceRouter;
import app.flagger.controller.scheduler.CanaryAdvancer;
import app.flagger.controller.scheduler.CanaryReader;
import app.flagger.controller.scheduler.CanaryScheduler;
import app.flagger.controller.scheduler.CanarySyncHandler;
import app.flagger.controller.scheduler.Finalizers;
import app.flagger.controller.scheduler.JobScheduler;
import app.flagger.controller.scheduler.TargetFactory;
import app.flagger.controller.scheduler.ValidationGate;
import app.flagger.controller.tick.CanaryTick;
import app.flagger.controller.tick.ConcurrencyLimit;
import app.flagger.controller.tick.DecisionLog;
import app.flagger.controller.tick.Gates;
import app.flagger.controller.tick.ReleaseQueue;
import app.flagger.controller.tick.TickRecords;
import app.flagger.controller.tick.Traffic;
import app.flagger.controller.tick.Transitions;
import app.flagger.controller.webhook.Backoff;
import app.flagger.controller.webhook.HelidonWebhookClient;
import app.flagger.controller.webhook.HookRunner;
import app.flagger.controller.webhook.MeteredWebhookClient;
import app.flagger.controller.webhook.WebhookClient;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.TargetKind;
import app.flagger.model.metrics.FlaggerMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.helidon.metrics.api.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * The controller as an embeddable component: the Canary informer, the informer caches of the target
 * objects ({@link InformerCache}), the scheduler and the advancer, composed from explicit
 * collaborators (Kubernetes client, settings, clock, job scheduler, meter registry, metric
 * analysis, alerter, router factory, webhook client). {@link Main} embeds it, and so do the tests
 * and the local sandbox.
 */
public final class FlaggerController implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(FlaggerController.class.getName());
  private static final long RESYNC_MILLIS = 30_000;

  private final KubernetesClient client;
  private final KubernetesClient leaseClient;
  private final LeaderElection.Timing timing;
  private final ControllerConfig config;
  private final JobScheduler jobs;
  private final Leadership leadership;
  private final ReadinessState readiness;
  private final CanaryEvents events;
  private final EventWebhookSink eventWebhook;
  private final KubernetesEventSink kubeEvents;
  private final CanaryMetricsRecorder recorder;
  private final CanaryAdvancer advancer;
  private final CanaryScheduler scheduler;
  private final CanarySyncHandler handler;
  private final InformerCache cache;
  private final CustomObjects customObjects;
  private SharedIndexInformer<Canary> informer;
  private ResourceEventHandler<Canary> canaryHandler;
  private LeaderElection election;

  FlaggerController(FlaggerControllerBuilder b) {
    this.client = b.client;
    this.leaseClient = b.leaseClient;
    this.timing = b.leaderElectionTiming;
    this.config = b.config;
    this.jobs = b.jobs;
    this.leadership = b.leadership;
    this.readiness = b.readiness;
    ControllerMetrics controllerMetrics = b.metrics;
    this.recorder = new CanaryMetricsRecorder(b.registry);
    this.eventWebhook =
        new EventWebhookSink(
            config.eventWebhook(),
            new MeteredWebhookClient(b.webhookClient, controllerMetrics),
            EventWebhookSink.DEFAULT_CAPACITY,
            controllerMetrics.eventDropped(
                FlaggerMetrics.SINK_WEBHOOK, FlaggerMetrics.REASON_QUEUE_FULL));
    controllerMetrics.eventQueueDepth(eventWebhook::depth);
    this.kubeEvents =
        new KubernetesEventSink(
            client,
            b.clock,
            KubernetesEventSink.DEFAULT_CAPACITY,
            controllerMetrics.eventDropped(
                FlaggerMetrics.SINK_KUBERNETES, FlaggerMetrics.REASON_QUEUE_FULL),
            controllerMetrics.eventDropped(
                FlaggerMetrics.SINK_KUBERNETES, FlaggerMetrics.REASON_SPAM_FILTER));
    controllerMetrics.kubeEventQueueDepth(kubeEvents::depth);
    List<EventSink> sinks = new ArrayList<>(List.of(kubeEvents, new LogEventSink(), eventWebhook));
    sinks.addAll(b.extraSinks);
    this.events = new CanaryEvents(b.clock, sinks);
    Labels labels = new Labels(config.includeLabelPrefix());
    this.cache =
        new InformerCache(
            client,
            config.allNamespaces() ? "" : config.namespace(),
            RESYNC_MILLIS,
            config.shard());
    this.customObjects = b.customObjects;
    ScalerReconciler scaler =
        new ScalerReconcilers(
            new HpaReconciler(client, cache, labels), new ScaledObjectReconciler(client, labels));
    TargetFactory targets = targets(client, cache, config, b.clock, scaler, labels);
    StatusWriter status = new CanaryStatusWriter(client, b.clock, cache.canaries()::wrote);
    Gates gates = new Gates(new HookRunner(b.webhookClient, controllerMetrics), events);
    Traffic traffic = new Traffic(recorder);
    Transitions transitions = new Transitions(status, recorder, events, b.alerter, gates, traffic);
    ConcurrencyLimit limit =
        new ConcurrencyLimit(
            new ReleaseQueue(
                config.maxConcurrentCanaries(), config.maxConcurrentCanariesPerNamespace()),
            cache.canaries()::all,
            b.clock);
    controllerMetrics.canariesWaiting(limit::waiting);
    controllerMetrics.shard(config.shard().index(), config.shard().count());
    CanaryTick tick =
        new CanaryTick(
            transitions,
            gates,
            traffic,
            b.metricAnalysis,
            scaler,
            events,
            recorder,
            b.clock,
            new TickRecords(limit, new DecisionLog(config.decisionLogSize()), status, b.clock));
    ValidationGate validation =
        new ValidationGate(events, status, config.noCrossNamespaceRefs(), config.meshProvider());
    this.advancer =
        new CanaryAdvancer(
            new CanaryReader(client, cache.canaries()),
            validation,
            targets,
            b.routers,
            config.meshProvider(),
            tick,
            events,
            b.clock);
    Finalizers finalizers =
        new Finalizers(
            client, status, transitions, events, targets, b.routers, config.meshProvider());
    this.handler =
        new CanarySyncHandler(
            new CanaryReader(client, cache.canaries()),
            validation,
            finalizers,
            transitions,
            recorder);
    this.scheduler =
        new CanaryScheduler(
            jobs,
            b.clock,
            leadership,
            config.controlLoopInterval(),
            config.threadiness(),
            handler,
            advancer::advance,
            controllerMetrics,
            recorder,
            events);
  }

  /**
   * Deployment and DaemonSet targets, each with the Kubernetes service router; Service and Knative
   * Service targets with no Kubernetes router.
   */
  private static TargetFactory targets(
      KubernetesClient client,
      InformerCache cache,
      ControllerConfig config,
      Clock clock,
      ScalerReconciler scaler,
      Labels labels) {
    ConfigTracker tracker = new ConfigTracker(client, cache, config.enableConfigTracking(), labels);
    TargetPorts ports = new TargetPorts(config.selectorLabels());
    DeploymentController deployments =
        new DeploymentController(client, cache, clock, tracker, scaler, ports, labels);
    DaemonSetController daemonSets =
        new DaemonSetController(client, cache, clock, tracker, ports, labels);
    return new TargetFactory()
        .register(
            TargetKind.DEPLOYMENT,
            deployments,
            new KubernetesServiceRouter(client, cache, deployments::metadata))
        .register(
            TargetKind.DAEMON_SET,
            daemonSets,
            new KubernetesServiceRouter(client, cache, daemonSets::metadata))
        .register(
            TargetKind.SERVICE,
            new ServiceController(client, cache, labels, config.meshProvider()),
            new KubernetesNoopRouter())
        .registerKnative(
            new KnativeController(new KnativeServices(client)), new KubernetesNoopRouter());
  }

  public static FlaggerControllerBuilder builder() {
    return new FlaggerControllerBuilder();
  }

  /**
   * Starts the informers (returns once all have synced, and only then reports ready), then runs the
   * workers and timers directly or while leading.
   */
  public void start() {
    recorder.setInfo(config.version(), config.meshProvider());
    LOG.info(
        config.allNamespaces()
            ? "Watching all namespaces"
            : "Watching namespace " + config.namespace());
    if (config.shard().sharded()) {
      LOG.info(
          "Handling "
              + config.shard()
              + ": the Canaries whose FNV-1a hash of namespace/name mod "
              + config.shard().count()
              + " is "
              + config.shard().index());
    }
    startCaches();
    // The Canary informer is one of the caches (ticks read the Canary from it); once it has
    // synced, the handler is added and sees every Canary as added. It only queues keys; the
    // workers run while leading.
    informer = cache.canaries().informer();
    canaryHandler = cache.canaries().owned(scheduler.informerHandler());
    informer.addEventHandler(canaryHandler);
    readiness.informersSynced(cache.synced() && informer.hasSynced());
    if (config.enableLeaderElection()) {
      election =
          new LeaderElection(
              leaseClient,
              config.leaderElectionNamespace(),
              config.shard().leaseName(LeaderElection.LEASE_NAME),
              config.hostname(),
              timing,
              leadership);
      election.start(
          () -> {
            readiness.leading(true);
            scheduler.start();
          },
          () -> {
            readiness.leading(false);
            scheduler.stop();
          });
    } else {
      leadership.acquired();
      scheduler.start();
    }
    LOG.info("Started operator workers");
  }

  /**
   * Starts only the caches (Canaries, Deployments, DaemonSets, ConfigMaps, Secrets, Services, HPAs)
   * and returns once they have synced: for callers that drive ticks by hand without the Canary sync
   * handler and the scheduler ({@link #start} calls it too).
   */
  public void startCaches() {
    cache.start();
  }

  /** The informer caches a tick reads the target objects from. */
  public InformerCache cache() {
    return cache;
  }

  /** Stops the workers and timers, waits for the ticks in flight, then stops watching. */
  @Override
  public void close() {
    LOG.info("Shutting down operator workers");
    readiness.informersSynced(false);
    if (informer != null) {
      informer.removeEventHandler(canaryHandler);
    }
    scheduler.close();
    jobs.close();
    kubeEvents.close();
    cache.close();
    if (customObjects != null) {
      customObjects.close();
    }
    if (election != null) {
      election.close();
    }
    eventWebhook.close();
  }

  /** One tick of a Canary, synchronously (tests, sandbox). */
  public CanaryAdvancer advancer() {
    return advancer;
  }

  public CanaryScheduler scheduler() {
    return scheduler;
  }

  /** Flagger's syncHandler, for driving a sync by hand. */
  public CanarySyncHandler handler() {
    return handler;
  }

  public CanaryEvents events() {
    return events;
  }

  public CanaryMetricsRecorder recorder() {
    return recorder;
  }

  static Clock defaultClock() {
    return Clock.systemUTC();
  }

  static WebhookClient defaultWebhookClient(ControllerConfig config) {
    return new HelidonWebhookClient(
        Backoff.DELAYED, config.webhookAuth(), config.httpResponseLimit());
  }

  static MeterRegistry defaultRegistry() {
    return MeterRegistry.create();
  }
}
