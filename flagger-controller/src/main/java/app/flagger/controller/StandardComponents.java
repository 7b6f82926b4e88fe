package app.flagger.controller;

import app.flagger.controller.kube.KnativeServices;
import app.flagger.controller.metrics.KubernetesMetricsLookup;
import app.flagger.controller.metrics.MetricAnalysis;
import app.flagger.controller.metrics.MetricChecks;
import app.flagger.controller.metrics.providers.ProviderFactory;
import app.flagger.controller.notifier.AlertDispatcher;
import app.flagger.controller.notifier.Alerter;
import app.flagger.controller.notifier.KubernetesAlertLookup;
import app.flagger.controller.notifier.NotifierFactory;
import app.flagger.controller.observe.ControllerMetrics;
import app.flagger.controller.router.CustomObjects;
import app.flagger.controller.router.RouterFactory;
import app.flagger.controller.router.apisix.ApisixRouter;
import app.flagger.controller.router.appmesh.AppMeshRouter;
import app.flagger.controller.router.appmesh.AppMeshV1beta2Router;
import app.flagger.controller.router.appmesh.TargetSelectorLabel;
import app.flagger.controller.router.contour.ContourRouter;
import app.flagger.controller.router.gatewayapi.GatewayApiRouter;
import app.flagger.controller.router.gatewayapi.HttpRouteBuilder.Version;
import app.flagger.controller.router.gloo.GlooRouter;
import app.flagger.controller.router.istio.IstioRouter;
import app.flagger.controller.router.knative.KnativeRouter;
import app.flagger.controller.router.kuma.KumaRouter;
import app.flagger.controller.router.nginx.NginxRouter;
import app.flagger.controller.router.skipper.SkipperRouter;
import app.flagger.controller.router.smi.SmiRouter;
import app.flagger.controller.router.smi.TrafficSplitBuilder;
import app.flagger.controller.router.traefik.TraefikRouter;
import app.flagger.model.provider.MeshProvider;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.security.SecureRandom;

/**
 * The production collaborators of a {@link FlaggerController}: the Istio and Gateway API routers
 * next to the built-in Kubernetes one, metric checks against Prometheus and MetricTemplates, and
 * alerts through AlertProviders or the global notifier. {@code Main} and the local sandbox use it,
 * tests pick their own fakes.
 */
public final class StandardComponents {
  private StandardComponents() {}

  /**
   * A builder with the client, the settings and every standard collaborator set, with
   * metric-provider queries and notifier posts recorded in {@code metrics} (the instance the
   * client's interceptors record into), which the controller shares.
   */
  public static FlaggerControllerBuilder builder(
      KubernetesClient client, ControllerConfig config, ControllerMetrics metrics) {
    CustomObjects objects =
        CustomObjects.watching(client, config.allNamespaces() ? "" : config.namespace());
    return FlaggerController.builder()
        .client(client)
        .config(config)
        .controllerMetrics(metrics)
        .customObjects(objects)
        .routers(routers(client, config, objects))
        .metricAnalysis(metricAnalysis(client, config, metrics))
        .alerter(alerter(client, config, metrics));
  }

  /** {@link #routers(KubernetesClient, ControllerConfig)} with the default settings. */
  public static RouterFactory routers(KubernetesClient client) {
    return routers(client, ControllerConfig.defaults());
  }

