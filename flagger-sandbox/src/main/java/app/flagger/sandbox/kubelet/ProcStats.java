package app.flagger.sandbox.kubelet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A process's CPU time and resident memory, read from Linux's {@code /proc/<pid>/stat} and {@code
 * /proc/<pid>/status}: what cAdvisor reports as {@code container_cpu_usage_seconds_total} and
 * (approximately; cAdvisor subtracts inactive page cache) {@code
 * container_memory_working_set_bytes}.
 *
 * @param cpuSeconds user plus system CPU time, in seconds
 * @param residentBytes resident set size, in bytes
 */
public record ProcStats(double cpuSeconds, long residentBytes) {
  /** Linux's USER_HZ: {@code /proc} counts CPU time in 1/100 s on every mainstream architecture. */
  static final double CLOCK_TICKS_PER_SECOND = 100.0;

  /** The stats of {@code pid}, or empty when the process is gone or {@code /proc} is missing. */
  public static Optional<ProcStats> read(long pid) {
    return read(Path.of("/proc", Long.toString(pid)));
  }

  static Optional<ProcStats> read(Path procDir) {
    try {
      String stat = Files.readString(procDir.resolve("stat"));
      String status = Files.readString(procDir.resolve("status"));
      return Optional.of(new ProcStats(cpuSeconds(stat), residentBytes(status)));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Fields 14 and 15 of {@code stat} (utime, stime), counted after the parenthesised name. */
  static double cpuSeconds(String stat) {
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).strip().split("\\s+");
    // f[0] is field 3 (state), so utime (14) is f[11] and stime (15) is f[12].
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / CLOCK_TICKS_PER_SECOND;
  }

  static long residentBytes(String status) {
    return status
        .lines()
        .filter(l -> l.startsWith("VmRSS:"))
        .map(l -> l.substring("VmRSS:".length()).strip().split("\\s+")[0])
        .mapToLong(kb -> Long.parseLong(kb) * 1024)
        .findFirst()
        .orElse(0);
  }
}
