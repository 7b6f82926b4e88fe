package app.flagger.controller;

import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/** Reads a Secret's values the way the API server would hand them to a pod. */
public final class SecretData {
  private SecretData() {}

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
