package app.flagger.loadtester.curl;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.loadtester.support.FakePodinfo;
import java.io.IOException;
import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The acceptance-test command lines of Flagger's docs, tutorials and e2e tests, verbatim, each run
 * against a podinfo stand-in (their {@code http://host[:port]} is pointed at it): the exit status
 * and the output bash would capture.
 */
class FlaggerIdiomsTest {
  private static final Pattern AUTHORITY = Pattern.compile("http://[^/\\s']+");
  private static final String TOKEN_LINE = "  \"token\": \"" + FakePodinfo.TOKEN + "\",\n";
  private static MockWebServer podinfo;

  @BeforeAll
  static void start() throws IOException {
    podinfo = new MockWebServer();
    podinfo.setDispatcher(new FakePodinfo());
    podinfo.start(InetAddress.getLoopbackAddress(), 0);
  }

  @AfterAll
  static void stop() {
    podinfo.close();
  }

  private static NativePipeline.Result run(String command) {
    String local =
        AUTHORITY
            .matcher(command)
            .replaceAll(Matcher.quoteReplacement("http://127.0.0.1:" + podinfo.getPort()));
    return NativePipeline.parse(local).run(new CurlClient(CurlClient.ANY_DESTINATION), () -> false);
  }

  /** Output {@code TOKEN} stands for podinfo's token line; {@code \n} for a line break. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '~',
      quoteCharacter = '`',
      value = {
        // docs/gitbook/tutorials (istio, linkerd, kuma, nginx, skipper, traefik, contour, gloo),
        // kustomize/tester, test/*/test-canary.sh, this repository's k8s/examples
        "curl -sd 'test' http://podinfo-canary.test:9898/token | grep token ~ 0 ~ TOKEN",
        "curl -sd 'test' http://podinfo-canary:9898/token | grep token ~ 0 ~ TOKEN",
        "curl -sd 'test' http://podinfo-canary/token | grep token ~ 0 ~ TOKEN",
        "curl -sd 'test' http://podinfo-canary.test/token | grep token ~ 0 ~ TOKEN",
        "curl -sd 'test' http://podinfo-svc-canary/token | grep token ~ 0 ~ TOKEN",
        "curl -sd 'test' http://podinfo-ds-canary/token | grep token ~ 0 ~ TOKEN",
        "curl -sd 'test' http://podinfo-service-canary/token | grep token ~ 0 ~ TOKEN",
        "curl -sd 'anon' http://podinfo-canary.test:9898/token | grep token ~ 0 ~ TOKEN",
        "curl -sd 'anon' http://podinfo-canary.bg-test:9898/token | grep token ~ 0 ~ TOKEN",
        "curl -sd 'test' -H 'Host: app.example.com' http://envoy.projectcontour/token | grep token ~ 0 ~ TOKEN",
        "curl -sd 'test' -H 'Host: app.example.com' http://gateway-proxy.gloo-system/token | grep token ~ 0 ~ TOKEN",
        "curl -sd 'test' -H 'Host: app.example.com' http://traefik.traefik/token | grep token ~ 0 ~ TOKEN",
        // test/nginx (type: bash) and test/istio (type: cmd, logCmdOutput)
        "curl -sH 'x-user: insider' -H 'Host: app.example.com' http://ingress-nginx-controller.ingress-nginx ~ 0 ~ {\\n  \"hostname\": \"podinfo-canary-7f8d\",\\n  \"version\": \"6.7.1\"\\n}",
        "curl -s http://podinfo.test/ ~ 0 ~ {\\n  \"hostname\": \"podinfo-canary-7f8d\",\\n  \"version\": \"6.7.1\"\\n}",
        // common forms of blog posts and tutorials on Flagger webhooks
        "curl -sf http://my-app-canary.default:80/healthz ~ 0 ~ {\\n  \"status\": \"OK\"\\n}",
        "curl -s http://podinfo-canary.test:9898/healthz ~ 0 ~ {\\n  \"status\": \"OK\"\\n}",
        "curl -s -o /dev/null -w '%{http_code}' http://podinfo-canary.test:9898/healthz | grep 200 ~ 0 ~ 200\\n",
        "curl -s -o /dev/null -w \"%{http_code}\" http://podinfo-canary.test:9898/ | grep -q 200 ~ 0 ~",
        "curl -sSf http://podinfo-canary.test:9898/healthz | jq -e '.status == \"OK\"' ~ 0 ~ true\\n",
        "curl -s http://podinfo-canary.test:9898/healthz | jq -e '.status == \"ok\"' ~ 1 ~ false\\n",
        "curl -s http://podinfo-canary.test:9898/healthz | jq -r .status ~ 0 ~ OK\\n",
        "curl -sd 'test' http://podinfo-canary.test:9898/token | jq -r .token ~ 0 ~ "
            + FakePodinfo.TOKEN
            + "\\n",
        "curl -sd 'test' http://podinfo-canary.test:9898/token | jq -e 'has(\"token\")' ~ 0 ~ true\\n",
        "curl -s --max-time 5 http://podinfo-canary.test:9898/ | grep -i version ~ 0 ~ `  \"version\": \"6.7.1\"\\n`",
        "curl -sL http://podinfo-canary.test:9898/redirect/2 | grep -c OK ~ 0 ~ 1\\n",
        // the same checks against a failing canary
        "curl -sd 'test' http://podinfo-canary.test:9898/status/500 | grep token ~ 1 ~",
        "curl -sf http://podinfo-canary.test:9898/status/500 ~ 22 ~",
        "curl -sSf http://podinfo-canary.test:9898/status/500 ~ 22 ~ curl: (22) The requested URL returned error: 500\\n",
        "curl -sSf http://podinfo-canary.test:9898/status/503 | jq -e '.status == \"OK\"' ~ 4 ~ curl: (22) The requested URL returned error: 503\\n",
        "curl -s -o /dev/null -w '%{http_code}' http://podinfo-canary.test:9898/status/500 | grep 200 ~ 1 ~",
        "curl -s http://podinfo-canary.test:9898/status/500 | grep -q '\"status\": 500' ~ 0 ~",
        "curl -s -m 1 http://podinfo-canary.test:9898/delay/10 | grep delay ~ 1 ~",
        "curl -sS -m 0.5 http://podinfo-canary.test:9898/delay/10 ~ 28 ~ TIMEOUT",
      })
  void runsLikeBash(String command, int exit, String output) {
    NativePipeline.Result r = run(command);
    assertThat(r.exitCode()).as(r.output()).isEqualTo(exit);
    assertThat(r.timedOut()).isFalse();
    String want = output == null ? "" : output.replace("TOKEN", TOKEN_LINE).replace("\\n", "\n");
    if (want.equals("TIMEOUT")) {
      assertThat(r.output())
          .matches(
              "curl: \\(28\\) Operation timed out after \\d+ milliseconds with 0 bytes received\n");
    } else {
      assertThat(r.output()).isEqualTo(want);
    }
  }

  @Test
  void hostHeaderReachesTheIngressAsWritten() throws InterruptedException {
    while (podinfo.takeRequest(0, TimeUnit.SECONDS) != null) {
      // drop what the table left
    }
    run(
        "curl -sd 'test' -H 'Host: app.example.com' http://gateway-proxy.gloo-system/token | grep token");
    RecordedRequest r = podinfo.takeRequest(30, TimeUnit.SECONDS);
    assertThat(r.getRequestLine()).isEqualTo("POST /token HTTP/1.1");
    assertThat(r.getHeaders().get("Host")).isEqualTo("app.example.com");
    assertThat(r.getBody().utf8()).isEqualTo("test");
  }
}
