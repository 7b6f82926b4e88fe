package app.flagger.controller.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
  void readsTheImagesJdkJavaOptions() {
    String dockerfile =
        """
        FROM eclipse-temurin:21-jre
        # JVM settings
        ENV JDK_JAVA_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
        ENTRYPOINT ["java", "-jar", "/app/flagger-controller.jar"]
        """;

    assertThat(ControllerJvm.jdkJavaOptions(dockerfile, "Dockerfile"))
        .isEqualTo("-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError");
  }

  @Test
  void readsTheImagesOtherEnvironmentVariables() {
    String dockerfile =
        """
        FROM eclipse-temurin:25-jre
        ENV MALLOC_ARENA_MAX=2
        ENV JDK_JAVA_OPTIONS="-XX:+UseSerialGC"
        """;

    assertThat(ControllerJvm.imageEnv(dockerfile))
        .containsExactly(
            Map.entry("MALLOC_ARENA_MAX", "2"), Map.entry("JDK_JAVA_OPTIONS", "-XX:+UseSerialGC"));
  }

  @Test
  void aDockerfileWithoutTheOptionsIsAnError() {
    assertThatThrownBy(() -> ControllerJvm.jdkJavaOptions("FROM x\n", "Dockerfile"))
        .hasMessageContaining("Dockerfile: expected a line ENV JDK_JAVA_OPTIONS=");
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
            "-XX:NativeMemoryTracking=summary -XX:MaxRAMPercentage=75",
            java.util.List.of("-XX:MaxRAM=1g", "-XX:NativeMemoryTracking=off"));

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

    assertThat(jvm.jdkJavaOptions()).startsWith("-");
    assertThat(jvm.args()).anyMatch(a -> a.startsWith("-XX:MaxRAM="));
    assertThat(jvm.args()).last().isEqualTo("-XX:NativeMemoryTracking=summary");
    assertThat(jvm.nativeMemoryTracking()).isTrue();
  }
}
