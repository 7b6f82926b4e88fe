package app.flagger.controller.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ShardTest {

  @Test
  void fnv1aMatchesThePublishedVectors() {
    assertThat(Shard.fnv1a32("")).isEqualTo(0x811c9dc5L);
    assertThat(Shard.fnv1a32("a")).isEqualTo(0xe40c292cL);
    assertThat(Shard.fnv1a32("foobar")).isEqualTo(0xbf9cf968L);
  }

  @Test
  void aCanaryBelongsToTheHashOfNamespaceSlashNameModCount() {
    // values computed outside the JVM (unsigned 32-bit FNV-1a over UTF-8, then mod 3)
    assertThat(Shard.fnv1a32("test/podinfo")).isEqualTo(0x3a6e4019L);
    assertThat(Shard.of("test", "podinfo", 3)).isEqualTo(2);
    assertThat(Shard.of("default", "app-0", 3)).isEqualTo(1);
    assertThat(Shard.of("bench-7", "canary-1234", 3)).isEqualTo(0);
    assertThat(Shard.fnv1a32("ns/ä")).isEqualTo(0x8a792f54L);
    assertThat(Shard.of("ns", "ä", 3)).isZero();
  }

  @Test
  void highHashesAreReadUnsigned() {
    // 0xbf9cf968 is negative as an int: a signed remainder would be negative
    assertThat(Shard.fnv1a32("foobar")).isGreaterThan(Integer.MAX_VALUE);
    assertThat(IntStream.range(0, 1000).map(i -> Shard.of("ns", "c" + i, 7)))
        .allMatch(s -> s >= 0 && s < 7);
  }

  @Test
  void threeThousandCanariesSplitRoughlyEvenlyOverThreeShards() {
    int[] counts = new int[3];
    for (int ns = 0; ns < 30; ns++) {
      for (int i = 0; i < 100; i++) {
        counts[Shard.of("bench-" + ns, "canary-" + i, 3)]++;
      }
    }
    assertThat(IntStream.of(counts).boxed().toList()).allMatch(c -> c > 900 && c < 1100);
    assertThat(IntStream.of(counts).sum()).isEqualTo(3000);
  }

  @Test
  void everyCanaryIsOwnedByExactlyOneShard() {
    for (int i = 0; i < 500; i++) {
      String name = "app-" + i;
      long owners = IntStream.range(0, 4).filter(s -> new Shard(s, 4).owns("team", name)).count();
      assertThat(owners).as(name).isEqualTo(1);
    }
  }

  @Test
  void theAssignmentIsStable() {
    for (int i = 0; i < 100; i++) {
      assertThat(Shard.of("ns", "c" + i, 5)).isEqualTo(Shard.of("ns", "c" + i, 5));
    }
    assertThat(Shard.ALL.owns("any", "thing")).isTrue();
  }

  @Test
  void aShardedLeaseIsNamedAfterItsShard() {
    assertThat(new Shard(1, 3).leaseName("flagger-leader-election"))
        .isEqualTo("flagger-leader-election-shard-1-of-3");
    assertThat(Shard.ALL.leaseName("flagger-leader-election")).isEqualTo("flagger-leader-election");
  }

  @Test
  void badValuesNameTheKeyAndTheRange() {
    assertThatThrownBy(() -> new Shard(0, 0))
        .hasMessage("flagger.shard-count: expected a number of shards of at least 1, got 0");
    assertThatThrownBy(() -> new Shard(3, 3))
        .hasMessage(
            "flagger.shard-index: expected a shard index from 0 to 2 (flagger.shard-count is 3),"
                + " got 3");
    assertThatThrownBy(() -> new Shard(-1, 3)).hasMessageContaining("got -1");
  }
}
