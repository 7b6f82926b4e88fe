package app.flagger.controller.router.appmesh;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small helpers for the JSON maps of App Mesh objects. */
final class Maps {
  private Maps() {}

  /** A mutable ordered map of {@code key, value, key, value, ...}. */
  static Map<String, Object> of(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  /** An App Mesh object of {@code kind} with {@code metadata} and {@code spec}. */
  static GenericKubernetesResource object(
      AppMeshApi api, String kind, ObjectMeta metadata, Map<String, Object> spec) {
    GenericKubernetesResource r = new GenericKubernetesResource();
    r.setApiVersion(api.apiVersion());
    r.setKind(kind);
    r.setMetadata(metadata);
    r.setAdditionalProperty("spec", spec);
    return r;
  }

  /** The {@code spec} of {@code r}, empty when it has none. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> spec(GenericKubernetesResource r) {
    Object spec = r.getAdditionalProperties().get("spec");
    return spec instanceof Map<?, ?> m ? (Map<String, Object>) m : new LinkedHashMap<>();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
  }

  static List<?> list(Object o) {
    return o instanceof List<?> l ? l : List.of();
  }

  /**
   * {@code current} with the {@code owned} keys taken from {@code desired} (removed when {@code
   * desired} has none) and every other key kept.
   */
  static Map<String, Object> merged(
      Map<String, Object> current, Map<String, Object> desired, List<String> owned) {
    Map<String, Object> out = new LinkedHashMap<>(current);
    for (String key : owned) {
      if (desired.containsKey(key)) {
        out.put(key, desired.get(key));
      } else {
        out.remove(key);
      }
    }
    return out;
  }
}