  /**
   * Kubernetes (built in), Istio, Kuma, Contour, NGINX, App Mesh, Gateway API ({@code
   * gatewayapi:v1beta1}, {@code gatewayapi:v1}) and the SMI TrafficSplit routers as Flagger's
   * factory maps them: {@code linkerd} and {@code smi:v1alpha1[:mesh]} on {@code v1alpha1}, {@code
   * osm} and {@code smi:v1alpha2[:mesh]} on {@code v1alpha2}, {@code smi:v1alpha3[:mesh]} on {@code
   * v1alpha3}; App Mesh: {@code appmesh:v1beta2} (prefix) on {@code v1beta2}, its virtual nodes
   * selecting pods by the first of {@code config.selectorLabels()} their target uses, {@code
   * appmesh} on {@code v1beta1}; {@code contour} writes {@code config.ingressClass()} on its
   * HTTPProxies, {@code nginx} annotates with {@code config.ingressAnnotationsPrefix()}, {@code
   * skipper} copies the Canary's Ingress to {@code <ingress>-canary}; unknown providers fall back
   * to Istio in the factory.
   */
  public static RouterFactory routers(KubernetesClient client, ControllerConfig config) {
    return routers(client, config, CustomObjects.direct(client));
  }

  /**
   * {@link #routers(KubernetesClient, ControllerConfig)} with the Istio router reading its
   * VirtualServices and DestinationRules through {@code objects}.
   */
  public static RouterFactory routers(
      KubernetesClient client, ControllerConfig config, CustomObjects objects) {
    SecureRandom random = new SecureRandom();
    RouterFactory routers =
        new RouterFactory()
            .register(MeshProvider.ISTIO, new IstioRouter(client, random, objects))
            .registerPrefix(
                "appmesh:v1beta2",
                new AppMeshV1beta2Router(
                    client, new TargetSelectorLabel(client, config.selectorLabels())))
            .register(MeshProvider.APPMESH, new AppMeshRouter(client))
            .register(MeshProvider.KUMA, new KumaRouter(client))
            .register(MeshProvider.CONTOUR, new ContourRouter(client, config.ingressClass()))
            .register(MeshProvider.SKIPPER, new SkipperRouter(client))
            .register(
                MeshProvider.NGINX, new NginxRouter(client, config.ingressAnnotationsPrefix()))
            .register(MeshProvider.TRAEFIK, new TraefikRouter(client))
            .register(MeshProvider.GLOO, new GlooRouter(client))
            .register(MeshProvider.APISIX, new ApisixRouter(client))
            .register(MeshProvider.KNATIVE, new KnativeRouter(new KnativeServices(client)))
            .register(
                MeshProvider.LINKERD,
                new SmiRouter(client, TrafficSplitBuilder.Version.V1ALPHA1, "linkerd", "linkerd"))
            .register(
                MeshProvider.OSM,
                new SmiRouter(client, TrafficSplitBuilder.Version.V1ALPHA2, "osm", "osm"))
            .registerPrefix(
                "gatewayapi:v1beta1", new GatewayApiRouter(client, Version.V1BETA1, random))
            .registerPrefix("gatewayapi:v1", new GatewayApiRouter(client, Version.V1, random));
    for (TrafficSplitBuilder.Version v : TrafficSplitBuilder.Version.values()) {
      String prefix = "smi:" + v.value();
      // the Istio adapter first: only it gets Flagger's gateways annotation
      routers
          .registerPrefix(prefix + ":istio", new SmiRouter(client, v, prefix, "istio"))
          .registerPrefix(prefix, new SmiRouter(client, v, prefix, prefix));
    }
    return routers;
  }

  public static MetricAnalysis metricAnalysis(
      KubernetesClient client, ControllerConfig config, ControllerMetrics metrics) {
    return new MetricChecks(
        config.meshProvider(),
        config.metricsServer(),
        new ProviderFactory(
            ProviderFactory.DEFAULT_TIMEOUT,
            metrics,
            config.httpResponseLimit(),
            client,
            new SecureRandom()),
        new KubernetesMetricsLookup(client));
  }

  public static Alerter alerter(
      KubernetesClient client, ControllerConfig config, ControllerMetrics metrics) {
    NotifierFactory notifiers =
        new NotifierFactory(NotifierFactory.DEFAULT_TIMEOUT, metrics, config.httpResponseLimit());
    return new AlertDispatcher(
        new KubernetesAlertLookup(client),
        notifiers,
        notifiers.global(config.notifiers()),
        config.clusterName());
  }
}
