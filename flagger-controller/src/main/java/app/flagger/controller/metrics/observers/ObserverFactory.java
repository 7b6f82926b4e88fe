package app.flagger.controller.metrics.observers;

import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanarySpec;
import app.flagger.model.provider.Provider;

/**
 * Picks the builtin queries for a Canary (Flagger's {@code observers.Factory} and the provider-key
 * rules of {@code runBuiltinMetricChecks}).
 */
public final class ObserverFactory {
  /** Suffix added to the key when the target is a Kubernetes Service. */
  public static final String SERVICE_SUFFIX = ":service";

  private ObserverFactory() {}

  /**
   * The observer for a metrics-provider key: {@code appmesh*}, {@code gloo*}, {@code gatewayapi*}
   * and {@code kubernetes} by prefix or name, the other meshes by exact name, and Istio for
   * anything else (including {@code smi:*}, {@code crossover} and {@code <mesh>:service}).
   */
  public static Observer observer(String key) {
    String k = key == null ? "" : key;
    if (k.startsWith("appmesh")) {
      return BuiltinObservers.APPMESH;
    }
    if (k.startsWith("gloo")) {
      return BuiltinObservers.GLOO;
    }
    if (k.equals("kubernetes") || k.startsWith("gatewayapi")) {
      return BuiltinObservers.HTTP;
    }
    return switch (k) {
      case "linkerd" -> BuiltinObservers.LINKERD;
      case "contour" -> BuiltinObservers.CONTOUR;
      case "nginx" -> BuiltinObservers.NGINX;
      case "skipper" -> BuiltinObservers.SKIPPER;
      case "traefik" -> BuiltinObservers.TRAEFIK;
      case "osm" -> BuiltinObservers.OSM;
      case "kuma" -> BuiltinObservers.KUMA;
      case "apisix" -> BuiltinObservers.APISIX;
      case "knative" -> BuiltinObservers.KNATIVE;
      default -> BuiltinObservers.ISTIO;
    };
  }

  /**
   * The metrics-provider key of a Canary: the controller's mesh provider ({@code crossover} when it
   * mentions crossover), replaced by {@code spec.provider} when set unless the controller's mesh is
   * Linkerd, with {@code :service} appended when the target is a (non-Knative) Service. Flagger's
   * quirk is kept: {@code istio:service} and {@code kubernetes:service} fall to the Istio queries.
   */
  public static String metricsProviderKey(String meshProvider, Canary canary) {
    String mesh = meshProvider == null ? "" : meshProvider;
    String key = mesh.contains("crossover") ? "crossover" : mesh;
    CanarySpec spec = canary.getSpec();
    if (Provider.isSet(spec.provider())) {
      key = mesh.contains("linkerd") ? "linkerd" : spec.provider();
    }
    if (spec.targetRef() != null
        && "Service".equals(spec.targetRef().kind())
        && !isKnative(spec.targetRef().apiVersion())) {
      key = key + SERVICE_SUFFIX;
    }
    return key;
  }

  private static boolean isKnative(String apiVersion) {
    return apiVersion != null && apiVersion.startsWith("serving.knative.dev");
  }
}
