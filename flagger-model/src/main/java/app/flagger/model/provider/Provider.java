package app.flagger.model.provider;

import java.util.Optional;

/**
 * The provider a Canary routes through, resolved once per tick: the Canary's {@code spec.provider}
 * when set, else the controller's {@code mesh-provider}. One rule decides "set" everywhere
 * (routing, finalizers, observers): {@code null}, empty and blank mean unset.
 *
 * @param name the provider string as written ({@code istio}, {@code gatewayapi:v1}, {@code
 *     smi:v1alpha3:linkerd})
 */
public record Provider(String name) {
  public Provider {
    if (!isSet(name)) {
      throw new IllegalArgumentException("provider: expected a provider name, got '" + name + "'");
    }
    name = name.trim();
  }

  /** {@code canaryProvider} when set, else {@code controllerDefault}. */
  public static Provider resolve(String canaryProvider, String controllerDefault) {
    return new Provider(isSet(canaryProvider) ? canaryProvider : controllerDefault);
  }

  /** The defaulting rule: a provider string counts only when it has text. */
  public static boolean isSet(String provider) {
    return provider != null && !provider.isBlank();
  }

  /** The provider family, empty when the name is not one Flagger knows. */
  public Optional<MeshProvider> family() {
    return MeshProvider.parse(name);
  }

  /** Whether this is a provider of {@code family}. */
  public boolean is(MeshProvider family) {
    return family().orElse(null) == family;
  }

  /** Whether the name carries a version ({@code gatewayapi:v1}, {@code appmesh:v1beta2}). */
  public boolean versioned() {
    return name.contains(":");
  }

  @Override
  public String toString() {
    return name;
  }
}
