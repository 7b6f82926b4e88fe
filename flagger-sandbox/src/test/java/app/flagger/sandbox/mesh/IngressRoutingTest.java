package app.flagger.sandbox.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mesh serves an Ingress's host as ingress-nginx does, with a canary Ingress's header, cookie
 * and weight, and reports ingress-nginx's request metrics with the canary's upstream.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngressRoutingTest {
  private static final String URL = "http://shop.example.com/";
  private MeshFixture f;

  @BeforeAll
  void podinfoPrimaryAndCanaryRunBehindTheMesh(@TempDir Path logs) throws Exception {
    f = new MeshFixture(logs, Map.of());
  }

  @AfterAll
  void stop() {
    f.close();
  }

  private static Predicate<HttpResponse<String>> version(String v) {
    return r -> r.statusCode() == 200 && r.body().contains("\"version\":\"" + v + "\"");
  }

  private void apply(String name, String service, Map<String, String> annotations) {
    Ingress i = IngressViewTest.ingress(name, service, annotations);
    i.getSpec().getRules().getFirst().setHost("shop.example.com");
    f.api
        .client()
        .network()
        .v1()
        .ingresses()
        .inNamespace("test")
        .resource(i)
        .createOr(NonDeletingOperation::update);
  }

  @Test
  void aCanaryIngressTakesTheHeaderThenTheCookieThenItsWeight() {
    // the apex Service podinfo selects the primary, as Flagger generates it
    apply("podinfo", "podinfo", Map.of());
    apply(
        "podinfo-canary",
        "podinfo-canary",
        Map.of(
            "nginx.ingress.kubernetes.io/canary", "true",
            "nginx.ingress.kubernetes.io/canary-by-header", "X-Canary",
            "nginx.ingress.kubernetes.io/canary-by-cookie", "canary",
            "nginx.ingress.kubernetes.io/canary-weight", "20"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> f.send(1, URL, Map.of("X-Canary", "always")).stream().allMatch(version("6.0.1")));
    long canaryBefore = f.mesh.telemetry().ingressRequests("test", "podinfo", true);
    long primaryBefore = f.mesh.telemetry().ingressRequests("test", "podinfo", false);

    assertThat(f.send(50, URL, Map.of("X-Canary", "always"))).allMatch(version("6.0.1"));
    assertThat(f.send(50, URL, Map.of("X-Canary", "never", "Cookie", "canary=always")))
        .allMatch(version("6.0.0"));
    assertThat(f.send(50, URL, Map.of("Cookie", "a=1; canary=always"))).allMatch(version("6.0.1"));
    assertThat(f.send(50, URL, Map.of("Cookie", "canary=never"))).allMatch(version("6.0.0"));
    List<HttpResponse<String>> plain = f.send(600, URL, Map.of());
    long canary = plain.stream().filter(version("6.0.1")).count();
    assertThat(plain.stream().filter(version("6.0.0")).count() + canary).isEqualTo(600);
    assertThat(canary / 6.0).isBetween(14.0, 26.0);

    assertThat(f.mesh.telemetry().ingressRequests("test", "podinfo", true) - canaryBefore)
        .isEqualTo(100 + canary);
    assertThat(f.mesh.telemetry().ingressRequests("test", "podinfo", false) - primaryBefore)
        .isEqualTo(100 + 600 - canary);
    assertThat(f.mesh.telemetry().render(f.kubelet.pods()))
        .contains(
            "nginx_ingress_controller_requests{canary=\"test-podinfo-canary-9898\","
                + "controller_class=\"k8s.io/ingress-nginx\",controller_namespace=\"ingress-nginx\","
                + "controller_pod=\"ingress-nginx-controller\",host=\"shop.example.com\","
                + "ingress=\"podinfo\",method=\"GET\",namespace=\"test\",path=\"/\","
                + "service=\"podinfo\",status=\"200\"}")
        .contains("nginx_ingress_controller_requests{canary=\"\",")
        .containsPattern(
            "nginx_ingress_controller_response_duration_seconds_bucket\\{canary=\"\",.*,"
                + "le=\"10\"} \\d+");
  }
}
