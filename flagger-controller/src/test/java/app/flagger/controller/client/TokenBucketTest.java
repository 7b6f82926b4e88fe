package app.flagger.controller.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The token bucket counted against a manual time source: no timing, exact permits. */
class TokenBucketTest {
  private static final long MS = 1_000_000L;
  private final AtomicLong now = new AtomicLong(123_456_789L);

  @Test
  void grantsTheBurstAtOnceThenQpsPerSecond() {
    TokenBucket bucket = new TokenBucket(100, 250, now::get);
    assertThat(grantNow(bucket)).isEqualTo(250);
    now.addAndGet(1000 * MS);
    assertThat(grantNow(bucket)).isEqualTo(100);
    now.addAndGet(10 * MS);
    assertThat(grantNow(bucket)).isEqualTo(1);
    now.addAndGet(9 * MS);
    assertThat(grantNow(bucket)).isZero();
  }

  @Test
  void neverGrantsMoreThanBurstPlusQpsTimesElapsed() {
    TokenBucket bucket = new TokenBucket(100, 250, now::get);
    long granted = 0;
    // a caller that asks every millisecond for ten seconds, three times per millisecond
    for (int ms = 0; ms < 10_000; ms++) {
      for (int i = 0; i < 3; i++) {
        granted += bucket.tryAcquire() ? 1 : 0;
      }
      now.addAndGet(MS);
    }
    assertThat(granted).isEqualTo(250 + 100 * 10 - 1); // the last millisecond's refill is unused
  }

  @Test
  void refillsNoFurtherThanTheBurstAfterAnIdlePeriod() {
    TokenBucket bucket = new TokenBucket(100, 250, now::get);
    grantNow(bucket);
    now.addAndGet(365L * 24 * 3600 * 1000 * MS);
    assertThat(bucket.available()).isEqualTo(250);
    assertThat(grantNow(bucket)).isEqualTo(250);
  }

  @Test
  void reservationsQueueCallersOneIntervalApart() {
    TokenBucket bucket = new TokenBucket(10, 2, now::get);
    assertThat(bucket.reserve()).isZero();
    assertThat(bucket.reserve()).isZero();
    assertThat(bucket.reserve()).isEqualTo(100 * MS);
    assertThat(bucket.reserve()).isEqualTo(200 * MS);
    assertThat(bucket.available()).isEqualTo(-2);
    now.addAndGet(200 * MS);
    assertThat(bucket.available()).isZero();
    assertThat(bucket.reserve()).isEqualTo(100 * MS);
  }

  @Test
  void rejectsANonPositiveRateOrBurst() {
    assertThatThrownBy(() -> new TokenBucket(0, 10, now::get))
        .hasMessageContaining("qps >= 1")
        .hasMessageContaining("qps=0");
    assertThatThrownBy(() -> new TokenBucket(10, 0, now::get)).hasMessageContaining("burst=0");
  }

  private static int grantNow(TokenBucket bucket) {
    int n = 0;
    while (bucket.tryAcquire()) {
      n++;
    }
    return n;
  }
}
