package app.flagger.controller.router.smi;

import app.flagger.controller.kube.Owners;
import app.flagger.controller.router.RouterException;
import app.flagger.controller.router.Routes;
import app.flagger.model.FlaggerGroup;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryService;
import app.flagger.model.json.Jsons;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import jakarta.json.JsonArrayBuilder;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The TrafficSplit {@code <apex>} Flagger generates for a Canary (Flagger's {@code SmiRouter},
 * {@code Smiv1alpha2Router} and {@code Smiv1alpha3Router}, spec §5.2), as plain maps in the JSON
 * shape of {@code split.smi-spec.io}. Pure: no client, no clock. The versions differ only in the
 * weight: a Kubernetes quantity string ({@code "100"}) in {@code v1alpha1}, an integer after.
 */
public final class TrafficSplitBuilder {
  private TrafficSplitBuilder() {}

  public static final String GROUP = "split.smi-spec.io";
  public static final String KIND = "TrafficSplit";

  /** The annotation that carries the Istio gateways when the SMI adapter targets Istio. */
  static final String ISTIO_GATEWAYS_ANNOTATION =
      "VirtualService.v1alpha3.networking.istio.io/spec.gateways";

  /** The TrafficSplit API version of a router. */
  public enum Version {
    V1ALPHA1("v1alpha1"),
    V1ALPHA2("v1alpha2"),
    V1ALPHA3("v1alpha3");

    private final String value;

    Version(String value) {
      this.value = value;
    }

    public String value() {
      return value;
    }

    public String apiVersion() {
      return GROUP + "/" + value;
    }
  }

  /**
   * The TrafficSplit Reconcile creates: name {@code <apex>}, owned by the Canary, the Istio
   * gateways annotation when {@code targetMesh} is {@code istio}, everything to the primary.
   */
  public static GenericKubernetesResource build(Canary canary, Version version, String targetMesh) {
    GenericKubernetesResource r = new GenericKubernetesResource();
    r.setApiVersion(version.apiVersion());
    r.setKind(KIND);
    r.setMetadata(
        new ObjectMetaBuilder()
            .withName(canary.getSpec().apexName())
            .withNamespace(canary.getMetadata().getNamespace())
            .withAnnotations(annotations(canary, targetMesh))
            .withOwnerReferences(Owners.of(canary))
            .build());
    r.setAdditionalProperty("spec", spec(canary, version));
    return r;
  }

  /**
   * Flagger's annotations: only for an SMI adapter in front of Istio ({@code smi:*:istio}) with
   * {@code service.gateways} set, the gateways as a JSON array.
   */
  static Map<String, String> annotations(Canary canary, String targetMesh) {
    Map<String, String> out = new LinkedHashMap<>();
    CanaryService s = canary.getSpec().service();
    List<String> gateways = s == null ? null : s.gateways();
    if ("istio".equals(targetMesh) && gateways != null && !gateways.isEmpty()) {
      JsonArrayBuilder array = Jsons.createArrayBuilder();
      gateways.forEach(array::add);
      out.put(ISTIO_GATEWAYS_ANNOTATION, array.build().toString());
    }
    return out;
  }

  /** The spec Reconcile wants: everything to the primary. */
  public static Map<String, Object> spec(Canary canary, Version version) {
    return spec(canary, version, Routes.allPrimary());
  }

