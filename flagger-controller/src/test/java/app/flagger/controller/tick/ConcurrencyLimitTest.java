package app.flagger.controller.tick;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.controller.support.CanaryFixture;
import app.flagger.controller.support.RecordingStatusWriter;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.canary.CanarySpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The concurrency-limit step and its transition on fakes: the per-namespace limit, the writes. */
class ConcurrencyLimitTest {
  private final TickFixture f = new TickFixture();
  private final List<Canary> cluster = new ArrayList<>();

  private static final CanarySpec SPEC =
      CanaryFixture.spec("kubernetes", CanaryFixture.analysis(null, null, 2, 2, List.of()));

  private Canary canary(String ns, String name, CanaryPhase phase) {
    Canary c = new Canary();
    c.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    c.setSpec(SPEC);
    return RecordingStatusWriter.with(c, phase, 0, 0, 0);
  }

  private ConcurrencyLimit limit(int perCluster, int perNamespace) {
    return new ConcurrencyLimit(
        new ReleaseQueue(perCluster, perNamespace), () -> List.copyOf(cluster), f.clock);
  }

  @Test
  void thePerNamespaceLimitHoldsBackOnlyThatNamespace() {
    cluster.add(canary("team-a", "api", CanaryPhase.PROGRESSING));
    ConcurrencyLimit limit = limit(0, 1);

    Decision held = limit.run(f.tick(canary("team-a", "web", CanaryPhase.SUCCEEDED)));
    Decision other = limit.run(f.tick(canary("team-b", "web", CanaryPhase.SUCCEEDED)));

    assertThat(held)
        .isEqualTo(
            new Decision.Queued(
                "2026-01-01T10:00:00Z",
                "Waiting for a release slot: 1st in line, 1 of 1 running in namespace team-a",
                "2026-01-01T10:00:00Z"));
    assertThat(other).isEqualTo(Decision.CONTINUE);
  }

  @Test
  void aRunningReleaseOrAnIdleCanaryIsNotJudged() {
    ConcurrencyLimit limit = limit(1, 0);
    cluster.add(canary("a", "x", CanaryPhase.PROGRESSING));

    assertThat(limit.run(f.tick(canary("b", "y", CanaryPhase.PROGRESSING))))
        .isEqualTo(Decision.CONTINUE);
    assertThat(limit.run(f.tick(canary("b", "y", CanaryPhase.INITIALIZING))))
        .isEqualTo(Decision.CONTINUE);
  }

  @Test
  void oneAdmittedInThisInstantHoldsItsSlotUntilItsTickEnds() {
    ConcurrencyLimit limit = limit(1, 0);
    Tick first = f.tick(canary("a", "x", CanaryPhase.SUCCEEDED));
    cluster.add(first.canary());

    assertThat(limit.run(first)).isEqualTo(Decision.CONTINUE);
    // the cache still has "a/x" Succeeded: only the admission counts it
    assertThat(limit.run(f.tick(canary("b", "y", CanaryPhase.SUCCEEDED))))
        .isInstanceOf(Decision.Queued.class);

    limit.finished(first);
    assertThat(limit.run(f.tick(canary("b", "y", CanaryPhase.SUCCEEDED))))
        .isEqualTo(Decision.CONTINUE);
  }

  @Test
  void waitingIsWrittenAndAnnouncedOnceUntilThePlaceChanges() {
    cluster.add(canary("a", "x", CanaryPhase.PROGRESSING));
    ConcurrencyLimit limit = limit(1, 0);
    Tick t = f.tick(canary("b", "y", CanaryPhase.SUCCEEDED));

    f.transitions.apply(t, limit.run(t));
    Canary queued = t.canary();
    Tick again = f.tick(queued);
    f.transitions.apply(again, limit.run(again));

    assertThat(f.status.writes()).containsExactly("write");
    assertThat(f.events.messages())
        .containsExactly("Waiting for a release slot: 1st in line, 1 of 1 running cluster-wide");
    assertThat(queued.getStatus().controlOrEmpty().queuedSince()).isEqualTo("2026-01-01T10:00:00Z");
    assertThat(queued.getStatus().conditions())
        .anySatisfy(
            c -> {
              assertThat(c.type()).isEqualTo("Queued");
              assertThat(c.status()).isEqualTo("True");
              assertThat(c.reason()).isEqualTo("ConcurrencyLimit");
            });
    cluster.add(queued);
    assertThat(limit.waiting()).isEqualTo(1);
  }

  @Test
  void aFailedCanaryWaitingForASlotKeepsItsNewRevision() {
    cluster.add(canary("a", "x", CanaryPhase.PROGRESSING));
    ConcurrencyLimit limit = limit(1, 0);
    Tick t = f.tick(f.canary(SPEC, CanaryPhase.FAILED, 0, 2, 0));
    f.transitions.apply(t, limit.run(t));

    // the Failed sync took the revision in: unchanged now, yet it still has a release to run
    assertThat(f.step("change detection", f.tick(t.canary()))).isEqualTo(Decision.CONTINUE);
  }
}
