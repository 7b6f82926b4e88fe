package app.flagger.loadtester.task;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactorTest {
  private static String r(String s) {
    return Redactor.redact(s);
  }

  @Test
  void headerOptionValuesAreMaskedExceptHarmlessOnes() {
    assertThat(r("hey -z 1m -H 'Authorization: Bearer abc.def' http://x/"))
        .isEqualTo("hey -z 1m -H 'Authorization: ***' http://x/");
    assertThat(r("curl -H \"Cookie: session=s3cr3t; other=1\" http://x/"))
        .isEqualTo("curl -H \"Cookie: ***\" http://x/");
    assertThat(r("curl --header 'X-Custom: s3cr3t' --header=X-Other:s3cr3t http://x/"))
        .isEqualTo("curl --header 'X-Custom: ***' --header=X-Other:*** http://x/");
    assertThat(r("wrk -H X-Api-Key:s3cr3t http://x/")).isEqualTo("wrk -H X-Api-Key:*** http://x/");
    assertThat(r("grpc_health_probe -addr=x:9999 -rpc-header=authorization:s3cr3t"))
        .isEqualTo("grpc_health_probe -addr=x:9999 -rpc-header=authorization:***");
    // kept: what the load is about, not who sends it
    assertThat(r("hey -H 'X-Canary: insider' -H 'Content-Type: application/json' http://x/"))
        .isEqualTo("hey -H 'X-Canary: insider' -H 'Content-Type: application/json' http://x/");
  }

  @Test
  void secretHeadersAreMaskedInOutputAndJson() {
    assertThat(r("> GET / HTTP/1.1\n> Authorization: Bearer abc def\n> Accept: */*\n"))
        .isEqualTo("> GET / HTTP/1.1\n> Authorization: ***\n> Accept: */*\n");
    assertThat(r("< Set-Cookie: id=s3cr3t; Path=/\n< Content-Length: 2"))
        .isEqualTo("< Set-Cookie: ***\n< Content-Length: 2");
    assertThat(r("X-Api-Key: s3cr3t")).isEqualTo("X-Api-Key: ***");
    assertThat(r("refused: Authorization: Bearer abc.def here"))
        .isEqualTo("refused: Authorization: *** here");
    assertThat(r("{\"Authorization\":\"Bearer s3cr3t\",\"X-Canary\":\"insider\"}"))
        .isEqualTo("{\"Authorization\":\"***\",\"X-Canary\":\"insider\"}");
    assertThat(r("ghz --metadata '{\"x-auth-token\": \"s3cr3t\"}' x:9999"))
        .isEqualTo("ghz --metadata '{\"x-auth-token\": \"***\"}' x:9999");
  }

  @Test
  void tokensPasswordsAndQueryParametersAreMasked() {
    assertThat(r("kubectl --token s3cr3t get pods")).isEqualTo("kubectl --token *** get pods");
    assertThat(r("kubectl --token=s3cr3t get pods")).isEqualTo("kubectl --token=*** get pods");
    assertThat(r("helm --kube-token 's3 cr3t' test x")).isEqualTo("helm --kube-token '***' test x");
    assertThat(r("curl http://x/api?user=a&token=s3cr3t&page=2"))
        .isEqualTo("curl http://x/api?user=a&token=***&page=2");
    assertThat(r("curl 'http://x/?access_token=s3cr3t#top'"))
        .isEqualTo("curl 'http://x/?access_token=***#top'");
    assertThat(r("curl -d 'password=s3cr3t' http://x/"))
        .isEqualTo("curl -d 'password=***' http://x/");
    assertThat(r("curl -u admin:s3cr3t http://x/")).isEqualTo("curl -u admin:*** http://x/");
    assertThat(r("hey -a admin:s3cr3t http://x/")).isEqualTo("hey -a admin:*** http://x/");
    assertThat(r("401 for Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig")).isEqualTo("401 for Bearer ***");
  }

  @Test
  void userInformationOfUrlsIsMasked() {
    assertThat(r("hey -z 1m http://user:pass@podinfo:9898/ and https://tok3n@github.com/x"))
        .isEqualTo("hey -z 1m http://***@podinfo:9898/ and https://***@github.com/x");
  }

  @Test
  void ordinaryCommandsAndMessagesAreLeftAlone() {
    String[] plain = {
      "hey -z 1m -q 10 -c 2 http://podinfo-canary.test:9898/",
      "curl -sd 'test' http://podinfo-canary/token | grep token",
      "curl --anyauth http://x/ --no-sessionid http://y/",
      "helm test podinfo -n test --pass-credentials",
      "kubectl auth can-i get pods",
      "curl -a http://x:8080/path",
      "Basic authentication is off",
      "load check failed for podinfo.test: error rate 50.00% (300 of 600 failed)",
    };
    for (String s : plain) {
      assertThat(r(s)).as(s).isEqualTo(s);
    }
    assertThat(r("")).isEmpty();
    assertThat(r(null)).isNull();
  }

  @Test
  void redactingTwiceChangesNothing() {
    String once = r("curl -H 'Authorization: Bearer x' --token=t http://u:p@x/?token=t");
    assertThat(r(once)).isEqualTo(once);
  }
}
