package app.flagger.sandbox;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The providers the sandbox's story can run on ({@code make demo PROVIDER=...}): each names the
 * Canary example it installs and where the users send their requests. The sandbox's mesh routes by
 * the object the provider's router writes: a VirtualService, an HTTPRoute, a TrafficSplit or a
 * canary Ingress.
 */
public enum SandboxProvider {
  /** Istio: the VirtualService {@code podinfo}; the users call the apex Service. */
  ISTIO("istio", "canary-istio.yaml", "http://podinfo.%s:9898/"),
  /** Gateway API v1: the HTTPRoute of the Gateway's host {@code app.example.com}. */
  GATEWAYAPI_V1("gatewayapi:v1", "canary-gatewayapi.yaml", "http://app.example.com/"),
  /** The same example, its route written as {@code gateway.networking.k8s.io/v1beta1}. */
  GATEWAYAPI_V1BETA1("gatewayapi:v1beta1", "canary-gatewayapi.yaml", "http://app.example.com/"),
  /** Linkerd: the SMI TrafficSplit {@code podinfo}; the users call the apex Service. */
  LINKERD("linkerd", "canary-linkerd.yaml", "http://podinfo.%s:9898/"),
  /**
   * NGINX: the canary Ingress {@code podinfo-canary} next to the example's Ingress of {@code
   * app.example.com}; the users call that host. Outside namespace {@code test} the example's host
   * becomes {@code <namespace>.example.com}, so that it runs next to the Gateway API example.
   */
  NGINX("nginx", "canary-nginx.yaml", "http://%s/");

  private final String value;
  private final String example;
  private final String usersUrl;

  SandboxProvider(String value, String example, String usersUrl) {
    this.value = value;
    this.example = example;
    this.usersUrl = usersUrl;
  }

  /** The provider as a Canary's {@code spec.provider} writes it. */
  public String value() {
    return value;
  }

  /** The Canary example of {@code k8s/examples} the story installs. */
  public String example() {
    return example;
  }

  /** Where the users of {@code namespace} send their requests. */
  public String usersUrl(String namespace) {
    return usersUrl.formatted(this == NGINX ? host(namespace) : namespace);
  }

  /** The NGINX example's host in {@code namespace}. */
  private static String host(String namespace) {
    return namespace.equals("test") ? "app.example.com" : namespace + ".example.com";
  }

  /** The example's text with {@code spec.provider} set to this provider. */
  String canary(String exampleText) {
    return exampleText.replaceFirst("(?m)^(  provider:) .*$", "$1 " + value);
  }

  /**
   * The example's text for {@code namespace}: {@code spec.provider} set to this provider, and on
   * NGINX the Ingress's host (and the load test's) that of the namespace.
   */
  String canary(String exampleText, String namespace) {
    String text = canary(exampleText);
    return this == NGINX ? text.replace("app.example.com", host(namespace)) : text;
  }

  /** The accepted values, for messages: {@code istio, gatewayapi:v1, ...}. */
  public static String accepted() {
    return Arrays.stream(values()).map(SandboxProvider::value).collect(Collectors.joining(", "));
  }

  /**
   * The provider named {@code value} (case-insensitive; blank means Istio).
   *
   * @throws IllegalArgumentException naming the value and the accepted ones
   */
  public static SandboxProvider of(String value) {
    if (value == null || value.isBlank()) {
      return ISTIO;
    }
    String v = value.strip().toLowerCase(Locale.ROOT);
    for (SandboxProvider p : values()) {
      if (p.value.equals(v)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "provider '" + value + "' is not one the sandbox runs; accepted: " + accepted());
  }
}
