package app.flagger.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.flagger.model.support.RepoRoot;
import app.flagger.sandbox.kubelet.PodProcess;
import app.flagger.sandbox.prometheus.SandboxPrometheus;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole sandbox runs the podinfo example and stops every process it started. */
class SandboxTest {
  private static final Path ROOT = RepoRoot.find();

  @Test
  void runsTheExampleAndStopsEveryProcess(@TempDir Path tmp) throws Exception {
    Path prometheusBinary =
        Files.isExecutable(SandboxPrometheus.DEBIAN_BINARY)
            ? SandboxPrometheus.DEBIAN_BINARY
            : null;
    Sandbox sandbox =
        Sandbox.start(
            new Sandbox.Options(
                ROOT, tmp, prometheusBinary, Duration.ofSeconds(2), Duration.ofMillis(200), 1),
            Clock.systemUTC());
    List<PodProcess> pods;
    HttpServer webhook =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    try (sandbox;
        HttpClient client = HttpClient.newBuilder().proxy(sandbox.mesh().proxySelector()).build()) {
      for (String example : SandboxMain.EXAMPLES) {
        sandbox.api().apply(ROOT.resolve("k8s/examples").resolve(example));
      }
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                Deployment d =
                    sandbox
                        .api()
                        .client()
                        .apps()
                        .deployments()
                        .inNamespace("test")
                        .withName("podinfo")
                        .get();
                assertThat(d.getStatus()).isNotNull();
                assertThat(d.getSpec().getReplicas())
                    .as("no replicas in the example: the HPA owns them")
                    .isNull();
                assertThat(d.getStatus().getReadyReplicas()).isEqualTo(1);
              });
      pods = sandbox.kubelet().pods();
      assertThat(pods).singleElement().satisfies(p -> assertThat(p.alive()).isTrue());

      webhook.createContext(
          "/",
          ex -> {
            byte[] ok = "{}".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, ok.length);
            ex.getResponseBody().write(ok);
            ex.close();
          });
      webhook.start();
      sandbox.expose("event-receiver", "test", webhook.getAddress().getPort(), "/");
      HttpResponse<String> r =
          client.send(
              HttpRequest.newBuilder(URI.create("http://event-receiver.test/")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.body()).isEqualTo("{}");
      if (sandbox.prometheus().isPresent()) {
        SandboxPrometheus prometheus = sandbox.prometheus().get();
        assertThat(prometheus.targets())
            .extracting(t -> t.job())
            .containsExactly("istio-mesh", "event-receiver");
        // the pod is discovered and scraped for its own metrics
        String pod = pods.getFirst().name();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    prometheus
                            .queryValue(
                                "up{job=\"kubernetes-pods\",namespace=\"test\",pod=\""
                                    + pod
                                    + "\"}")
                            .orElse(0)
                        == 1);
        assertThat(prometheus.query("http_requests_total{status=\"200\",pod=\"" + pod + "\"}"))
            .isNotEmpty();
      }
    } finally {
      webhook.stop(0);
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(pods).noneMatch(PodProcess::alive));
    assertThat(
            ProcessHandle.current()
                .descendants()
                .filter(ProcessHandle::isAlive)
                .map(p -> p.info().command().orElse(""))
                .filter(c -> c.contains("prometheus") || c.contains("java"))
                .toList())
        .isEmpty();
  }
}
