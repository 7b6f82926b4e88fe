package app.flagger.controller.canary;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which labels and annotations are copied to generated objects ({@code include-label-prefix}): none
 * by default, {@code *} for all; keys containing {@code toolkit.fluxcd.io} never.
 */
public record Labels(List<String> includePrefixes) {
  public Labels {
    includePrefixes = List.copyOf(includePrefixes);
  }

  /** The entries whose key starts with an included prefix. */
  public Map<String, String> filter(Map<String, String> in) {
    Map<String, String> out = new LinkedHashMap<>();
    if (in == null) {
      return out;
    }
    in.forEach(
        (k, v) -> {
          if (!isToolkit(k)
              && includePrefixes.stream().anyMatch(p -> p.equals("*") || k.startsWith(p))) {
            out.put(k, v);
          }
        });
    return out;
  }

  /** Every entry except the Flux toolkit ones. */
  public static Map<String, String> withoutToolkit(Map<String, String> in) {
    Map<String, String> out = new LinkedHashMap<>();
    if (in != null) {
      in.forEach(
          (k, v) -> {
            if (!isToolkit(k)) {
              out.put(k, v);
            }
          });
    }
    return out;
  }

  private static boolean isToolkit(String key) {
    return key.contains("toolkit.fluxcd.io");
  }
}
