package app.flagger.model.support;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** YAML helpers for tests: multi-document files as trees, and typed parsing through fabric8. */
public final class Yaml {
  private Yaml() {}

  /** The serialization the Kubernetes client uses, with the model's types. */
  public static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  /** The documents of a YAML file, as trees, skipping empty ones. */
  public static List<JsonNode> documents(Path file) {
    try {
      return documents(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static List<JsonNode> documents(String yaml) {
    List<JsonNode> out = new ArrayList<>();
    for (String doc : yaml.split("(?m)^---\\s*$")) {
      if (doc.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("#"))) {
        continue;
      }
      Object parsed = SERIALIZATION.unmarshal(doc, Map.class);
      out.add(SERIALIZATION.convertValue(parsed, JsonNode.class));
    }
    return out;
  }

  /** A tree as a typed object. */
  public static <T> T as(JsonNode tree, Class<T> type) {
    return SERIALIZATION.convertValue(tree, type);
  }

  /** A typed object as a tree. */
  public static JsonNode tree(Object o) {
    return SERIALIZATION.convertValue(o, JsonNode.class);
  }
}
