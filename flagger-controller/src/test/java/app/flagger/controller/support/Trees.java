package app.flagger.controller.support;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;

/** JSON-shaped trees (maps, lists, scalars) in router tests: written as YAML, read by path. */
public final class Trees {
  private Trees() {}

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  /** A YAML document as maps and lists, numbers as Integers, as the API returns them. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> yaml(String yaml) {
    return SERIALIZATION.unmarshal(yaml, Map.class);
  }

  /** Follows {@code path} (map keys and list indexes) from {@code root}. */
  @SuppressWarnings("unchecked")
  public static <T> T at(Object root, Object... path) {
    Object cur = root;
    for (Object p : path) {
      cur =
          p instanceof Integer i ? ((List<Object>) cur).get(i) : ((Map<String, Object>) cur).get(p);
    }
    return (T) cur;
  }
}
