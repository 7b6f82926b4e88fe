package app.flagger.sandbox.mesh;

import static app.flagger.sandbox.mesh.SpecFields.list;
import static app.flagger.sandbox.mesh.SpecFields.map;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the mesh uses of an SMI TrafficSplit ({@code split.smi-spec.io} v1alpha1, v1alpha2 and
 * v1alpha3), as Linkerd's proxies apply it: requests for {@code spec.service} go to one of {@code
 * spec.backends}, drawn by weight. A v1alpha1 weight is a Kubernetes quantity ({@code "90"}, {@code
 * "900m"}); later versions write integers. Weights are relative, so they are kept in thousandths.
 * The v1alpha3 {@code matches} (HTTPRouteGroups, which Flagger never writes) are not modelled.
 *
 * @param namespace the split's namespace
 * @param name its name
 * @param service {@code spec.service}: the apex Service callers address
 * @param http one route to the weighted backends
 */
public record TrafficSplitView(String namespace, String name, String service, List<HttpRoute> http)
    implements RouteView {

  @Override
  public String kind() {
    return "TrafficSplit";
  }

  /** Whether requests for {@code host} are split: it names {@code spec.service}. */
  public boolean splits(HostName host) {
    return HostName.parse(service, namespace)
        .map(s -> s.service().equals(host.service()) && s.namespace().equals(host.namespace()))
        .orElse(false);
  }

  public static TrafficSplitView of(GenericKubernetesResource split) {
    String ns = split.getMetadata().getNamespace();
    String where = "TrafficSplit " + ns + "/" + split.getMetadata().getName();
    Map<?, ?> spec = map(split.getAdditionalProperties().get("spec"), where + " spec");
    if (spec.get("service") == null) {
      throw new IllegalArgumentException(where + " spec.service is required");
    }
    List<WeightedDestination> backends = new ArrayList<>();
    List<?> raw = list(spec.get("backends"), where + " spec.backends");
    for (int i = 0; i < raw.size(); i++) {
      String at = where + " spec.backends[" + i + "]";
      Map<?, ?> b = map(raw.get(i), at);
      if (b.get("service") == null) {
        throw new IllegalArgumentException(at + ".service is required");
      }
      backends.add(
          new WeightedDestination(b.get("service").toString(), milli(b.get("weight"), at)));
    }
    return new TrafficSplitView(
        ns,
        split.getMetadata().getName(),
        spec.get("service").toString(),
        List.of(new HttpRoute(List.of(), List.copyOf(backends), null, 0, null)));
  }

  /** A weight in thousandths: a number, or a quantity such as {@code "90"} or {@code "500m"}. */
  static int milli(Object weight, String where) {
    if (weight == null) {
      return 0;
    }
    try {
      String s = weight.toString().strip();
      BigDecimal value =
          s.endsWith("m")
              ? new BigDecimal(s.substring(0, s.length() - 1)).movePointLeft(3)
              : new BigDecimal(s);
      return value.movePointRight(3).intValueExact();
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException(
          where + ".weight must be a number or a quantity like 90 or 500m, got " + weight, e);
    }
  }
}
