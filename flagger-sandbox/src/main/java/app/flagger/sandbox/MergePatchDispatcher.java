package app.flagger.sandbox;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.crud.KubernetesCrudDispatcherException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * fabric8's CRUD dispatcher with JSON merge patch as RFC 7386 and the API server define it. The
 * mock merges by reading the patch "for updating" the stored object, which appends to arrays
 * instead of replacing them and keeps keys set to {@code null}: a controller that rewrites {@code
 * status.conditions} with every merge patch would double the list each time (thousands of
 * conditions within minutes, until the sandbox runs out of memory).
 */
final class MergePatchDispatcher extends KubernetesCrudDispatcher {

  @Override
  public JsonNode merge(JsonNode source, String patch) throws KubernetesCrudDispatcherException {
    JsonNode p;
    try {
      p = Serialization.jsonMapper().readTree(patch);
    } catch (JacksonException e) {
      throw new KubernetesCrudDispatcherException(
          "merge patch is not valid JSON: " + e.getOriginalMessage(), 400);
    }
    return apply(source.deepCopy(), p);
  }

  /** RFC 7386: objects merge key by key, null removes, anything else replaces. */
  static JsonNode apply(JsonNode target, JsonNode patch) {
    if (patch == null || !patch.isObject()) {
      return patch;
    }
    ObjectNode out =
        target != null && target.isObject()
            ? (ObjectNode) target
            : Serialization.jsonMapper().createObjectNode();
    for (Map.Entry<String, JsonNode> e : patch.properties()) {
      if (e.getValue().isNull()) {
        out.remove(e.getKey());
      } else {
        out.set(e.getKey(), apply(out.get(e.getKey()), e.getValue()));
      }
    }
    return out;
  }
}
