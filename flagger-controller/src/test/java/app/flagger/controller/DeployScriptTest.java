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
 * the other when one is, creates Grafana's admin and API Secrets when absent, never changes
 * existing ones, and never shows a token or password.
 */
class DeployScriptTest {
  private static final String LOADTESTER = "test_flagger-loadtester-auth";
  private static final String CONTROLLER = "flagger-system_flagger-webhook-auth";
  private static final String GRAFANA_ADMIN = "flagger-system_flagger-grafana-admin";
  private static final String GRAFANA_API = "flagger-system_flagger-grafana-api";

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
    assertThat(calls()).filteredOn(c -> c.contains(" create secret ")).hasSize(4);
  }

  /** No shipped password: a random one (and a random API token) the first time, kept after. */
  @Test
  void createsGrafanasAdminPasswordAndApiTokenOnceAndNeverShowsThem() throws Exception {
    Run run = deploy();

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(token(GRAFANA_ADMIN + ".admin-user")).isEqualTo("admin");
    String password = token(GRAFANA_ADMIN + ".admin-password");
    String api = token(GRAFANA_API);
    assertThat(password).matches("[0-9a-f]{64}").isNotEqualTo(api);
    assertThat(api).matches("[0-9a-f]{64}").isNotEqualTo(token(LOADTESTER));
    assertThat(Files.readAllLines(state.resolve(GRAFANA_ADMIN + ".keys")))
        .containsExactly("admin-user", "admin-password");
    for (String file : List.of(GRAFANA_ADMIN + ".admin-password", GRAFANA_API)) {
      assertThat(Files.readString(state.resolve(file + ".mode")).strip()).isEqualTo("600");
    }
    assertThat(calls()).noneMatch(c -> c.contains(password) || c.contains(api));
    assertThat(run.out() + run.err()).doesNotContain(password).doesNotContain(api);
    assertThat(run.out())
        .contains("created secret flagger-system/flagger-grafana-admin")
        .contains("created secret flagger-system/flagger-grafana-api");
    List<String> calls = calls();
    assertThat(calls.get(calls.size() - 1)).startsWith("apply -k ");

    assertThat(deploy().exit()).isZero();
    assertThat(token(GRAFANA_ADMIN + ".admin-password")).isEqualTo(password);
    assertThat(token(GRAFANA_API)).isEqualTo(api);
    assertThat(calls())
        .filteredOn(c -> c.contains(" create secret generic flagger-grafana-"))
        .hasSize(2);
  }

  /** A password or token the user set (or an earlier deploy created) is left as it is. */
  @Test
  void existingGrafanaSecretsAreNeverChanged() throws Exception {
    Files.writeString(state.resolve(GRAFANA_ADMIN + ".keys"), "admin-user\nadmin-password\n");
    secret(GRAFANA_API, "my-own-api-token");

    Run run = deploy();

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(token(GRAFANA_API)).isEqualTo("my-own-api-token");
    assertThat(state.resolve(GRAFANA_ADMIN + ".admin-password")).doesNotExist();
    assertThat(calls()).noneMatch(c -> c.contains(" create secret generic flagger-grafana-"));
    assertThat(run.out()).doesNotContain("flagger-grafana");
    assertThat(run.err()).doesNotContain("placeholder");
  }

  /** An install from before keeps its Secret, but the user learns the provisioner refuses it. */
  @Test
  void theOldPlaceholderPasswordIsKeptWithAWarning() throws Exception {
    Files.writeString(state.resolve(GRAFANA_ADMIN + ".keys"), "admin-user\nadmin-password\n");
    secret(GRAFANA_ADMIN + ".admin-password", "change-me-before-use");

    Run run = deploy();

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.err())
        .contains(
            "warning: flagger-system/flagger-grafana-admin holds the placeholder password that"
                + " earlier manifests shipped, which the provisioner refuses");
    assertThat(token(GRAFANA_ADMIN + ".admin-password")).isEqualTo("change-me-before-use");
    assertThat(calls()).noneMatch(c -> c.contains(" create secret generic flagger-grafana-admin"));
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
