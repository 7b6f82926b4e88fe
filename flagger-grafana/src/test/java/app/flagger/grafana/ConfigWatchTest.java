package app.flagger.grafana;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.flagger.grafana.provision.ProvisioningLoop;
import app.flagger.grafana.support.ManualScheduler;
import app.flagger.grafana.support.MutableClock;
import io.helidon.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Main's configuration: file over classpath defaults, and a watched file that re-provisions. */
class ConfigWatchTest {
  @TempDir Path dir;

  @Test
  void defaultsComeFromTheClasspathAndTheFileOverridesThem() throws Exception {
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, "grafana:\n  url: http://grafana.example:3000\n  password: x\n");

    GrafanaConfig config = GrafanaConfig.from(Main.loadConfig(file.toString()).get("grafana"));

    assertThat(config.url()).hasToString("http://grafana.example:3000");
    assertThat(config.prometheusUrl()).hasToString("http://prometheus:9090");
    assertThat(config.folder()).isEqualTo("Flagger");
    assertThat(config.mode()).isEqualTo(ProvisioningMode.API);
  }

  @Test
  void aMissingFileIsFine() {
    GrafanaConfig config =
        GrafanaConfig.from(Main.loadConfig(dir.resolve("absent.yaml").toString()).get("grafana"));

    assertThat(config.url()).hasToString("http://localhost:3000");
  }

  /** Editing the file (a ConfigMap update) reconfigures the loop and schedules a run at once. */
  @Test
  void aChangedFileReprovisions() throws Exception {
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, "grafana:\n  password: x\n  prometheus-url: http://a:9090\n");
    Config config = Main.loadConfig(file.toString(), Duration.ofMillis(100));
    ManualScheduler scheduler = new ManualScheduler(new MutableClock(Instant.EPOCH));
    ProvisioningLoop loop =
        Main.loop(scheduler, new MutableClock(Instant.EPOCH), new ProvisioningMetrics());
    loop.start(GrafanaConfig.from(config.get("grafana")));
    Main.watch(config, loop);

    Files.writeString(file, "grafana:\n  password: x\n  prometheus-url: http://b:9090\n");

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> loop.config().prometheusUrl().toString().equals("http://b:9090"));
    assertThat(scheduler.pendingDelays()).containsExactly(Duration.ZERO);
  }
}
