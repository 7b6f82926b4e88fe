package app.flagger.controller.bench;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.ControllerServer;
import app.flagger.controller.ReadinessState;
import app.flagger.controller.observe.CanaryMetricsRecorder;
import app.flagger.controller.observe.MetricsEndpoint;
import app.flagger.model.canary.CanaryPhase;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.service.registry.Services;
import io.helidon.webserver.WebServer;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How long the controller's {@code /metrics} takes with N Canaries in analysis (default 1,000):
 * every per-Canary series an analysing Canary has (status, both weights, the duration histogram,
 * two analysis values, the judge's score and verdicts) registered through the controller's own
 * recorder on the registry {@code Main} uses, served by the controller's HTTP server; the GET is
 * timed from a client in the same JVM on loopback, after a warm-up: read into a {@code String} (as
 * before the controller rendered these families itself), then with the body discarded (the HTTP
 * transfer without the client's decoding), then the text rendered into a buffer without HTTP
 * ({@code render}, the server's own share). Prints {@code BENCH-METRICS}. A benchmark, not a timed
 * test: {@code make bench-metrics} runs it on the image's JVM options ({@code jvm.flags}: serial
 * GC, C1 only), as the controller runs; {@code mvn -Pit -pl flagger-controller -am verify
 * -Dtest=MetricsRenderIT -DskipITs} on the JVM's defaults, where G1's and C2's threads compete with
 * the GETs for the two cores of the shared machine.
 */
class MetricsRenderIT {
  private static final int CANARIES = Integer.getInteger("bench.canaries", 1000);
  private static final int GETS = Integer.getInteger("bench.gets", 200);

  @Test
  void rendersTheMetricsOfAThousandAnalysingCanaries() throws Exception {
    Config config =
        Config.builder()
            .disableEnvironmentVariablesSource()
            .disableSystemPropertiesSource()
            .sources(
                ConfigSources.create(
                    Map.of(
                        "server.port", "0",
                        "server.host", "127.0.0.1",
                        "server.features.observe.endpoint", "/")))
            .build();
    WebServer server = ControllerServer.create(config, new ReadinessState(true)).start();
    try {
      MeterRegistry registry = Services.get(MeterRegistry.class);
      CanaryMetricsRecorder recorder = new CanaryMetricsRecorder(registry);
      for (int i = 0; i < CANARIES; i++) {
        String name = "app-" + i;
        recorder.setStatus(name, "bench", CanaryPhase.PROGRESSING);
        recorder.setWeight(name, "bench", 80, 20);
        for (int d = 1; d <= 20; d++) {
          recorder.setDuration(name, "bench", Duration.ofMillis(3L * d));
        }
        recorder.setAnalysis(name, "bench", "request-success-rate", 99.9);
        recorder.setAnalysis(name, "bench", "request-duration", 0.025);
        recorder.setJudgeScore(name, "bench", 100);
        recorder.setJudgeVerdict(name, "bench", "request-duration", 1);
      }
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest get =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
              .header("Accept", "text/plain")
              .build();
      int bytes = 0;
      for (int i = 0; i < 20; i++) {
        bytes = http.send(get, HttpResponse.BodyHandlers.ofString()).body().length();
      }
      double[] ms = new double[GETS];
      for (int i = 0; i < GETS; i++) {
        long start = System.nanoTime();
        HttpResponse<String> res = http.send(get, HttpResponse.BodyHandlers.ofString());
        ms[i] = (System.nanoTime() - start) / 1e6;
        assertThat(res.statusCode()).isEqualTo(200);
      }
      Arrays.sort(ms);
      double[] discardMs = new double[GETS];
      for (int i = 0; i < GETS; i++) {
        long start = System.nanoTime();
        http.send(get, HttpResponse.BodyHandlers.discarding());
        discardMs[i] = (System.nanoTime() - start) / 1e6;
      }
      Arrays.sort(discardMs);
      // the server's share: the text rendered into a buffer, without HTTP
      MetricsEndpoint endpoint = MetricsEndpoint.at("/metrics");
      ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      double[] renderMs = new double[GETS];
      for (int i = 0; i < GETS; i++) {
        buffer.reset();
        long start = System.nanoTime();
        endpoint.render(buffer);
        renderMs[i] = (System.nanoTime() - start) / 1e6;
      }
      Arrays.sort(renderMs);
      System.out.printf(
          Locale.ROOT,
          "BENCH-METRICS canaries=%d gets=%d bytes=%d p50Ms=%.1f p99Ms=%.1f maxMs=%.1f"
              + " bodyDiscardedP50Ms=%.1f bodyDiscardedP99Ms=%.1f renderP50Ms=%.1f renderP99Ms=%.1f%n",
          CANARIES,
          GETS,
          bytes,
          ms[GETS / 2],
          p99(ms),
          ms[GETS - 1],
          discardMs[GETS / 2],
          p99(discardMs),
          renderMs[GETS / 2],
          p99(renderMs));
    } finally {
      server.stop();
    }
  }

  /** The 99th percentile of sorted {@code ms}. */
  static double p99(double[] ms) {
    return ms[(int) Math.ceil(ms.length * 0.99) - 1];
  }
}
