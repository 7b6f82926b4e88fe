package app.flagger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** target/kubectl-flagger, as {@code package} built it, runs the plugin on the test's JDK. */
class LauncherJarIT {
  static final Path LAUNCHER = Path.of("target/kubectl-flagger").toAbsolutePath();
  static final String JAVA_BIN = Path.of(System.getProperty("java.home"), "bin").toString();

  record Run(int code, String out) {}

  private static Run run(Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(
                java.util.stream.Stream.concat(
                        java.util.stream.Stream.of(LAUNCHER.toString()), List.of(args).stream())
                    .toList())
            .redirectErrorStream(true);
    pb.environment().remove("JAVA_HOME");
    pb.environment().put("PATH", "/usr/bin:/bin");
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out);
  }

  @Test
  void theLauncherIsAnExecutableShellScriptNextToTheJarAndItsLibraries() throws IOException {
    assertThat(LAUNCHER).isRegularFile().isExecutable();
    assertThat(Files.readString(LAUNCHER)).startsWith("#!/bin/sh\n");
    assertThat(LAUNCHER.resolveSibling("flagger-cli.jar")).isRegularFile();
    assertThat(LAUNCHER.resolveSibling("libs")).isDirectoryContaining("glob:**/picocli-*.jar");
  }

  @Test
  void helpRunsThroughTheLauncherWithJavaHome() throws Exception {
    Run r = run(Map.of("JAVA_HOME", System.getProperty("java.home")), "--help");

    assertThat(r.code()).as(r.out()).isZero();
    assertThat(r.out())
        .startsWith("Usage: kubectl flagger")
        .contains("promote", "abort", "retry", "pause", "resume", "approve", "status", "get")
        .contains("Exit codes: 0 done, 1 refused");
  }

  @Test
  void helpRunsThroughTheLauncherWithJavaOnPath() throws Exception {
    Run r = run(Map.of("PATH", JAVA_BIN + ":/usr/bin:/bin"), "status", "--help");

    assertThat(r.code()).as(r.out()).isZero();
    assertThat(r.out()).startsWith("Usage: kubectl flagger status");
  }

  @Test
  void aUsageErrorExitsWith2ThroughTheLauncher() throws Exception {
    Run r = run(Map.of("JAVA_HOME", System.getProperty("java.home")), "approve");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).contains("Missing required parameter: 'NAME'");
  }
}
