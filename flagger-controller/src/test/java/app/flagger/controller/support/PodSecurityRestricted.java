package app.flagger.controller.support;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Kubernetes Pod Security Standards' "restricted" profile (which includes "baseline") as a
 * check on a pod template: what admission with {@code pod-security.kubernetes.io/enforce:
 * restricted} would refuse, one message per violation. Follows the profile's published controls
 * (kubernetes.io/docs/concepts/security/pod-security-standards, policy version latest).
 */
public final class PodSecurityRestricted {
  private static final Set<String> VOLUME_TYPES =
      Set.of(
          "configMap",
          "csi",
          "downwardAPI",
          "emptyDir",
          "ephemeral",
          "persistentVolumeClaim",
          "projected",
          "secret");
  private static final Set<String> SECCOMP = Set.of("RuntimeDefault", "Localhost");
  private static final Set<String> SELINUX_TYPES =
      Set.of("container_t", "container_init_t", "container_kvm_t", "container_engine_t");
  private static final Set<String> SAFE_SYSCTLS =
      Set.of(
          "kernel.shm_rmid_forced",
          "net.ipv4.ip_local_port_range",
          "net.ipv4.ip_unprivileged_port_start",
          "net.ipv4.tcp_syncookies",
          "net.ipv4.ping_group_range",
          "net.ipv4.ip_local_reserved_ports",
          "net.ipv4.tcp_keepalive_time",
          "net.ipv4.tcp_fin_timeout",
          "net.ipv4.tcp_keepalive_intvl",
          "net.ipv4.tcp_keepalive_probes");

  private PodSecurityRestricted() {}

  /**
   * What keeps {@code pod} (of {@code annotations}) from being admitted under "restricted"; empty
   * when it would be.
   */
  public static List<String> violations(PodSpec pod, Map<String, String> annotations) {
    List<String> out = new ArrayList<>();
    PodSecurityContext podContext =
        Optional.ofNullable(pod.getSecurityContext()).orElseGet(PodSecurityContext::new);
    if (isTrue(pod.getHostNetwork()) || isTrue(pod.getHostPID()) || isTrue(pod.getHostIPC())) {
      out.add("host namespaces: hostNetwork, hostPID and hostIPC must be unset or false");
    }
    for (Volume v : Optional.ofNullable(pod.getVolumes()).orElse(List.of())) {
      String type = volumeType(v);
      if (!VOLUME_TYPES.contains(type)) {
        out.add("volume " + v.getName() + ": type " + type + " is not allowed");
      }
    }
    Optional.ofNullable(podContext.getSysctls()).orElse(List.of()).stream()
        .filter(s -> !SAFE_SYSCTLS.contains(s.getName()))
        .forEach(s -> out.add("sysctl " + s.getName() + " is not in the safe set"));
    if (Long.valueOf(0).equals(podContext.getRunAsUser())) {
      out.add("pod runAsUser must not be 0");
    }
    seLinux("pod", podContext.getSeLinuxOptions(), out);
    if (podContext.getAppArmorProfile() != null
        && "Unconfined".equals(podContext.getAppArmorProfile().getType())) {
      out.add("pod appArmorProfile must not be Unconfined");
    }
    Optional.ofNullable(annotations).orElse(Map.of()).entrySet().stream()
        .filter(e -> e.getKey().startsWith("container.apparmor.security.beta.kubernetes.io/"))
        .filter(e -> e.getValue().equals("unconfined"))
        .forEach(e -> out.add("annotation " + e.getKey() + " must not be unconfined"));
    List<Container> containers = new ArrayList<>(pod.getContainers());
    containers.addAll(Optional.ofNullable(pod.getInitContainers()).orElse(List.of()));
    for (Container c : containers) {
      container(c, podContext, out);
    }
    return out;
  }

  private static void container(Container c, PodSecurityContext pod, List<String> out) {
    String where = "container " + c.getName() + ": ";
    SecurityContext sc =
        Optional.ofNullable(c.getSecurityContext()).orElseGet(SecurityContext::new);
    if (isTrue(sc.getPrivileged())) {
      out.add(where + "privileged must be unset or false");
    }
    if (!Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
      out.add(where + "allowPrivilegeEscalation must be false");
    }
    Boolean nonRoot = Optional.ofNullable(sc.getRunAsNonRoot()).orElse(pod.getRunAsNonRoot());
    if (!isTrue(nonRoot)) {
      out.add(where + "runAsNonRoot must be true (container or pod)");
    }
    if (Long.valueOf(0).equals(sc.getRunAsUser())) {
      out.add(where + "runAsUser must not be 0");
    }
    SeccompProfile seccomp =
        Optional.ofNullable(sc.getSeccompProfile()).orElse(pod.getSeccompProfile());
    if (seccomp == null || !SECCOMP.contains(seccomp.getType())) {
      out.add(where + "seccompProfile.type must be RuntimeDefault or Localhost (container or pod)");
    }
    Capabilities caps = Optional.ofNullable(sc.getCapabilities()).orElseGet(Capabilities::new);
    if (caps.getDrop() == null || !caps.getDrop().contains("ALL")) {
      out.add(where + "capabilities.drop must contain ALL");
    }
    Optional.ofNullable(caps.getAdd()).orElse(List.of()).stream()
        .filter(a -> !a.equals("NET_BIND_SERVICE"))
        .forEach(a -> out.add(where + "capability " + a + " may not be added"));
    if (sc.getProcMount() != null && !sc.getProcMount().equals("Default")) {
      out.add(where + "procMount must be Default");
    }
    if (sc.getAppArmorProfile() != null && "Unconfined".equals(sc.getAppArmorProfile().getType())) {
      out.add(where + "appArmorProfile must not be Unconfined");
    }
    seLinux(where.strip(), sc.getSeLinuxOptions(), out);
    for (ContainerPort p : Optional.ofNullable(c.getPorts()).orElse(List.of())) {
      if (p.getHostPort() != null && p.getHostPort() != 0) {
        out.add(where + "hostPort " + p.getHostPort() + " is not allowed");
      }
    }
  }

  private static void seLinux(
      String where, io.fabric8.kubernetes.api.model.SELinuxOptions options, List<String> out) {
    if (options == null) {
      return;
    }
    if (options.getType() != null
        && !options.getType().isEmpty()
        && !SELINUX_TYPES.contains(options.getType())) {
      out.add(where + " seLinuxOptions.type " + options.getType() + " is not allowed");
    }
    if (options.getUser() != null || options.getRole() != null) {
      out.add(where + " seLinuxOptions.user and role must be unset");
    }
  }

  private static String volumeType(Volume v) {
    if (v.getConfigMap() != null) {
      return "configMap";
    }
    if (v.getCsi() != null) {
      return "csi";
    }
    if (v.getDownwardAPI() != null) {
      return "downwardAPI";
    }
    if (v.getEmptyDir() != null) {
      return "emptyDir";
    }
    if (v.getEphemeral() != null) {
      return "ephemeral";
    }
    if (v.getPersistentVolumeClaim() != null) {
      return "persistentVolumeClaim";
    }
    if (v.getProjected() != null) {
      return "projected";
    }
    if (v.getSecret() != null) {
      return "secret";
    }
    if (v.getHostPath() != null) {
      return "hostPath";
    }
    return "other";
  }

  private static boolean isTrue(Boolean b) {
    return Boolean.TRUE.equals(b);
  }
}
