package app.flagger.controller.canary;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Pure functions over the ConfigMap and Secret references of a pod spec (volumes, projected
 * sources, env {@code valueFrom} and {@code envFrom}, in containers and init containers).
 */
public final class ConfigRefs {
  private ConfigRefs() {}

  /** A referenced config: {@code configmap} or {@code secret}, its name, whether optional. */
  public record Ref(String kind, String name, boolean optional) {
    public String key() {
      return kind + "/" + name;
    }
  }

  /** Every config the pod spec references, in order of appearance, without duplicates. */
  public static List<Ref> of(PodSpec spec) {
    Set<Ref> out = new LinkedHashSet<>();
    if (spec == null) {
      return List.of();
    }
    for (Volume v : nullSafe(spec.getVolumes())) {
      if (v.getConfigMap() != null) {
        out.add(
            new Ref("configmap", v.getConfigMap().getName(), opt(v.getConfigMap().getOptional())));
      }
      if (v.getSecret() != null) {
        out.add(new Ref("secret", v.getSecret().getSecretName(), opt(v.getSecret().getOptional())));
      }
      if (v.getProjected() != null) {
        for (VolumeProjection p : nullSafe(v.getProjected().getSources())) {
          if (p.getConfigMap() != null) {
            out.add(
                new Ref(
                    "configmap", p.getConfigMap().getName(), opt(p.getConfigMap().getOptional())));
          }
          if (p.getSecret() != null) {
            out.add(new Ref("secret", p.getSecret().getName(), opt(p.getSecret().getOptional())));
          }
        }
      }
    }
    for (Container c : containers(spec)) {
      for (EnvVar e : nullSafe(c.getEnv())) {
        if (e.getValueFrom() != null && e.getValueFrom().getConfigMapKeyRef() != null) {
          var r = e.getValueFrom().getConfigMapKeyRef();
          out.add(new Ref("configmap", r.getName(), opt(r.getOptional())));
        }
        if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
          var r = e.getValueFrom().getSecretKeyRef();
          out.add(new Ref("secret", r.getName(), opt(r.getOptional())));
        }
      }
      for (EnvFromSource e : nullSafe(c.getEnvFrom())) {
        if (e.getConfigMapRef() != null) {
          out.add(
              new Ref(
                  "configmap",
                  e.getConfigMapRef().getName(),
                  opt(e.getConfigMapRef().getOptional())));
        }
        if (e.getSecretRef() != null) {
          out.add(
              new Ref("secret", e.getSecretRef().getName(), opt(e.getSecretRef().getOptional())));
        }
      }
    }
    return List.copyOf(out);
  }

  /** Renames the tracked references of {@code spec} in place to {@code <name>-primary}. */
  public static void rename(PodSpec spec, Set<String> configMaps, Set<String> secrets) {
    for (Volume v : nullSafe(spec.getVolumes())) {
      if (v.getConfigMap() != null && configMaps.contains(v.getConfigMap().getName())) {
        v.getConfigMap().setName(primary(v.getConfigMap().getName()));
      }
      if (v.getSecret() != null && secrets.contains(v.getSecret().getSecretName())) {
        v.getSecret().setSecretName(primary(v.getSecret().getSecretName()));
      }
      if (v.getProjected() != null) {
        for (VolumeProjection p : nullSafe(v.getProjected().getSources())) {
          if (p.getConfigMap() != null && configMaps.contains(p.getConfigMap().getName())) {
            p.getConfigMap().setName(primary(p.getConfigMap().getName()));
          }
          if (p.getSecret() != null && secrets.contains(p.getSecret().getName())) {
            p.getSecret().setName(primary(p.getSecret().getName()));
          }
        }
      }
    }
    for (Container c : containers(spec)) {
      for (EnvVar e : nullSafe(c.getEnv())) {
        if (e.getValueFrom() == null) {
          continue;
        }
        var cm = e.getValueFrom().getConfigMapKeyRef();
        if (cm != null && configMaps.contains(cm.getName())) {
          cm.setName(primary(cm.getName()));
        }
        var s = e.getValueFrom().getSecretKeyRef();
        if (s != null && secrets.contains(s.getName())) {
          s.setName(primary(s.getName()));
        }
      }
      for (EnvFromSource e : nullSafe(c.getEnvFrom())) {
        if (e.getConfigMapRef() != null && configMaps.contains(e.getConfigMapRef().getName())) {
          e.getConfigMapRef().setName(primary(e.getConfigMapRef().getName()));
        }
        if (e.getSecretRef() != null && secrets.contains(e.getSecretRef().getName())) {
          e.getSecretRef().setName(primary(e.getSecretRef().getName()));
        }
      }
    }
  }

  static String primary(String name) {
    return name + "-primary";
  }

  private static List<Container> containers(PodSpec spec) {
    List<Container> all = new ArrayList<>(nullSafe(spec.getContainers()));
    all.addAll(nullSafe(spec.getInitContainers()));
    return all;
  }

  private static boolean opt(Boolean b) {
    return Boolean.TRUE.equals(b);
  }

  private static <T> List<T> nullSafe(List<T> l) {
    return l == null ? List.of() : l;
  }
}
