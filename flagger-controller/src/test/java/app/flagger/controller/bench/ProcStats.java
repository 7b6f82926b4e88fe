package app.flagger.controller.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU and memory of another process, read from procfs as an operator would: CPU seconds from {@code
 * /proc/<pid>/stat} (utime + stime, in clock ticks of 1/100 s, the USER_HZ Linux exposes on every
 * architecture the benchmark runs on), RSS now and at its peak from {@code /proc/<pid>/status}
 * ({@code VmRSS}, {@code VmHWM}). A process that is gone reads as 0.
 */
final class ProcStats {
  private static final double USER_HZ = 100.0;

  private ProcStats() {}

  /** User plus system CPU seconds of {@code pid}. */
  static double cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      // the command name (field 2) may hold spaces and parentheses: count fields after the last ')'
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / USER_HZ;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** Resident set size of {@code pid} in bytes ({@code VmRSS}). */
  static long rssBytes(long pid) {
    return statusKb(pid, "VmRSS:") * 1024;
  }

  /** Peak resident set size of {@code pid} in bytes ({@code VmHWM}). */
  static long rssPeakBytes(long pid) {
    return statusKb(pid, "VmHWM:") * 1024;
  }

  private static long statusKb(long pid, String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith(key)) {
          return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      return 0;
    }
    return 0;
  }

  /** The 1-, 5- and 15-minute load averages, as {@code uptime} prints them. */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }
}
