package app.flagger.sandbox.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * What the kubelet needs from a Deployment's pod template: the first container's image, name and
 * literal env values, the labels, and a hash of the whole template (Kubernetes' {@code
 * pod-template-hash}) that changes whenever the template does.
 *
 * @param namespace the Deployment's namespace
 * @param workload the Deployment's name
 * @param hash the pod template hash
 * @param labels the template's labels plus {@code pod-template-hash}
 * @param container the first container's name
 * @param image the first container's image
 * @param env the first container's env entries that have a literal value
 */
public record PodTemplate(
    String namespace,
    String workload,
    String hash,
    Map<String, String> labels,
    String container,
    String image,
    Map<String, String> env) {

  private static final String SAFE = "bcdfghjklmnpqrstvwxz2456789";

  public static PodTemplate of(Deployment d, KubernetesSerialization serialization) {
    var template = d.getSpec().getTemplate();
    String hash = hash(serialization.asJson(template));
    Map<String, String> labels = new TreeMap<>();
    if (template.getMetadata() != null && template.getMetadata().getLabels() != null) {
      labels.putAll(template.getMetadata().getLabels());
    }
    labels.put("pod-template-hash", hash);
    Container c = template.getSpec().getContainers().getFirst();
    Map<String, String> env = new LinkedHashMap<>();
    if (c.getEnv() != null) {
      for (EnvVar e : c.getEnv()) {
        if (e.getValue() != null) {
          env.put(e.getName(), e.getValue());
        }
      }
    }
    return new PodTemplate(
        d.getMetadata().getNamespace(),
        d.getMetadata().getName(),
        hash,
        Map.copyOf(labels),
        c.getName(),
        c.getImage() == null ? "" : c.getImage(),
        Map.copyOf(env));
  }

  /** Ten characters from Kubernetes' safe alphabet (no vowels, no look-alikes). */
  static String hash(String json) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < 10; i++) {
        out.append(SAFE.charAt((digest[i] & 0xff) % SAFE.length()));
      }
      return out.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** A random five-character pod name suffix, from the same alphabet. */
  static String suffix(RandomGenerator random) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      out.append(SAFE.charAt(random.nextInt(SAFE.length())));
    }
    return out.toString();
  }
}
