package app.flagger.sandbox.podinfo;

import java.util.Map;

/**
 * How one pod of the demo app behaves.
 *
 * @param version the version it reports: {@code PODINFO_VERSION}, else the tag of {@code POD_IMAGE}
 * @param podName the pod name, reported as hostname
 * @param namespace the pod's namespace
 * @param errorRate the fraction (0..1) of application requests answered with HTTP 500
 * @param latencyMs extra latency added to every application request
 * @param port the loopback port to listen on (0 picks a free one)
 * @param seed the seed of the error-injection random source
 */
public record PodinfoConfig(
    String version,
    String podName,
    String namespace,
    double errorRate,
    long latencyMs,
    int port,
    long seed) {

  public PodinfoConfig {
    if (!(errorRate >= 0 && errorRate <= 1)) {
      throw new IllegalArgumentException(
          "ERROR_RATE must be a number from 0 to 1, got " + errorRate);
    }
    if (latencyMs < 0) {
      throw new IllegalArgumentException("LATENCY_MS must be >= 0, got " + latencyMs);
    }
  }

  /** Reads the pod's environment, as the sandbox kubelet sets it. */
  public static PodinfoConfig fromEnv(Map<String, String> env) {
    String version = env.get("PODINFO_VERSION");
    if (version == null || version.isBlank()) {
      version = versionOf(env.getOrDefault("POD_IMAGE", ""));
    }
    return new PodinfoConfig(
        version,
        env.getOrDefault("POD_NAME", "podinfo"),
        env.getOrDefault("POD_NAMESPACE", "default"),
        number(env, "ERROR_RATE", 0),
        (long) number(env, "LATENCY_MS", 0),
        (int) number(env, "PORT", 0),
        (long) number(env, "RANDOM_SEED", env.getOrDefault("POD_NAME", "").hashCode()));
  }

  /**
   * The tag of a container image: {@code ghcr.io/stefanprodan/podinfo:6.0.1} gives {@code 6.0.1};
   * no tag (or a digest only) gives {@code latest}.
   */
  public static String versionOf(String image) {
    String ref = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
    int slash = ref.lastIndexOf('/');
    int colon = ref.lastIndexOf(':');
    if (colon > slash && colon < ref.length() - 1) {
      return ref.substring(colon + 1);
    }
    return "latest";
  }

  private static double number(Map<String, String> env, String name, double fallback) {
    String raw = env.get(name);
    if (raw == null || raw.isBlank()) {
      return fallback;
    }
    try {
      return Double.parseDouble(raw.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number, got '" + raw + "'", e);
    }
  }
}
