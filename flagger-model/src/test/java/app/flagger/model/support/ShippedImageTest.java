package app.flagger.model.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShippedImageTest {
  @Test
  void readsTheEntrypointsJvmOptionsWithTheImagesPathsResolvedBesideTheDockerfile() {
    String dockerfile =
        """
        FROM eclipse-temurin:25-jre
        COPY jvm.flags /app/jvm.flags
        ENTRYPOINT ["java", "-XX:Flags=/app/jvm.flags", "-Xss512k", "-jar", "/app/c.jar"]
        """;

    assertThat(ShippedImage.entrypointOptions(dockerfile, Path.of("/src/c"), "Dockerfile"))
        .containsExactly("-XX:Flags=/src/c/jvm.flags", "-Xss512k");
  }

  @Test
  void aDockerfileWithoutAnExecFormJavaJarEntrypointIsAnError() {
    assertThatThrownBy(
            () -> ShippedImage.entrypointOptions("FROM x\n", Path.of("/src"), "Dockerfile"))
        .hasMessage(
            "Dockerfile: expected a line ENTRYPOINT [\"java\", <options>..., \"-jar\", <jar>]");
    assertThatThrownBy(
            () ->
                ShippedImage.entrypointOptions(
                    "ENTRYPOINT java -jar c.jar\n", Path.of("/src"), "Dockerfile"))
        .hasMessageStartingWith("Dockerfile: expected a line ENTRYPOINT");
  }

  @Test
  void readsTheImagesEnvironmentVariablesInOrder() {
    String dockerfile =
        """
        FROM eclipse-temurin:25-jre
        ENV MALLOC_ARENA_MAX=2
        ENV JDK_JAVA_OPTIONS="-XX:+UseSerialGC"
        """;

    assertThat(ShippedImage.env(dockerfile))
        .containsExactly(
            Map.entry("MALLOC_ARENA_MAX", "2"), Map.entry("JDK_JAVA_OPTIONS", "-XX:+UseSerialGC"));
  }

  @Test
  void theCommandIsJavaTheImagesOptionsTheExtraOnesThenTheJar() {
    ShippedImage image = new ShippedImage(List.of("-XX:Flags=/src/jvm.flags"), Map.of());

    assertThat(image.command("java", List.of("-XX:MaxRAM=1g"), Path.of("/x/c.jar")))
        .containsExactly("java", "-XX:Flags=/src/jvm.flags", "-XX:MaxRAM=1g", "-jar", "/x/c.jar");
  }

  /** Every service's image parses: the *JarIT tests start the jars as these say. */
  @Test
  void readsEveryServicesDockerfile() throws Exception {
    for (String module : List.of("flagger-controller", "flagger-loadtester", "flagger-grafana")) {
      ShippedImage image = ShippedImage.read(RepoRoot.find().resolve(module).resolve("Dockerfile"));

      // the load tester adds --enable-native-access and --sun-misc-unsafe-memory-access (gRPC)
      assertThat(image.javaOptions())
          .as(module)
          .startsWith(
              "-XX:Flags=" + RepoRoot.find().resolve(module).toAbsolutePath() + "/jvm.flags")
          .allMatch(o -> o.startsWith("-XX:Flags=") || o.startsWith("--"));
      assertThat(image.env())
          .as(module)
          .doesNotContainKeys("JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS");
    }
  }
}
