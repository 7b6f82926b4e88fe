package app.flagger.controller.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControllerJvmTest {
  static final String MANIFEST =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: flagger
      spec:
        template:
          spec:
            containers:
              - name: sidecar
                resources:
                  limits: {cpu: 100m, memory: 16Mi}
              - name: flagger
                resources:
                  limits:
                    cpu: 1500m
                    memory: 512Mi
      """;

  @Test
  void theFlagsFileComesFirstThenJdkJavaOptionsThenTheCommandLine(@TempDir Path dir)
      throws Exception {
    Path flags =
        Files.writeString(dir.resolve("jvm.flags"), "# why\n+UseSerialGC\n\nMaxRAMPercentage=20\n");
    ControllerJvm jvm =
        new ControllerJvm(
            List.of("-XX:Flags=" + flags, "-Xss512k"),
            List.of("-XX:MaxRAM=1g"),
            Map.of(ControllerJvm.ENV, "-XX:MaxRAMPercentage=30"));

    assertThat(jvm.all())
        .containsExactly(
            "-XX:+UseSerialGC",
            "-XX:MaxRAMPercentage=20",
            "-XX:MaxRAMPercentage=30",
            "-Xss512k",
            "-XX:MaxRAM=1g");
    assertThat(jvm.command("java", Path.of("/x/c.jar")))
        .containsExactly(
            "java", "-XX:Flags=" + flags, "-Xss512k", "-XX:MaxRAM=1g", "-jar", "/x/c.jar");
  }

  @Test
  void simulatesTheControllerContainersLimits() {
    assertThat(ControllerJvm.limits(MANIFEST, "flagger", "m.yaml"))
        .containsExactly("-XX:MaxRAM=536870912", "-XX:ActiveProcessorCount=2");
  }

  @Test
  void aManifestWithoutTheContainerIsAnError() {
    assertThatThrownBy(() -> ControllerJvm.limits(MANIFEST, "nope", "m.yaml"))
        .hasMessageContaining("m.yaml: expected a container named nope");
  }

  @Test
  void overridesComeLastAndTheLastNmtSettingWins() {
    ControllerJvm jvm =
        new ControllerJvm(
            List.of(),
            List.of("-XX:MaxRAM=1g", "-XX:NativeMemoryTracking=off"),
            Map.of(ControllerJvm.ENV, "-XX:NativeMemoryTracking=summary"));

    assertThat(jvm.all()).endsWith("-XX:MaxRAM=1g", "-XX:NativeMemoryTracking=off");
    assertThat(jvm.nativeMemoryTracking()).isFalse();
  }

  /** The files that ship parse: the benchmark always measures them. */
  @Test
  void readsWhatShips() throws Exception {
    ControllerJvm jvm =
        ControllerJvm.shipped(
            Path.of("Dockerfile"),
            Path.of("../k8s/controller/050-Deployment-flagger.yaml"),
            "-XX:NativeMemoryTracking=summary");

    assertThat(jvm.imageOptions()).anyMatch(o -> o.startsWith("-XX:Flags=/"));
    assertThat(jvm.imageEnv()).doesNotContainKey(ControllerJvm.ENV);
    assertThat(jvm.all()).contains("-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError");
    assertThat(jvm.args()).anyMatch(a -> a.startsWith("-XX:MaxRAM="));
    assertThat(jvm.args()).last().isEqualTo("-XX:NativeMemoryTracking=summary");
    assertThat(jvm.nativeMemoryTracking()).isTrue();
  }
}
