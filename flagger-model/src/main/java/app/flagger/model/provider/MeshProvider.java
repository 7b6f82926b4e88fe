package app.flagger.model.provider;

import java.util.List;
import java.util.Optional;

/**
 * The service meshes and ingress controllers a Canary can route through. Versioned forms ({@code
 * appmesh:v1beta2}, {@code smi:v1alpha3:linkerd}, {@code gatewayapi:v1}) are recognised by prefix.
 */
public enum MeshProvider {
  // the second argument says whether this controller has a router for the family: flip it to
  // true in the change that adds the router (StandardComponents.routers registers it)
  APISIX("apisix", true),
  APPMESH("appmesh", true),
  LINKERD("linkerd", true),
  ISTIO("istio", true),
  SMI("smi", true),
  CONTOUR("contour", true),
  KNATIVE("knative", true),
  GLOO("gloo", true),
  NGINX("nginx", true),
  KUBERNETES("kubernetes", true),
  SKIPPER("skipper", true),
  TRAEFIK("traefik", true),
  OSM("osm", true),
  KUMA("kuma", true),
  GATEWAYAPI("gatewayapi", true);

  /**
   * Every provider string Flagger's CRD accepts in {@code spec.provider}, implemented here or not.
   */
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

  /**
   * The strings of {@link #CRD_VALUES} whose family this controller routes: the CRD enum of {@code
   * spec.provider} and the validator accept exactly these.
   */
  public static final List<String> IMPLEMENTED_VALUES =
      CRD_VALUES.stream().filter(s -> parse(s).orElseThrow().implemented).toList();

  private final String value;
  private final boolean implemented;

  MeshProvider(String value, boolean implemented) {
    this.value = value;
    this.implemented = implemented;
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

  /** Whether this controller has a router for the family. */
  public boolean implemented() {
    return implemented;
  }

  /** Whether {@code s} is one of the strings Flagger's CRD accepts. */
  public static boolean isCrdValue(String s) {
    return CRD_VALUES.contains(s);
  }

  /**
   * Whether this controller routes through {@code s}: one of {@link #IMPLEMENTED_VALUES}, or an SMI
   * version naming its mesh ({@code smi:v1alpha3:linkerd}), the forms the controller's {@code
   * mesh-provider} takes besides the CRD's.
   */
  public static boolean isImplemented(String s) {
    if (s == null) {
      return false;
    }
    if (IMPLEMENTED_VALUES.contains(s)) {
      return true;
    }
    int colon = s.lastIndexOf(':');
    return s.startsWith(SMI.value + ":")
        && colon > SMI.value.length()
        && colon < s.length() - 1
        && IMPLEMENTED_VALUES.contains(s.substring(0, colon));
  }

  /**
   * The problem with a provider string this controller cannot route through, without the field
   * name: a family it does not implement yet, or a string it does not know. Both list {@link
   * #IMPLEMENTED_VALUES}.
   */
  public static String notImplementedMessage(String s) {
    String expected = ", expected one of " + String.join(", ", IMPLEMENTED_VALUES);
    boolean knownFamily = parse(s).map(p -> !p.implemented).orElse(false);
    return (knownFamily
            ? "provider '" + s + "' is not implemented by this controller yet"
            : "unknown provider '" + s + "'")
        + expected;
  }
}
