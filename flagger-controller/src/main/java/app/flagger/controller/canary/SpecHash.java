package app.flagger.controller.canary;

import app.flagger.model.canary.CanaryStatus;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * Stable hashes for change detection (Flagger's {@code ComputeHash}, which is Go-specific): the
 * first 8 bytes of SHA-256 over the object's JSON, as 16 hex characters. Only equality matters.
 */
public final class SpecHash {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private SpecHash() {}

  /** The hash of an object's canonical JSON. */
  public static String of(Object o) {
    return sha256(JSON.asJson(canonical(o)));
  }

  /** The checksum of a ConfigMap's or Secret's data, as Flagger stores it in trackedConfigs. */
  /**
   * Whether a target whose pod template hashes to {@code hash} is a new revision for a Canary with
   * this status: no applied spec yet, or neither the promoted nor the applied one.
   */
  public static boolean isNewRevision(String hash, CanaryStatus s) {
    if (s == null || s.lastAppliedSpec() == null || s.lastAppliedSpec().isEmpty()) {
      return true;
    }
    return !hash.equals(s.lastPromotedSpec()) && !hash.equals(s.lastAppliedSpec());
  }

  public static String ofData(Map<String, String> data) {
    return sha256(JSON.asJson(new TreeMap<>(data == null ? Map.of() : data)));
  }

  /** The webhook {@code checksum}: the hash of tracked configs and the last applied spec. */
  public static String checksum(Map<String, String> trackedConfigs, String lastAppliedSpec) {
    Map<String, Object> m = new TreeMap<>();
    m.put("trackedConfigs", new TreeMap<>(trackedConfigs == null ? Map.of() : trackedConfigs));
    m.put("lastAppliedSpec", lastAppliedSpec == null ? "" : lastAppliedSpec);
    return sha256(JSON.asJson(m)).substring(0, 10);
  }

  private static Object canonical(Object o) {
    Object tree = JSON.convertValue(o, Object.class);
    return sort(tree);
  }

  @SuppressWarnings("unchecked")
  private static Object sort(Object o) {
    if (o instanceof Map<?, ?> m) {
      Map<String, Object> out = new TreeMap<>();
      ((Map<String, Object>) m).forEach((k, v) -> out.put(k, sort(v)));
      return out;
    }
    if (o instanceof java.util.List<?> l) {
      return l.stream().map(SpecHash::sort).toList();
    }
    return o;
  }

  private static String sha256(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
