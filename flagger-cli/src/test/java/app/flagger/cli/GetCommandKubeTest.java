package app.flagger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryPhase;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code get}: the table, {@code -A}, {@code -o json|yaml}. */
@EnableKubernetesMockClient(crud = true)
class GetCommandKubeTest {
  KubernetesClient client;
  @TempDir Path dir;
  MockCluster cluster;

  @AfterEach
  void tearDown() {
    cluster.close();
  }

  @BeforeEach
  void setUp() {
    cluster = new MockCluster(client, dir);
    cluster.create(
        Fixtures.canary(
            "podinfo",
            Fixtures.canaryAnalysis(),
            Fixtures.status(CanaryPhase.PROGRESSING, 20, 0, 1, null, null)));
    cluster.create(
        Fixtures.canary(
            "backend",
            Fixtures.blueGreenAnalysis(),
            Fixtures.status(CanaryPhase.PROGRESSING, 0, 2, 0, null, null)));
    cluster.create(Fixtures.canary("fresh", Fixtures.canaryAnalysis(), null));
    Canary other = Fixtures.canary("web", Fixtures.canaryAnalysis(), null);
    other.getMetadata().setNamespace("other");
    cluster.create(other);
  }

  @Test
  void listsTheCanariesOfTheContextsNamespaceAsATable() {
    MockCluster.Result r = cluster.run("get");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .isEqualTo(
            """
            NAME      PHASE         WEIGHT   STEP            FAILED   LAST-TRANSITION
            backend   Progressing   0%       iteration 2/5   0/2      5m
            fresh     <none>        0%       0/50            0/5      <unknown>
            podinfo   Progressing   20%      20/50           1/5      5m
            """);
  }

  @Test
  void allNamespacesAddsTheNamespaceColumn() {
    MockCluster.Result r = cluster.run("get", "-A");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out().lines())
        .first()
        .isEqualTo(
            "NAMESPACE   NAME      PHASE         WEIGHT   STEP            FAILED   LAST-TRANSITION");
    assertThat(r.out().lines().map(l -> l.split(" +")[0] + " " + l.split(" +")[1]))
        .containsExactly(
            "NAMESPACE NAME", "other web", "test backend", "test fresh", "test podinfo");
  }

  @Test
  void oneCanaryByName() {
    MockCluster.Result r = cluster.run("get", "podinfo", "-n", "test");

    assertThat(r.out().lines()).hasSize(2).last().asString().startsWith("podinfo   Progressing");
  }

  @Test
  void jsonPrintsTheCanaryObjects() {
    MockCluster.Result one = cluster.run("get", "podinfo", "-o", "json");
    MockCluster.Result all = cluster.run("get", "--output=json");

    assertThat(one.code()).as(one.err()).isZero();
    JsonObject canary = Json.createReader(new StringReader(one.out())).readObject();
    assertThat(canary.getString("kind")).isEqualTo("Canary");
    assertThat(canary.getJsonObject("status").getInt("canaryWeight")).isEqualTo(20);
    assertThat(canary.getJsonObject("spec").getJsonObject("analysis").getInt("maxWeight"))
        .isEqualTo(50);
    JsonObject list = Json.createReader(new StringReader(all.out())).readObject();
    assertThat(list.getString("kind")).isEqualTo("List");
    assertThat(list.getJsonArray("items")).hasSize(3);
  }

  @Test
  void yamlPrintsTheCanaryObject() {
    MockCluster.Result r = cluster.run("get", "podinfo", "-o", "yaml");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("kind: \"Canary\"").contains("canaryWeight: 20");
  }

  @Test
  void anEmptyNamespaceSaysSoOnStandardError() {
    MockCluster.Result r = cluster.run("get", "-n", "empty");

    assertThat(r.code()).isZero();
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("No resources found in empty namespace.\n");
  }

  @Test
  void aMissingCanaryIsRefused() {
    MockCluster.Result r = cluster.run("get", "nope");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("canaries.flagger.app \"nope\" not found");
  }
}
