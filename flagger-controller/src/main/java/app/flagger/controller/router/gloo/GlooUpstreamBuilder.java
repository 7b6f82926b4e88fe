package app.flagger.controller.router.gloo;

import app.flagger.controller.kube.Owners;
import app.flagger.controller.router.RouterException;
import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The Gloo Upstreams Flagger generates for a Canary (Flagger's {@code createFlaggerUpstream}), as
 * plain maps in the JSON shape of {@code gloo.solo.io/v1}: {@code
 * <namespace>-<apex>-primaryupstream-<port>} and {@code <namespace>-<apex>-canaryupstream-<port>},
 * each a {@code kube} Upstream on the primary or canary Service, with the connection settings of
 * the {@code upstreamRef} Upstream copied in. Pure: no client, no clock.
 */
public final class GlooUpstreamBuilder {
  private GlooUpstreamBuilder() {}

  public static final String GROUP = "gloo.solo.io";
  public static final String VERSION = "v1";
  public static final String KIND = "Upstream";

  /**
   * The spec fields copied from the {@code upstreamRef} Upstream, Flagger's list under Gloo's field
   * names ({@code httpProxyHostname}: Flagger's Go tag spells it {@code httpProxyHostName}).
   */
  static final List<String> COPIED =
      List.of(
          "labels",
          "sslConfig",
          "circuitBreakers",
          "connectionConfig",
          "loadBalancerConfig",
          "useHttp2",
          "initialStreamWindowSize",
          "initialConnectionWindowSize",
          "httpProxyHostname");

  /** {@code <namespace>-<apex>-primaryupstream-<port>}. */
  public static String primaryName(Canary canary) {
    return name(canary, "primaryupstream");
  }

  /** {@code <namespace>-<apex>-canaryupstream-<port>}. */
  public static String canaryName(Canary canary) {
    return name(canary, "canaryupstream");
  }

  private static String name(Canary canary, String kind) {
    return canary.getMetadata().getNamespace()
        + "-"
        + canary.getSpec().apexName()
        + "-"
        + kind
        + "-"
        + port(canary);
  }

  /**
   * The Upstream {@code name} Reconcile creates on the Service {@code service} (its {@code
   * selector}), owned by the Canary: the fields of {@code config}'s spec Flagger copies (none
   * without an {@code upstreamRef}), then {@code kube {serviceName, serviceNamespace, servicePort,
   * selector}}.
   */
  public static GenericKubernetesResource build(
      Canary canary,
      String name,
      String service,
      Map<String, String> selector,
      Map<String, Object> config) {
    Map<String, Object> spec = copied(config);
    Map<String, Object> kube = new LinkedHashMap<>();
    kube.put("serviceName", service);
    kube.put("serviceNamespace", canary.getMetadata().getNamespace());
    kube.put("servicePort", port(canary));
    if (selector != null && !selector.isEmpty()) {
      kube.put("selector", new LinkedHashMap<>(selector));
    }
    spec.put("kube", kube);
    GenericKubernetesResource r = new GenericKubernetesResource();
    r.setApiVersion(GROUP + "/" + VERSION);
    r.setKind(KIND);
    r.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace(canary.getMetadata().getNamespace())
            .withOwnerReferences(Owners.of(canary))
            .build());
    r.setAdditionalProperty("spec", spec);
    return r;
  }

  /** The fields of {@code config} (an Upstream's spec; null for none) Flagger copies. */
  static Map<String, Object> copied(Map<String, Object> config) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (config != null) {
      for (String key : COPIED) {
        if (config.get(key) != null) {
          out.put(key, config.get(key));
        }
      }
    }
    return out;
  }

  /** Whether {@code current} (an Upstream's spec) differs from {@code config} in a copied field. */
  public static boolean outdated(Map<String, Object> current, Map<String, Object> config) {
    for (String key : COPIED) {
      if (!Objects.equals(current.get(key), config.get(key))) {
        return true;
      }
    }
    return false;
  }

  /** {@code current} with the copied fields of {@code config} (set or removed), the rest kept. */
  public static Map<String, Object> synced(
      Map<String, Object> current, Map<String, Object> config) {
    Map<String, Object> out = new LinkedHashMap<>(current);
    for (String key : COPIED) {
      if (config.get(key) == null) {
        out.remove(key);
      } else {
        out.put(key, config.get(key));
      }
    }
    return out;
  }

  static int port(Canary canary) {
    if (canary.getSpec().service() == null || canary.getSpec().service().port() == null) {
      throw new RouterException("spec.service.port is required for the gloo provider");
    }
    return canary.getSpec().service().port();
  }
}
