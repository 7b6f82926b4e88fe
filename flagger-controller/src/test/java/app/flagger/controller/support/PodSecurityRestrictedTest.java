package app.flagger.controller.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The restricted-profile check finds what admission would refuse, and passes a hardened pod. */
class PodSecurityRestrictedTest {
  private static PodSpecBuilder hardened() {
    return new PodSpecBuilder()
        .withNewSecurityContext()
        .withRunAsNonRoot(true)
        .withRunAsUser(10001L)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
        .addNewContainer()
        .withName("app")
        .withNewSecurityContext()
        .withAllowPrivilegeEscalation(false)
        .withNewCapabilities()
        .addToDrop("ALL")
        .endCapabilities()
        .endSecurityContext()
        .endContainer()
        .addNewVolume()
        .withName("tmp")
        .withNewEmptyDir()
        .endEmptyDir()
        .endVolume();
  }

  @Test
  void aHardenedPodPasses() {
    assertThat(PodSecurityRestricted.violations(hardened().build(), Map.of())).isEmpty();
  }

  /** What an Istio sidecar injection without the CNI plugin adds: istio-init. */
  @Test
  void istioInitWithoutTheCniPluginIsRefused() {
    PodSpec pod =
        hardened()
            .addNewInitContainer()
            .withName("istio-init")
            .withNewSecurityContext()
            .withAllowPrivilegeEscalation(false)
            .withPrivileged(false)
            .withRunAsNonRoot(false)
            .withRunAsUser(0L)
            .withNewCapabilities()
            .addToAdd("NET_ADMIN", "NET_RAW")
            .addToDrop("ALL")
            .endCapabilities()
            .endSecurityContext()
            .endInitContainer()
            .build();
    assertThat(PodSecurityRestricted.violations(pod, Map.of()))
        .containsExactlyInAnyOrder(
            "container istio-init: runAsNonRoot must be true (container or pod)",
            "container istio-init: runAsUser must not be 0",
            "container istio-init: capability NET_ADMIN may not be added",
            "container istio-init: capability NET_RAW may not be added");
  }

  @Test
  void everyControlIsChecked() {
    PodSpec pod =
        hardened()
            .withHostNetwork(true)
            .editSecurityContext()
            .withSeccompProfile(null)
            .endSecurityContext()
            .addNewVolume()
            .withName("host")
            .withNewHostPath()
            .withPath("/var/run")
            .endHostPath()
            .endVolume()
            .editFirstContainer()
            .editSecurityContext()
            .withPrivileged(true)
            .withAllowPrivilegeEscalation(true)
            .withCapabilities(null)
            .endSecurityContext()
            .addNewPort()
            .withContainerPort(80)
            .withHostPort(80)
            .endPort()
            .endContainer()
            .build();
    assertThat(PodSecurityRestricted.violations(pod, Map.of()))
        .containsExactlyInAnyOrder(
            "host namespaces: hostNetwork, hostPID and hostIPC must be unset or false",
            "volume host: type hostPath is not allowed",
            "container app: privileged must be unset or false",
            "container app: allowPrivilegeEscalation must be false",
            "container app: seccompProfile.type must be RuntimeDefault or Localhost (container or"
                + " pod)",
            "container app: capabilities.drop must contain ALL",
            "container app: hostPort 80 is not allowed");
  }
}