  /**
   * The spec for {@code routes}: {@code service} is the first of {@code service.hosts}, else the
   * apex; the backends are the canary then the primary, as Flagger orders them.
   */
  public static Map<String, Object> spec(Canary canary, Version version, Routes routes) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("service", host(canary));
    spec.put("backends", backends(canary, version, routes));
    return spec;
  }

  /** The backends SetRoutes writes: canary first, then primary. */
  public static List<Object> backends(Canary canary, Version version, Routes routes) {
    List<Object> backends = new ArrayList<>();
    backends.add(backend(canaryName(canary), weight(version, routes.canaryWeight())));
    backends.add(backend(primaryName(canary), weight(version, routes.primaryWeight())));
    return backends;
  }

  private static Map<String, Object> backend(String service, Object weight) {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("service", service);
    b.put("weight", weight);
    return b;
  }

  /** A weight as the version writes it: a quantity string in v1alpha1, an integer after. */
  static Object weight(Version version, int weight) {
    return version == Version.V1ALPHA1 ? String.valueOf(weight) : weight;
  }

  /**
   * Whether {@code current} differs from {@code desired} in what Flagger compares (its {@code
   * cmp.Diff} ignoring weights): the service, the backends' services in order and, in {@code
   * v1alpha3}, the {@code matches} Flagger never sets. Unknown fields are ignored, as decoding into
   * Flagger's typed spec drops them.
   */
  public static boolean differsIgnoringWeights(
      Map<String, Object> current, Map<String, Object> desired, Version version) {
    if (!Objects.equals(current.get("service"), desired.get("service"))) {
      return true;
    }
    if (!backendServices(current).equals(backendServices(desired))) {
      return true;
    }
    return version == Version.V1ALPHA3
        && !list(current.get("matches")).equals(list(desired.get("matches")));
  }

  private static List<Object> backendServices(Map<String, Object> spec) {
    List<Object> out = new ArrayList<>();
    for (Object b : list(spec.get("backends"))) {
      out.add(b instanceof Map<?, ?> m ? m.get("service") : null);
    }
    return out;
  }

  /**
   * The weights of the primary and canary backends of {@code spec} (Flagger's GetRoutes); {@code
   * key} ({@code <apex>.<namespace>}) names the TrafficSplit in errors. Never mirrored.
   */
  public static Routes routes(Map<String, Object> spec, Canary canary, String key) {
    String primary = primaryName(canary);
    String canaryName = canaryName(canary);
    int p = 0;
    int c = 0;
    for (Object b : list(spec.get("backends"))) {
      if (!(b instanceof Map<?, ?> backend)) {
        continue;
      }
      if (primary.equals(backend.get("service"))) {
        p = weightValue(backend.get("weight"));
      }
      if (canaryName.equals(backend.get("service"))) {
        c = weightValue(backend.get("weight"));
      }
    }
    if (p == 0 && c == 0) {
      throw new RouterException(
          "TrafficSplit " + key + " does not contain routes for " + primary + " and " + canaryName);
    }
    if (p < 0 || c < 0 || p + c != 100) {
      throw new RouterException(
          "TrafficSplit "
              + key
              + " weights of "
              + primary
              + " ("
              + p
              + ") and "
              + canaryName
              + " ("
              + c
              + ") do not add up to 100");
    }
    return new Routes(p, c, false);
  }

  /**
   * An integer weight, or a quantity string holding a whole number ({@code "30"}); anything else
   * ({@code "500m"}, missing) reads as 0, as Flagger's {@code Quantity.AsInt64}.
   */
  static int weightValue(Object weight) {
    if (weight instanceof Number n) {
      return n.intValue();
    }
    if (weight instanceof String s && !s.isBlank()) {
      try {
        BigDecimal amount = Quantity.getAmountInBytes(new Quantity(s));
        return amount.intValueExact();
      } catch (IllegalArgumentException | ArithmeticException e) {
        return 0;
      }
    }
    return 0;
  }

  static String host(Canary canary) {
    CanaryService s = canary.getSpec().service();
    List<String> hosts = s == null ? null : s.hosts();
    return hosts != null && !hosts.isEmpty() ? hosts.get(0) : canary.getSpec().apexName();
  }

  static String primaryName(Canary canary) {
    return canary.getSpec().apexName() + FlaggerGroup.PRIMARY_SUFFIX;
  }

  static String canaryName(Canary canary) {
    return canary.getSpec().apexName() + FlaggerGroup.CANARY_SUFFIX;
  }

  private static List<?> list(Object o) {
    return o instanceof List<?> l ? l : List.of();
  }
}
