package app.flagger.controller.metrics.providers;

import java.util.List;
import java.util.Map;

/**
 * The decoded {@code spec.provider.secretRef} of a MetricTemplate, with the wording a provider uses
 * when a key is missing or the backend refuses the credentials taken from it.
 *
 * @param type the provider type, the first word of Flagger's messages ({@code datadog})
 * @param name the Secret's name, null when the template has no {@code secretRef}
 * @param data the Secret's decoded data, empty without one
 */
public record ProviderSecret(String type, String name, Map<String, String> data) {
  public ProviderSecret {
    data = data == null ? Map.of() : Map.copyOf(data);
  }

  /**
   * The value of {@code key}; missing, it fails with Flagger's {@code <type> credentials does not
   * contain <key>} followed by the Secret and key to fix.
   */
  public String require(String key) throws MetricsProviderException {
    return require(key, key);
  }

  /**
   * The value of {@code key}; missing, it fails with {@code <type> credentials does not contain
   * <what>} (Flagger's words for that key, e.g. {@code an organisation}) followed by the Secret and
   * key to fix.
   */
  public String require(String key, String what) throws MetricsProviderException {
    String value = data.get(key);
    if (value == null) {
      throw new MetricsProviderException(
          type + " credentials does not contain " + what + " (" + where(List.of(key)) + ")");
    }
    return value;
  }

  /** What to check when the backend refuses the credentials taken from {@code keys}. */
  public String check(List<String> keys) {
    return "check " + where(keys);
  }

  private String where(List<String> keys) {
    String names = keys.size() == 1 ? "key " + keys.get(0) : "keys " + String.join(", ", keys);
    return name == null
        ? names + " of the template's spec.provider.secretRef (none is set)"
        : names + " of Secret " + name;
  }

  @Override
  public String toString() {
    return "ProviderSecret[" + type + ", " + name + ", keys=" + data.keySet() + "]";
  }
}
