package app.flagger.loadtester.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.loadtester.load.CommandLine;
import app.flagger.loadtester.load.DestinationPolicy;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Per-program argument rules of enabled external commands. */
class ArgumentRulesTest {
  private static final List<String> CURL_PREFIX =
      List.of("curl", "-q", "--proto", "=http,https", "--proto-redir", "=http,https");

  private final ArgumentRules rules =
      new ArgumentRules(
          Set.of("rollout restart"),
          new DestinationPolicy(
              List.of(),
              List.of(),
              host -> {
                if (host.equals("podinfo-canary.test")) {
                  return new InetAddress[] {
                    InetAddress.getByAddress(host, new byte[] {10, 0, 0, 7})
                  };
                }
                if (host.matches("[0-9.]+")) {
                  return new InetAddress[] {InetAddress.getByName(host)};
                }
                throw new UnknownHostException(host);
              },
              a -> false,
              () -> -1,
              Optional.empty()));

  private List<String> check(String line) {
    return rules.check(CommandLine.split(line));
  }

  private void refused(String line, String message) {
    assertThatThrownBy(() -> check(line))
        .isInstanceOf(TaskRejected.class)
        .hasMessage(message)
        .extracting(e -> ((TaskRejected) e).status())
        .isEqualTo(400);
  }

  @Test
  void curlRunsOnlyHttpWithProtocolsPinnedAndTheCheckedAddress() {
    assertThat(
            check(
                "curl -sS -f -o /dev/null -w '%{http_code}' --max-time 5 http://podinfo-canary.test:9898/healthz"))
        .startsWith(CURL_PREFIX.toArray(String[]::new))
        .containsSequence("--resolve", "podinfo-canary.test:9898:10.0.0.7")
        .endsWith("http://podinfo-canary.test:9898/healthz");
    assertThat(check("curl -sd 'test' -X POST -H 'Content-Type: text/plain' http://10.0.0.9/token"))
        .doesNotContain("--resolve")
        .endsWith(
            "-sd", "test", "-X", "POST", "-H", "Content-Type: text/plain", "http://10.0.0.9/token");
    // scheme-less hosts curl reads as http
    assertThat(check("curl podinfo-canary.test:9898/")).endsWith("podinfo-canary.test:9898/");
  }

  @Test
  void curlRefusesOtherSchemes() {
    for (String url :
        List.of(
            "file:///var/run/secrets/kubernetes.io/serviceaccount/token",
            "FILE:///etc/passwd",
            "dict://127.0.0.1:6379/info",
            "gopher://127.0.0.1:6379/_x",
            "ftp://ftp.example/x",
            "ldap://ldap.example/",
            "file:/etc/passwd")) {
      refused("curl -s " + url, "curl \"" + url + "\": only http:// and https:// URLs are allowed");
    }
    refused(
        "curl ftp.example.com/x",
        "curl \"ftp.example.com/x\": curl would not use HTTP for this host; write http:// or"
            + " https://");
    refused(
        "curl --url file:///etc/passwd",
        "curl \"file:///etc/passwd\": only http:// and https:// URLs are allowed");
  }

  @Test
  void curlRefusesFilesConfigsRedirectsAndProxies() {
    refused(
        "curl -K /tmp/x http://10.0.0.9/",
        "curl -K: reads options from a file; not allowed by the load tester");
    refused(
        "curl --config /tmp/x http://10.0.0.9/",
        "curl --config: reads options from a file; not allowed by the load tester");
    refused(
        "curl -o /tmp/out http://10.0.0.9/",
        "curl -o /tmp/out: writes a file; only /dev/null (or -) is allowed");
    refused(
        "curl -so/tmp/out http://10.0.0.9/",
        "curl -o /tmp/out: writes a file; only /dev/null (or -) is allowed");
    refused(
        "curl --output-dir /tmp http://10.0.0.9/",
        "curl --output-dir: writes files; not allowed by the load tester");
    refused(
        "curl -T /etc/passwd http://10.0.0.9/",
        "curl -T: uploads a local file; not allowed by the load tester");
    refused(
        "curl --upload-file /etc/passwd http://10.0.0.9/",
        "curl --upload-file: uploads a local file; not allowed by the load tester");
    refused(
        "curl -d @/var/run/secrets/token http://10.0.0.9/",
        "curl -d @/var/run/secrets/token: reads a local file; not allowed");
    refused(
        "curl --data-binary @/etc/passwd http://10.0.0.9/",
        "curl --data-binary @/etc/passwd: reads a local file; not allowed");
    refused(
        "curl --data-urlencode t@/etc/passwd http://10.0.0.9/",
        "curl --data-urlencode t@/etc/passwd: reads a local file; not allowed");
    refused(
        "curl -F f=@/etc/passwd http://10.0.0.9/",
        "curl -F f=@/etc/passwd: reads a local file; not allowed");
    refused(
        "curl -H @/etc/headers http://10.0.0.9/",
        "curl -H @/etc/headers: reads a local file; not allowed");
    refused(
        "curl -w @/etc/passwd http://10.0.0.9/",
        "curl -w @/etc/passwd: reads a local file; not allowed");
    refused(
        "curl -b /tmp/cookies http://10.0.0.9/",
        "curl -b /tmp/cookies: reads cookies from a file; give name=value pairs");
    refused(
        "curl -L http://10.0.0.9/",
        "curl -L: follows redirects to destinations that are not checked; not allowed by the load tester");
    refused(
        "curl -x http://proxy:3128 http://10.0.0.9/",
        "curl -x: sends the request elsewhere than its URL; not allowed by the load tester");
    refused(
        "curl --unix-socket /var/run/docker.sock http://x/",
        "curl --unix-socket: sends the request elsewhere than its URL; not allowed by the load tester");
    refused(
        "curl --proto +file http://10.0.0.9/",
        "curl --proto +file: may only narrow the protocols to http and https");
    refused(
        "curl --proto =all http://10.0.0.9/",
        "curl --proto =all: may only narrow the protocols to http and https");
    refused(
        "curl --next http://10.0.0.9/",
        "curl --next: starts a new set of options; not allowed by the load tester");
    refused(
        "curl --libcurl /tmp/x.c http://10.0.0.9/",
        "curl --libcurl: writes files; not allowed by the load tester");
    refused(
        "curl --sasl-ir http://10.0.0.9/", "curl --sasl-ir: option not allowed by the load tester");
    // narrowing the protocols is fine; --data-raw sends an @ as it is
    assertThat(check("curl --proto =https --data-raw @literal https://10.0.0.9/"))
        .containsSequence("--proto", "=https", "--data-raw", "@literal");
  }

