package app.flagger.sandbox;

import app.flagger.sandbox.kubelet.ProcStats;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Measures the sandbox's memory: every half second, the sum of the resident set sizes ({@code
 * VmRSS}) of this JVM and every process it started (pods, load tester, Prometheus), keeping the
 * peak and the most processes seen at once.
 */
public final class Footprint implements AutoCloseable {
  private final ScheduledExecutorService sampler =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().daemon().name("sandbox-footprint").unstarted(r));
  private final AtomicLong peakBytes = new AtomicLong();
  private final AtomicInteger peakProcesses = new AtomicInteger();

  public Footprint start() {
    sampler.scheduleAtFixedRate(this::sample, 0, 500, TimeUnit.MILLISECONDS);
    return this;
  }

  /** Takes one sample now. */
  public void sample() {
    List<ProcessHandle> all =
        Stream.concat(Stream.of(ProcessHandle.current()), ProcessHandle.current().descendants())
            .toList();
    long sum = 0;
    int n = 0;
    for (ProcessHandle p : all) {
      var stats = ProcStats.read(p.pid());
      if (stats.isPresent()) {
        sum += stats.get().residentBytes();
        n++;
      }
    }
    long total = sum;
    int count = n;
    peakBytes.accumulateAndGet(total, Math::max);
    peakProcesses.accumulateAndGet(count, Math::max);
  }

  /** The highest sum of RSS seen, in bytes. */
  public long peakBytes() {
    return peakBytes.get();
  }

  /** The most processes alive at one sample. */
  public int peakProcesses() {
    return peakProcesses.get();
  }

  @Override
  public void close() {
    sampler.shutdownNow();
  }
}
