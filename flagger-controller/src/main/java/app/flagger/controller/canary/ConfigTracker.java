package app.flagger.controller.canary;

import app.flagger.controller.kube.Conflicts;
import app.flagger.controller.kube.InformerCache;
import app.flagger.controller.kube.Owners;
import app.flagger.controller.kube.SecretData;
import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Tracks the ConfigMaps and Secrets a target references (Flagger's {@code ConfigTracker}): their
 * checksums for change detection, and their {@code -primary} copies. Objects annotated {@code
 * flagger.app/config-tracking: disabled} and Secrets of other types (e.g. pull secrets) are left
 * out. The configs are read from the informer cache; the copies are written to the API server whole
 * (create, or update starting from the cached copy's resourceVersion and retried from a fresh read
 * on a conflict).
 */
public final class ConfigTracker {
  static final String OPT_OUT = "flagger.app/config-tracking";
  private static final Logger LOG = Logger.getLogger(ConfigTracker.class.getName());

  private final KubernetesClient client;
  private final InformerCache cache;
  private final boolean enabled;
  private final Labels labels;

  public ConfigTracker(
      KubernetesClient client, InformerCache cache, boolean enabled, Labels labels) {
    this.client = client;
    this.cache = cache;
    this.enabled = enabled;
    this.labels = labels;
  }

  /** The tracked configs that exist, keyed {@code configmap/<name>} or {@code secret/<name>}. */
  public Map<String, HasMetadata> read(String namespace, PodSpec spec) {
    Map<String, HasMetadata> out = new LinkedHashMap<>();
    if (!enabled) {
      return out;
    }
    for (ConfigRefs.Ref ref : ConfigRefs.of(spec)) {
      HasMetadata o = get(namespace, ref);
      if (o == null) {
        if (!ref.optional()) {
          throw new TargetException(ref.kind() + " " + namespace + "/" + ref.name() + " not found");
        }
        LOG.fine(() -> "optional " + ref.key() + " not found, skipping");
        continue;
      }
      if (tracked(o)) {
        out.put(ref.key(), o);
      }
    }
    return out;
  }

  /** The checksums of the tracked configs, as stored in {@code status.trackedConfigs}. */
  public Map<String, String> checksums(String namespace, PodSpec spec) {
    Map<String, String> out = new TreeMap<>();
    read(namespace, spec).forEach((k, o) -> out.put(k, SpecHash.ofData(data(o))));
    return out;
  }

  /** Whether the configs differ from {@code status.trackedConfigs}. */
  public boolean changed(Canary canary, PodSpec spec) {
    Map<String, String> now = checksums(canary.getMetadata().getNamespace(), spec);
    Map<String, String> before =
        canary.getStatus() == null ? Map.of() : canary.getStatus().trackedConfigsOrEmpty();
    if (now.isEmpty() && before.isEmpty()) {
      return false;
    }
    return !now.equals(before);
  }

  /** Creates or updates the {@code -primary} copies; returns the names copied, per kind. */
  public Map<String, Set<String>> createPrimaryConfigs(Canary canary, PodSpec spec) {
    String ns = canary.getMetadata().getNamespace();
    Map<String, HasMetadata> configs = read(ns, spec);
    for (HasMetadata o : configs.values()) {
      upsert(canary, o);
    }
    return configs.keySet().stream()
        .collect(
            Collectors.groupingBy(
                k -> k.substring(0, k.indexOf('/')),
                Collectors.mapping(k -> k.substring(k.indexOf('/') + 1), Collectors.toSet())));
  }

  private void upsert(Canary canary, HasMetadata o) {
    String ns = canary.getMetadata().getNamespace();
    String name = ConfigRefs.primary(o.getMetadata().getName());
    Map<String, String> filtered = labels.filter(o.getMetadata().getLabels());
    if (o instanceof ConfigMap cm) {
      ConfigMap copy =
          new ConfigMapBuilder()
              .withNewMetadata()
              .withName(name)
              .withNamespace(ns)
              .withLabels(filtered)
              .withOwnerReferences(Owners.of(canary))
              .endMetadata()
              .withData(cm.getData())
              .withBinaryData(cm.getBinaryData())
              .build();
      write(client.configMaps().inNamespace(ns), cache.configMapMetadata(ns, name), copy);
      LOG.fine(() -> "ConfigMap " + name + " synced");
    } else if (o instanceof Secret s) {
      Secret copy =
          new SecretBuilder()
              .withNewMetadata()
              .withName(name)
              .withNamespace(ns)
              .withLabels(filtered)
              .withOwnerReferences(Owners.of(canary))
              .endMetadata()
              .withType(s.getType())
              .withData(s.getData())
              .withStringData(s.getStringData())
              .build();
      write(client.secrets().inNamespace(ns), cache.secretMetadata(ns, name), copy);
      LOG.fine(() -> "Secret " + name + " synced");
    }
  }

  /**
   * Creates the copy when the cache has none, else updates it from the cached resourceVersion
   * (written every time, as Flagger does: a cache behind our last write must not make us skip one);
   * a conflict (the cache was behind) re-reads the copy through the API and retries.
   */
  private static <T extends HasMetadata> void write(
      NonNamespaceOperation<T, ?, Resource<T>> op, T existing, T copy) {
    String name = copy.getMetadata().getName();
    T current = existing;
    if (current == null) {
      try {
        op.resource(copy).create();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        current = op.withName(name).get();
      }
    }
    Conflicts.retry(
        current,
        () -> op.withName(name).get(),
        c -> {
          copy.getMetadata()
              .setResourceVersion(c == null ? null : c.getMetadata().getResourceVersion());
          return c == null ? op.resource(copy).create() : op.resource(copy).update();
        });
  }

  private HasMetadata get(String namespace, ConfigRefs.Ref ref) {
    return "configmap".equals(ref.kind())
        ? cache.configMap(namespace, ref.name())
        : cache.secret(namespace, ref.name());
  }

  private static boolean tracked(HasMetadata o) {
    Map<String, String> a = o.getMetadata().getAnnotations();
    if (a != null && a.getOrDefault(OPT_OUT, "").startsWith("disable")) {
      return false;
    }
    if (o instanceof Secret s) {
      return SecretData.trackedType(s.getType());
    }
    return true;
  }

  private static Map<String, String> data(HasMetadata o) {
    Map<String, String> m = new TreeMap<>();
    if (o instanceof ConfigMap cm) {
      if (cm.getData() != null) {
        m.putAll(cm.getData());
      }
      if (cm.getBinaryData() != null) {
        m.putAll(cm.getBinaryData());
      }
    } else if (o instanceof Secret s) {
      if (s.getData() != null) {
        m.putAll(s.getData());
      }
      if (s.getStringData() != null) {
        m.putAll(s.getStringData());
      }
    }
    return m;
  }

  /** Config names grouped by kind, from {@link #createPrimaryConfigs}. */
  public static Set<String> names(Map<String, Set<String>> byKind, String kind) {
    return byKind.getOrDefault(kind, Set.of());
  }

  static List<String> keys(Map<String, String> m) {
    return List.copyOf(m.keySet());
  }
}
