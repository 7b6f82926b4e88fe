package app.flagger.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.grafana.dashboard.Dashboards;
import app.flagger.grafana.support.TestConfigs;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --once}: one provisioning run, exit code 0 or 1. */
class RunOnceTest {
  @TempDir Path dir;

  @Test
  void writesTheProvisioningFilesAndSucceeds() {
    GrafanaConfig files =
        TestConfigs.grafana("http://grafana:3000", "mode", "files", "output-dir", dir.toString());

    assertThat(Main.runOnce(files)).isZero();
    assertThat(dir.resolve("provisioning/datasources/flagger.yaml")).exists();
    assertThat(dir.resolve("dashboards"))
        .isDirectoryContaining(p -> p.getFileName().toString().equals("flagger-istio.json"));
    assertThat(Files.isRegularFile(dir.resolve("provisioning/dashboards/flagger.yaml"))).isTrue();
    assertThat(Dashboards.all()).isNotEmpty();
  }

  @Test
  void failsWithoutRetryingWhenGrafanaIsDown() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    GrafanaConfig api = TestConfigs.grafana("http://127.0.0.1:" + port);

    assertThat(Main.runOnce(api)).isEqualTo(1);
  }
}
