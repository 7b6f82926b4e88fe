package app.flagger.controller.kube;

import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Reads a Secret's values the way the API server would hand them to a pod. */
public final class SecretData {
  /** The Secret types config tracking copies to the primary (Flagger's {@code isTrackedSecret}). */
  private static final Set<String> TRACKED_TYPES =
      Set.of("Opaque", "kubernetes.io/basic-auth", "kubernetes.io/ssh-auth", "kubernetes.io/tls");

  private SecretData() {}

  /** Whether config tracking copies Secrets of {@code type} (null means Opaque). */
  public static boolean trackedType(String type) {
    return TRACKED_TYPES.contains(type == null ? "Opaque" : type);
  }

  /** The Secret's {@code data} decoded, overlaid with its {@code stringData}. */
  public static Map<String, String> decode(Secret s) {
    Map<String, String> data = new HashMap<>();
    if (s.getData() != null) {
      s.getData()
          .forEach(
              (k, v) ->
                  data.put(
                      k, new String(Base64.getMimeDecoder().decode(v), StandardCharsets.UTF_8)));
    }
    if (s.getStringData() != null) {
      data.putAll(s.getStringData());
    }
    return data;
  }
}
