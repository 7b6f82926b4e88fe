package app.flagger.controller;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.model.support.RepoRoot;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hack/deploy.sh} ({@code make deploy}) against a fake kubectl: it creates the load tester's
 * token Secret and the controller's twin with one random value when both are absent, copies one to
 * the other when one is, never changes existing ones, and never shows the token.
 */
class DeployScriptTest {
  private static final String LOADTESTER = "test_flagger-loadtester-auth";
  private static final String CONTROLLER = "flagger-system_flagger-webhook-auth";

  @TempDir Path state;
  private Path kubectl;

  private record Run(int exit, String out, String err) {}

  @BeforeEach
  void fakeKubectl() throws IOException {
    kubectl = state.resolve("kubectl");
    try (InputStream in = getClass().getResourceAsStream("/deploy-script/fake-kubectl.sh")) {
      Files.write(kubectl, in.readAllBytes());
    }
    Files.setPosixFilePermissions(kubectl, PosixFilePermissions.fromString("rwx------"));
  }

  private Run deploy() throws IOException, InterruptedException {
    Path script = RepoRoot.find().resolve("hack/deploy.sh");
    ProcessBuilder pb = new ProcessBuilder("bash", script.toString());
    pb.environment().put("KUBECTL", kubectl.toString());
    pb.environment().put("FAKE_STATE", state.toString());
    Path out = state.resolve("stdout");
    Path err = state.resolve("stderr");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("hack/deploy.sh finished").isTrue();
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  private String token(String secret) throws IOException {
    return new String(
        Base64.getDecoder().decode(Files.readString(state.resolve(secret)).strip()),
        StandardCharsets.UTF_8);
  }

  private void secret(String file, String token) throws IOException {
    Files.writeString(
        state.resolve(file),
        Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8)));
  }

  private List<String> calls() throws IOException {
    return Files.readAllLines(state.resolve("calls.log"));
  }

  @Test
  void createsOneRandomTokenOnBothSidesAndNeverShowsIt() throws Exception {
    Run run = deploy();

    assertThat(run.exit()).as(run.err()).isZero();
    String token = token(LOADTESTER);
    assertThat(token).matches("[0-9a-f]{64}");
    assertThat(token(CONTROLLER)).isEqualTo(token);
    // passed through a file only the user could read, never on a command line or the output
    assertThat(Files.readString(state.resolve(LOADTESTER + ".mode")).strip()).isEqualTo("600");
    assertThat(calls()).noneMatch(c -> c.contains(token));
    assertThat(run.out() + run.err()).doesNotContain(token);
    assertThat(run.out())
        .contains("created secret test/flagger-loadtester-auth")
        .contains("created secret flagger-system/flagger-webhook-auth");
    // namespaces first, then the Secrets, then everything
    List<String> calls = calls();
    assertThat(calls.get(0)).startsWith("apply -f ").contains("k8s/controller/000-Namespace.yaml");
    assertThat(calls.get(calls.size() - 1)).startsWith("apply -k ").endsWith("/k8s/");
    assertThat(calls.subList(1, calls.size() - 1))
        .anyMatch(c -> c.startsWith("-n test create secret generic flagger-loadtester-auth"));

    // deploying again keeps the token
    assertThat(deploy().exit()).isZero();
    assertThat(token(LOADTESTER)).isEqualTo(token);
    assertThat(token(CONTROLLER)).isEqualTo(token);
    assertThat(calls()).filteredOn(c -> c.contains(" create secret ")).hasSize(2);
  }

  @Test
  void aTokenOnOneSideIsCopiedToTheOther() throws Exception {
    secret(LOADTESTER, "existing-loadtester-token");
    assertThat(deploy().exit()).isZero();
    assertThat(token(CONTROLLER)).isEqualTo("existing-loadtester-token");
    assertThat(token(LOADTESTER)).isEqualTo("existing-loadtester-token");

    Files.delete(state.resolve(LOADTESTER));
    secret(CONTROLLER, "existing-controller-token");
    assertThat(deploy().exit()).isZero();
    assertThat(token(LOADTESTER)).isEqualTo("existing-controller-token");
  }

  @Test
  void differentTokensAreLeftAloneWithAWarning() throws Exception {
    secret(LOADTESTER, "one");
    secret(CONTROLLER, "two");
    Run run = deploy();
    assertThat(run.exit()).isZero();
    assertThat(run.err())
        .contains(
            "warning: test/flagger-loadtester-auth and flagger-system/flagger-webhook-auth hold"
                + " different tokens: the load tester will answer the controller's webhooks with"
                + " 401");
    assertThat(token(LOADTESTER)).isEqualTo("one");
    assertThat(token(CONTROLLER)).isEqualTo("two");
  }

  @Test
  void anUnreachableClusterStopsBeforeCreatingAnything() throws Exception {
    Files.createFile(state.resolve("unreachable"));
    Run run = deploy();
    assertThat(run.exit()).isNotZero();
    assertThat(run.err()).contains("error: cannot read secret test/flagger-loadtester-auth");
    assertThat(calls()).noneMatch(c -> c.contains("create") || c.startsWith("apply -k"));
  }
}
