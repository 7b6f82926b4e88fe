package app.flagger.controller.router;

import app.flagger.model.provider.MeshProvider;
import app.flagger.model.provider.Provider;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Maps a provider string to its mesh router (Flagger's {@code router.Factory.MeshRouter}). {@code
 * kubernetes} is built in; other providers are plugged in with {@link #register} (the Istio router
 * is added by the composition root). An unknown provider falls back to Istio, as in Flagger, and
 * the fallback is logged.
 */
public final class RouterFactory {
  private static final Logger LOG = Logger.getLogger(RouterFactory.class.getName());

  private final Map<MeshProvider, MeshRouter> routers = new EnumMap<>(MeshProvider.class);
  private final Map<String, MeshRouter> byPrefix = new LinkedHashMap<>();

  public RouterFactory() {
    routers.put(MeshProvider.KUBERNETES, new NopRouter());
  }

  /** Adds or replaces the router of {@code provider}. */
  public RouterFactory register(MeshProvider provider, MeshRouter router) {
    routers.put(provider, router);
    return this;
  }

  /**
   * Adds the router of the provider strings starting with {@code prefix} ({@code
   * gatewayapi:v1beta1}), checked before the family routers, in registration order: register the
   * longer prefix first, as Flagger's factory orders its cases.
   */
  public RouterFactory registerPrefix(String prefix, MeshRouter router) {
    byPrefix.put(prefix, router);
    return this;
  }

  /** The router for {@code provider}; throws a {@link RouterException} when none is available. */
  public MeshRouter meshRouter(Provider provider) {
    for (var e : byPrefix.entrySet()) {
      if (provider.name().startsWith(e.getKey())) {
        return e.getValue();
      }
    }
    Optional<MeshProvider> parsed = provider.family();
    MeshProvider p = parsed.orElse(MeshProvider.ISTIO);
    if (parsed.isEmpty()) {
      LOG.warning("unknown mesh provider '" + provider + "', falling back to istio");
    }
    if (p == MeshProvider.GATEWAYAPI && !provider.versioned()) {
      LOG.warning("mesh provider '" + provider + "' has no version, falling back to istio");
      p = MeshProvider.ISTIO;
    }
    if (p == MeshProvider.APPMESH && provider.versioned()) {
      // Flagger maps exactly "appmesh" (v1beta1) and the appmesh:v1beta2 prefix, nothing else
      LOG.warning(
          "mesh provider '" + provider + "' is not an App Mesh version, falling back to istio");
      p = MeshProvider.ISTIO;
    }
    MeshRouter router = routers.get(p);
    if (router == null) {
      throw new RouterException(
          "mesh provider " + provider + " is not supported by this controller");
    }
    return router;
  }
}
