package app.flagger.loadtester.gate;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One manual gate: its kind (Flagger's promotion gate or rollback gate) and the canary's namespace
 * and name as separate parts. Flagger keys its gates {@code <name>.<namespace>} and {@code
 * rollback.<name>.<namespace>}, so the rollback gate of {@code x} in namespace {@code y}, {@code
 * rollback.x.y}, is also the promotion gate of a canary named {@code rollback.x} in {@code y}; here
 * two gates are equal only when kind, namespace and name all are.
 *
 * @param kind promotion gate ({@code /gate/*}) or rollback gate ({@code /rollback/*})
 * @param namespace a Kubernetes namespace name (DNS label: no dots, no underscores)
 * @param name a Kubernetes object name (DNS subdomain: no underscores)
 */
public record GateKey(Kind kind, String namespace, String name) {
  /** Which of a canary's two gates. */
  public enum Kind {
    GATE("gate"),
    ROLLBACK("rollback");

    private final String prefix;

    Kind(String prefix) {
      this.prefix = prefix;
    }

    /** {@code gate} or {@code rollback}, the first part of {@link #dataKey()}. */
    public String prefix() {
      return prefix;
    }
  }

  private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern NAME =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final int MAX_NAME = 253;

  /** Longest ConfigMap data key the API server accepts. */
  static final int MAX_DATA_KEY = 253;

  /**
   * @throws IllegalArgumentException naming {@code namespace} or {@code name} when it is not a
   *     Kubernetes name, or when the two together are too long for a ConfigMap data key
   */
  public GateKey {
    if (kind == null) {
      throw new IllegalArgumentException("kind: required");
    }
    if (namespace == null || !NAMESPACE.matcher(namespace).matches()) {
      throw new IllegalArgumentException(
          "namespace: expected a Kubernetes namespace name (lowercase letters, digits and '-',"
              + " at most 63 characters), got '"
              + namespace
              + "'");
    }
    if (name == null || name.length() > MAX_NAME || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "name: expected a Kubernetes object name (lowercase letters, digits, '-' and '.', at"
              + " most 253 characters), got '"
              + name
              + "'");
    }
    int length = kind.prefix().length() + namespace.length() + name.length() + 2;
    if (length > MAX_DATA_KEY) {
      throw new IllegalArgumentException(
          "name: '"
              + name
              + "' with namespace '"
              + namespace
              + "' makes a gate key of "
              + length
              + " characters, over the "
              + MAX_DATA_KEY
              + " a ConfigMap key may have");
    }
  }

  public static GateKey gate(String namespace, String name) {
    return new GateKey(Kind.GATE, namespace, name);
  }

  public static GateKey rollback(String namespace, String name) {
    return new GateKey(Kind.ROLLBACK, namespace, name);
  }

  /**
   * The ConfigMap data key: {@code gate_<namespace>_<name>} or {@code rollback_<namespace>_<name>}.
   * Kubernetes names never contain {@code _}, so the three parts read back unambiguously.
   */
  public String dataKey() {
    return kind.prefix() + "_" + namespace + "_" + name;
  }

  /**
   * The gate a ConfigMap data key stands for; empty for keys this store did not write (Flagger's
   * {@code name.namespace} keys of earlier versions included).
   */
  public static Optional<GateKey> fromDataKey(String key) {
    String[] parts = key.split("_", -1);
    if (parts.length != 3) {
      return Optional.empty();
    }
    for (Kind k : Kind.values()) {
      if (k.prefix().equals(parts[0])) {
        try {
          return Optional.of(new GateKey(k, parts[1], parts[2]));
        } catch (IllegalArgumentException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  /** {@code podinfo.test} or {@code rollback podinfo.test}, for logs and messages. */
  @Override
  public String toString() {
    return (kind == Kind.ROLLBACK ? "rollback " : "") + name + "." + namespace;
  }
}
