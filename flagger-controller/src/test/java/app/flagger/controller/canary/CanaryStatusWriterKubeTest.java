package app.flagger.controller.canary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.flagger.controller.support.CanaryFixture;
import app.flagger.controller.support.Crds;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.canary.CanaryStatus;
import app.flagger.model.common.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a status write leaves on the (mock) API server: the status written, whole, so keys, list
 * entries and fields that are gone from the new status are gone from the stored one.
 */
@EnableKubernetesMockClient(crud = true)
class CanaryStatusWriterKubeTest {
  KubernetesClient client;
  KubernetesMockServer server;
  CanaryStatusWriter writer;
  CanaryFixture fixture;

  @BeforeEach
  void setUp() {
    Crds.register(client);
    fixture = new CanaryFixture(client);
    fixture.create(CanaryFixture.spec("kubernetes", null));
    writer =
        new CanaryStatusWriter(
            client, Clock.fixed(Instant.parse("2026-01-01T10:00:00Z"), ZoneOffset.UTC));
  }

  /** The status as stored, as JSON, to see keys that the typed model would hide or map to null. */
  Map<String, Object> storedStatus() {
    @SuppressWarnings("unchecked")
    Map<String, Object> status =
        (Map<String, Object>)
            client
                .genericKubernetesResources("flagger.app/v1beta1", "Canary")
                .inNamespace(CanaryFixture.NS)
                .withName(CanaryFixture.NAME)
                .get()
                .getAdditionalProperties()
                .get("status");
    return status;
  }

  @Test
  void theCanaryReturnedIsTheCanaryStored() {
    Canary written =
        writer.write(
            fixture.get(),
            b -> {
              b.phase = CanaryPhase.PROGRESSING;
              b.canaryWeight = 10;
              b.trackedConfigs = Map.of("configmap/a", "1");
            });

    Canary stored = fixture.get();
    assertThat(written.getMetadata()).isEqualTo(stored.getMetadata());
    assertThat(written.getSpec()).isEqualTo(stored.getSpec());
    assertThat(written.getStatus()).isEqualTo(stored.getStatus());
  }

  @Test
  void aConfigLeftOutOfTrackedConfigsIsRemovedFromTheStoredStatus() {
    Canary c =
        writer.write(
            fixture.get(), b -> b.trackedConfigs = Map.of("configmap/a", "1", "configmap/b", "2"));
    assertThat(c.getStatus().trackedConfigs()).containsOnlyKeys("configmap/a", "configmap/b");

    writer.write(c, b -> b.trackedConfigs = Map.of("configmap/a", "1"));

    assertThat(fixture.get().getStatus().trackedConfigs())
        .containsExactly(Map.entry("configmap/a", "1"));
    assertThat(storedStatus().get("trackedConfigs")).isEqualTo(Map.of("configmap/a", "1"));
  }

  @Test
  void fieldsSetToNullAreRemovedFromTheStoredStatus() {
    Canary c =
        writer.write(
            fixture.get(),
            b -> {
              b.trackedConfigs = Map.of("configmap/a", "1");
              b.sessionAffinityCookie = "flagger-cookie=abc";
            });

    writer.write(
        c,
        b -> {
          b.trackedConfigs = null;
          b.sessionAffinityCookie = null;
        });

    assertThat(storedStatus()).doesNotContainKeys("trackedConfigs", "sessionAffinityCookie");
    CanaryStatus s = fixture.get().getStatus();
    assertThat(s.trackedConfigs()).isNull();
    assertThat(s.sessionAffinityCookie()).isNull();
    assertThat(s.lastTransitionTime()).isEqualTo("2026-01-01T10:00:00Z");
  }

  @Test
  void aConditionLeftOutIsRemovedAndNoneIsRepeated() {
    Canary c = writer.setPhaseInitializing(fixture.get());
    c = writer.markInvalid(c, "spec.analysis: required");
    assertThat(c.getStatus().conditions())
        .extracting(Condition::type)
        .containsExactlyInAnyOrder("Promoted", "Validated");

    writer.setPhase(c, CanaryPhase.INITIALIZED);

    assertThat(fixture.get().getStatus().conditions())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.type()).isEqualTo("Promoted");
              assertThat(p.reason()).isEqualTo("Initialized");
            });
  }

  /** The write carries the resourceVersion it read: a stale copy is re-read and re-applied. */
  @Test
  void aWriteFromAStaleCopyIsReappliedToTheCurrentStatus() {
    Canary stale = fixture.get();
    writer.write(stale, b -> b.trackedConfigs = Map.of("configmap/a", "1", "configmap/b", "2"));

    Canary stored = writer.write(stale, b -> b.failedChecks = 3);

    assertThat(stored.getMetadata().getResourceVersion())
        .isNotEqualTo(stale.getMetadata().getResourceVersion());
    CanaryStatus s = fixture.get().getStatus();
    assertThat(s.failedChecks()).isEqualTo(3);
    assertThat(s.trackedConfigs()).containsOnlyKeys("configmap/a", "configmap/b");
  }

  @Test
  void aRiderGoesAlongWithTheNextWriteOnlyAndSaysSo() {
    List<String> ridden = new ArrayList<>();
    StatusWriter riding =
        writer.riding(b -> b.sessionAffinityCookie = "rider=1", () -> ridden.add("ridden"));

    Canary stored = riding.setWeight(fixture.get(), 20);
    Canary next = riding.setWeight(stored, 30);

    assertThat(ridden).containsExactly("ridden");
    assertThat(stored.getStatus().canaryWeight()).isEqualTo(20);
    assertThat(stored.getStatus().sessionAffinityCookie()).isEqualTo("rider=1");
    assertThat(next.getStatus().canaryWeight()).isEqualTo(30);
    assertThat(storedStatus()).containsEntry("sessionAffinityCookie", "rider=1");
  }

  @Test
  void aRiderWhoseWriteFailedWaitsForTheNextWrite() {
    List<String> ridden = new ArrayList<>();
    StatusWriter riding =
        writer.riding(b -> b.sessionAffinityCookie = "rider=1", () -> ridden.add("ridden"));
    Canary canary = fixture.get();
    client.resource(canary).delete();

    assertThatThrownBy(() -> riding.setWeight(canary, 20))
        .isInstanceOf(KubernetesClientException.class);
    assertThat(ridden).isEmpty();

    fixture.create(CanaryFixture.spec("kubernetes", null));
    Canary stored = riding.setWeight(fixture.get(), 20);

    assertThat(ridden).containsExactly("ridden");
    assertThat(stored.getStatus().sessionAffinityCookie()).isEqualTo("rider=1");
  }

  @Test
  void aStatusWriteIsOneRequest() throws InterruptedException {
    Canary canary = fixture.get();
    while (server.takeRequest(100, TimeUnit.MILLISECONDS) != null) {
      // the set-up's requests
    }

    writer.setWeight(canary, 20);

    List<String> requests = new ArrayList<>();
    for (var r = server.takeRequest(100, TimeUnit.MILLISECONDS);
        r != null;
        r = server.takeRequest(100, TimeUnit.MILLISECONDS)) {
      requests.add(r.getMethod() + " " + r.getPath());
    }
    // no read before the patch (fabric8 reads an object first when patched by name)
    assertThat(requests)
        .containsExactly(
            "PATCH /apis/flagger.app/v1beta1/namespaces/"
                + CanaryFixture.NS
                + "/canaries/"
                + CanaryFixture.NAME
                + "/status");
  }
}
