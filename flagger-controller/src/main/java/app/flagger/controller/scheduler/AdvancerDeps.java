package app.flagger.controller.scheduler;

import app.flagger.controller.ControllerConfig;
import app.flagger.controller.canary.CanaryCache;
import app.flagger.controller.canary.CanaryStatusWriter;
import app.flagger.controller.canary.HpaReconciler;
import app.flagger.controller.events.CanaryEvents;
import app.flagger.controller.metrics.MetricAnalysis;
import app.flagger.controller.notifier.Alerter;
import app.flagger.controller.observe.CanaryMetricsRecorder;
import app.flagger.controller.router.RouterFactory;
import app.flagger.controller.webhook.HookRunner;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;

/** The collaborators of a tick, built once by the controller and shared by the step classes. */
public record AdvancerDeps(
    KubernetesClient client,
    ControllerConfig config,
    Clock clock,
    CanaryStatusWriter status,
    CanaryEvents events,
    HookRunner hookRunner,
    CanaryMetricsRecorder recorder,
    MetricAnalysis metricAnalysis,
    Alerter alerter,
    RouterFactory routers,
    TargetFactory targets,
    HpaReconciler hpa,
    CanaryCache canaries) {}
