package app.flagger.controller.router.traefik;

import app.flagger.controller.kube.Owners;
import app.flagger.controller.router.ApexMetadata;
import app.flagger.controller.router.RouterException;
import app.flagger.controller.router.Routes;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryService;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The TraefikService {@code <apex>} Flagger generates for a Canary (Flagger's {@code TraefikRouter}
 * Reconcile and SetRoutes, spec §5.2), as plain maps in the JSON shape of {@code
 * traefik.io/v1alpha1}: a weighted round robin over {@code <apex>-primary} and, while it has a
 * weight, {@code <apex>-canary}, both on {@code service.port}. Pure: no client, no clock.
 */
public final class TraefikServiceBuilder {
  private TraefikServiceBuilder() {}

  public static final String GROUP = "traefik.io";
  public static final String VERSION = "v1alpha1";
  public static final String KIND = "TraefikService";

  /** The keys of a {@code weighted.services} entry Flagger writes; others are kept. */
  static final List<String> OWNED_ENTRY_KEYS = List.of("name", "namespace", "port", "weight");

  /**
   * The TraefikService Reconcile creates: name {@code <apex>}, owned by the Canary, the labels and
   * annotations of {@code service.apex} plus Flux's opt-out, everything to the primary.
   */
  public static GenericKubernetesResource build(Canary canary) {
    GenericKubernetesResource r = new GenericKubernetesResource();
    r.setApiVersion(GROUP + "/" + VERSION);
    r.setKind(KIND);
    r.setMetadata(
        new ObjectMetaBuilder()
            .withName(canary.getSpec().apexName())
            .withNamespace(canary.getMetadata().getNamespace())
            .withLabels(ApexMetadata.labels(canary))
            .withAnnotations(ApexMetadata.annotations(canary))
            .withOwnerReferences(Owners.of(canary))
            .build());
    Map<String, Object> weighted = new LinkedHashMap<>();
    weighted.put("services", services(canary, Routes.allPrimary(), List.of()));
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("weighted", weighted);
    r.setAdditionalProperty("spec", spec);
    return r;
  }

  /**
   * The {@code weighted.services} for {@code weights}: the primary entry, then the canary entry
   * only when its weight is above 0, as Flagger writes them. Unlike Flagger, the primary's weight
   * is written when it is 0: Traefik gives an entry without a weight the weight 1, so Flagger's
   * left-out 0 keeps about 1% of the traffic on the primary. Fields others put on an entry ({@code
   * scheme}, {@code serversTransport}, ...) are kept from {@code current} by name; a canary entry
   * that is not there yet takes the primary's. {@code weights.mirrored()} is ignored, as in
   * Flagger.
   */
  public static List<Object> services(Canary canary, Routes weights, List<?> current) {
    String apex = canary.getSpec().apexName();
    Map<String, Object> primaryExtras = extras(current, apex + "-primary");
    List<Object> services = new ArrayList<>();
    services.add(entry(canary, apex + "-primary", weights.primaryWeight(), primaryExtras));
    if (weights.canaryWeight() > 0) {
      Map<String, Object> canaryExtras = extras(current, apex + "-canary");
      services.add(
          entry(
              canary,
              apex + "-canary",
              weights.canaryWeight(),
              canaryExtras == null ? primaryExtras : canaryExtras));
    }
    return services;
  }

  /**
   * The services Reconcile wants given the {@code current} ones: Flagger's entries (the canary's
   * while the current split gives it a weight) with the current weights kept. Flagger means to keep
   * them too but writes 100 for both entries when it updates during an analysis, which sends half
   * of the traffic to the canary until the next step.
   */
  public static List<Object> reconciled(Canary canary, List<?> current) {
    return services(canary, currentWeights(canary, current), current);
  }

  /**
   * Whether {@code current} differs from {@code desired} in what Flagger owns: the entries' names,
   * namespaces and ports in order, ignoring their weights (Flagger's {@code cmp.Diff} with {@code
   * IgnoreFields(Service{}, "Weight")}) and fields others added.
   */
  public static boolean differs(List<?> current, List<?> desired) {
    return !owned(current).equals(owned(desired));
  }

  /**
   * The weights of a TraefikService's {@code weighted.services} (Flagger's GetRoutes): the entry
   * named {@code <apex>-primary} gives the primary's weight (none is 0), the canary gets the rest;
   * never mirrored. {@code key} ({@code <apex>.<namespace>}) names the object in errors.
   */
  public static Routes routes(List<?> services, Canary canary, String key) {
    if (services.isEmpty()) {
      throw new RouterException("TraefikService " + key + " services not found");
    }
    String primary = canary.getSpec().apexName() + "-primary";
    Integer weight = primaryWeight(services, primary);
    if (weight == null) {
      throw new RouterException("TraefikService " + key + " does not contain a service " + primary);
    }
    if (weight < 0 || weight > 100) {
      throw new RouterException(
          "TraefikService "
              + key
              + " weight of "
              + primary
              + " must be between 0 and 100, got "
              + weight);
    }
    return new Routes(weight, 100 - weight, false);
  }

  /** {@code spec.weighted.services} of a TraefikService spec; empty when there is none. */
  public static List<?> services(Map<String, Object> spec) {
    if (spec.get("weighted") instanceof Map<?, ?> weighted
        && weighted.get("services") instanceof List<?> services) {
      return services;
    }
    return List.of();
  }

  private static Routes currentWeights(Canary canary, List<?> current) {
    Integer weight = primaryWeight(current, canary.getSpec().apexName() + "-primary");
    if (weight == null || weight < 0 || weight > 100) {
      return Routes.allPrimary();
    }
    return new Routes(weight, 100 - weight, false);
  }

  private static Integer primaryWeight(List<?> services, String primary) {
    for (Object s : services) {
      if (s instanceof Map<?, ?> entry && primary.equals(entry.get("name"))) {
        return entry.get("weight") instanceof Number n ? n.intValue() : 0;
      }
    }
    return null;
  }

  private static Map<String, Object> entry(
      Canary canary, String name, int weight, Map<String, Object> extras) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("name", name);
    entry.put("namespace", canary.getMetadata().getNamespace());
    entry.put("port", port(canary));
    entry.put("weight", weight);
    if (extras != null) {
      entry.putAll(extras);
    }
    return entry;
  }

  /** The fields of the current entry {@code name} that Flagger does not write; null if none. */
  private static Map<String, Object> extras(List<?> current, String name) {
    for (Object s : current) {
      if (s instanceof Map<?, ?> entry && name.equals(entry.get("name"))) {
        Map<String, Object> extras = new LinkedHashMap<>();
        entry.forEach(
            (k, v) -> {
              if (!OWNED_ENTRY_KEYS.contains(String.valueOf(k))) {
                extras.put(String.valueOf(k), v);
              }
            });
        return extras;
      }
    }
    return null;
  }

  private static List<List<Object>> owned(List<?> services) {
    List<List<Object>> out = new ArrayList<>();
    for (Object s : services) {
      if (s instanceof Map<?, ?> entry) {
        out.add(
            List.of(
                String.valueOf(entry.get("name")),
                String.valueOf(entry.get("namespace")),
                entry.get("port") instanceof Number n ? n.longValue() : -1L));
      } else {
        out.add(List.of(Objects.toString(s)));
      }
    }
    return out;
  }

  private static int port(Canary canary) {
    CanaryService s = canary.getSpec().service();
    if (s == null || s.port() == null) {
      throw new RouterException("spec.service.port is required for the traefik provider");
    }
    return s.port();
  }
}
