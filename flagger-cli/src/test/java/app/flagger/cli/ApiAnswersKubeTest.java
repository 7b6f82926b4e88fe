package app.flagger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.control.ControlAction;
import app.flagger.model.control.ControlCommand;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.authentication.SelfSubjectReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import jakarta.json.Json;
import java.io.StringReader;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Answers a CRUD mock cannot give: Forbidden, and a SelfSubjectReview naming the user. */
@EnableKubernetesMockClient
class ApiAnswersKubeTest {
  static final String CANARY_PATH = "/apis/flagger.app/v1beta1/namespaces/test/canaries/podinfo";

  KubernetesMockServer server;
  KubernetesClient client;
  @TempDir Path dir;
  Path kubeconfig;

  @BeforeEach
  void setUp() {
    kubeconfig = dir.resolve("kubeconfig");
    MockCluster.writeKubeconfig(kubeconfig, client.getConfiguration().getMasterUrl());
    Canary c =
        Fixtures.canary(
            Fixtures.NAME, Fixtures.canaryAnalysis(), Fixtures.status(CanaryPhase.PROGRESSING, 20));
    server.expect().get().withPath(CANARY_PATH).andReturn(200, c).always();
  }

  private MockCluster.Result run(String... args) {
    return MockCluster.run(kubeconfig, args);
  }

  @Test
  void aForbiddenPatchIsRefusedWithTheApiServersReason() {
    server
        .expect()
        .patch()
        .withPath(CANARY_PATH)
        .andReturn(
            403,
            new StatusBuilder()
                .withStatus("Failure")
                .withReason("Forbidden")
                .withCode(403)
                .withMessage(
                    "canaries.flagger.app \"podinfo\" is forbidden: User \"alice\" cannot patch"
                        + " resource \"canaries\" in API group \"flagger.app\" in the namespace"
                        + " \"test\"")
                .build())
        .once();

    MockCluster.Result r = run("abort", Fixtures.NAME);

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo(
            "error: Error from server (Forbidden): canaries.flagger.app \"podinfo\" is forbidden:"
                + " User \"alice\" cannot patch resource \"canaries\" in API group"
                + " \"flagger.app\" in the namespace \"test\"\n");
  }

  @Test
  void theSelfSubjectReviewsUserNameWinsAndTheAnnotationTravelsInAMergePatch() throws Exception {
    server
        .expect()
        .post()
        .withPath("/apis/authentication.k8s.io/v1/selfsubjectreviews")
        .andReturn(
            201,
            new SelfSubjectReviewBuilder()
                .withNewStatus()
                .withNewUserInfo()
                .withUsername("oidc:alice@example.com")
                .endUserInfo()
                .endStatus()
                .build())
        .once();
    server
        .expect()
        .patch()
        .withPath(CANARY_PATH)
        .andReturn(
            200,
            Fixtures.canary(
                Fixtures.NAME,
                Fixtures.canaryAnalysis(),
                Fixtures.status(CanaryPhase.PROGRESSING, 20)))
        .once();

    MockCluster.Result r = run("pause", Fixtures.NAME);

    assertThat(r.code()).as(r.err()).isZero();
    RecordedRequest patch = null;
    for (int i = server.getRequestCount(); i > 0; i--) {
      RecordedRequest req = server.takeRequest();
      if (req.getMethod().equals("PATCH")) {
        patch = req;
      }
    }
    assertThat(patch).isNotNull();
    assertThat(patch.getHeader("Content-Type")).startsWith("application/merge-patch+json");
    var body = Json.createReader(new StringReader(patch.getUtf8Body())).readObject();
    assertThat(body.keySet()).containsExactly("metadata");
    assertThat(body.getJsonObject("metadata").keySet()).containsExactly("annotations");
    ControlCommand cmd =
        ControlCommand.parse(
            body.getJsonObject("metadata")
                .getJsonObject("annotations")
                .getString(ControlCommand.ANNOTATION));
    assertThat(cmd.action()).isEqualTo(ControlAction.PAUSE);
    assertThat(cmd.user()).isEqualTo("oidc:alice@example.com");
  }
}