  @Test
  void curlGoesOnlyToAllowedDestinations() {
    refused(
        "curl http://169.254.169.254/latest/meta-data/",
        "curl destination 169.254.169.254 refused: it is a cloud metadata endpoint (the load"
            + " tester does not send load there)");
    refused(
        "curl http://{a,b}.example/",
        "curl \"http://{a,b}.example/\": the host must be written out (no globbing) so it can be"
            + " checked");
  }

  @Test
  void helmRefusesPostRenderersOverridesAndLocalFiles() {
    assertThat(check("helm test podinfo -n test"))
        .containsExactly("helm", "test", "podinfo", "-n", "test");
    refused(
        "helm upgrade x chart --post-renderer /tmp/x",
        "helm --post-renderer: runs a local program; not allowed");
    refused(
        "helm upgrade x chart --post-renderer=/tmp/x",
        "helm --post-renderer: runs a local program; not allowed");
    refused(
        "helm list --kubeconfig /tmp/k",
        "helm --kubeconfig: overrides the cluster or identity helm uses; not allowed");
    refused(
        "helm list --kube-apiserver=https://evil",
        "helm --kube-apiserver: overrides the cluster or identity helm uses; not allowed");
    refused(
        "helm template x chart --set-file a=/var/run/secrets/token",
        "helm --set-file: reads a local file into the values; not allowed");
    refused(
        "helm template x chart -f /var/run/secrets/token",
        "helm -f /var/run/secrets/token: reads a local file; only http(s) URLs are allowed");
    refused(
        "helm plugin install https://x", "helm plugin: installs and runs programs; not allowed");
    assertThat(check("helm template x chart -f https://example.com/values.yaml")).hasSize(6);
  }

  @Test
  void kubectlRunsReadOnlyVerbsUnlessWidened() {
    for (String ok :
        List.of(
            "kubectl get pods -n test",
            "kubectl -n test get deploy podinfo -o jsonpath={.status}",
            "kubectl describe deploy/podinfo",
            "kubectl logs deploy/podinfo --tail 10",
            "kubectl rollout status deploy/podinfo -n test --timeout=60s",
            "kubectl wait --for=condition=available deploy/podinfo",
            "kubectl auth can-i get pods",
            "kubectl version",
            "kubectl rollout restart deploy/podinfo")) {
      assertThat(check(ok)).as(ok).isEqualTo(CommandLine.split(ok));
    }
    refused(
        "kubectl delete pod x",
        "kubectl delete: only read-only verbs (get, describe, logs, top, wait, rollout status,"
            + " version, api-resources, explain, auth can-i, ...) are allowed; add \"delete\" to"
            + " loadtester.commands.kubectl.verbs to allow it");
    refused(
        "kubectl -n test rollout undo deploy/x",
        "kubectl rollout undo: only read-only verbs (get, describe, logs, top, wait, rollout"
            + " status, version, api-resources, explain, auth can-i, ...) are allowed; add"
            + " \"rollout undo\" to loadtester.commands.kubectl.verbs to allow it");
    refused(
        "kubectl exec -it x -- sh",
        "kubectl exec: only read-only verbs (get, describe, logs, top, wait, rollout status,"
            + " version, api-resources, explain, auth can-i, ...) are allowed; add \"exec\" to"
            + " loadtester.commands.kubectl.verbs to allow it");
    refused(
        "kubectl --server=https://evil get pods",
        "kubectl --server: overrides the cluster or identity kubectl uses; not allowed");
    refused(
        "kubectl get pods --token abc",
        "kubectl --token: overrides the cluster or identity kubectl uses; not allowed");
    refused(
        "kubectl get pods -o go-template-file=/var/run/secrets/token",
        "kubectl -o go-template-file=/var/run/secrets/token: reads a template from a local file;"
            + " not allowed");
    refused(
        "kubectl get -f /var/run/secrets/token",
        "kubectl -f: reads local files or URLs; allowed only with verbs added to"
            + " loadtester.commands.kubectl.verbs");
  }

  @Test
  void otherProgramsHaveNoArgumentRules() {
    assertThat(check("echo file:///etc/passwd")).containsExactly("echo", "file:///etc/passwd");
  }
}
