package app.flagger.model.provider;

import java.util.List;
import java.util.Optional;

/**
 * The service meshes and ingress controllers a Canary can route through. Versioned forms ({@code
 * appmesh:v1beta2}, {@code smi:v1alpha3:linkerd}, {@code gatewayapi:v1}) are recognised by prefix.
 */
public enum MeshProvider {
  APISIX("apisix"),
  APPMESH("appmesh"),
  LINKERD("linkerd"),
  ISTIO("istio"),
  SMI("smi"),
  CONTOUR("contour"),
  KNATIVE("knative"),
  GLOO("gloo"),
  NGINX("nginx"),
  KUBERNETES("kubernetes"),
  SKIPPER("skipper"),
  TRAEFIK("traefik"),
  OSM("osm"),
  KUMA("kuma"),
  GATEWAYAPI("gatewayapi");

  /** The exact strings the CRD enum of {@code spec.provider} accepts. */
  public static final List<String> CRD_VALUES =
      List.of(
          "apisix",
          "appmesh",
          "appmesh:v1beta2",
          "contour",
          "gatewayapi:v1",
          "gatewayapi:v1beta1",
          "gloo",
          "istio",
          "knative",
          "kubernetes",
          "kuma",
          "linkerd",
          "nginx",
          "osm",
          "skipper",
          "smi:v1alpha1",
          "smi:v1alpha2",
          "smi:v1alpha3",
          "traefik");

  private final String value;

  MeshProvider(String value) {
    this.value = value;
  }

  public String value() {
    return value;
  }

  /**
   * Recognises a provider string by its family prefix ({@code smi:v1alpha3:linkerd} is SMI, {@code
   * gloo-x} is Gloo). Empty when the family is unknown.
   */
  public static Optional<MeshProvider> parse(String s) {
    if (s == null || s.isEmpty()) {
      return Optional.empty();
    }
    String family = s.contains(":") ? s.substring(0, s.indexOf(':')) : s;
    if (family.startsWith("gloo")) {
      return Optional.of(GLOO);
    }
    for (MeshProvider p : values()) {
      if (p.value.equals(family)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** Whether {@code s} is one of the strings the CRD accepts. */
  public static boolean isCrdValue(String s) {
    return CRD_VALUES.contains(s);
  }
}
