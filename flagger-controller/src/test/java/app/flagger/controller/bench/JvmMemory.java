package app.flagger.controller.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code BENCH-MEM} line: where the controller's memory goes, asked of its JVM with {@code
 * jcmd} (the JDK's, next to this JVM's java; it attaches without the hsperfdata files the image
 * turns off). Always the heap's used and committed size ({@code GC.heap_info}, summed over the
 * generations); with {@code -XX:NativeMemoryTracking=summary} also the committed MB of the main
 * native-memory categories ({@code VM.native_memory summary}), {@code restMB} being the categories
 * not listed.
 */
final class JvmMemory {
  /** Serial and Parallel: one line per generation; G1: one line, with "reserved" (JDK 25). */
  private static final Pattern GENERATION =
      Pattern.compile(
          "^\\s*\\S.*?\\s+total (?:reserved \\d+K, committed )?(\\d+)K, used (\\d+)K",
          Pattern.MULTILINE);

  private static final Pattern ZGC =
      Pattern.compile("^\\s*ZHeap\\s+used (\\d+)M, capacity (\\d+)M", Pattern.MULTILINE);
  private static final Pattern CATEGORY =
      Pattern.compile("^-\\s+(.+?) \\(reserved=\\d+KB, committed=(\\d+)KB", Pattern.MULTILINE);
  private static final Pattern TOTAL =
      Pattern.compile("^Total: reserved=\\d+KB, committed=(\\d+)KB", Pattern.MULTILINE);

  /** NMT category → key, in the order printed. */
  private static final Map<String, String> CATEGORIES = new LinkedHashMap<>();

  static {
    CATEGORIES.put("Java Heap", "heap");
    CATEGORIES.put("Class", "class");
    CATEGORIES.put("Metaspace", "metaspace");
    CATEGORIES.put("Thread", "thread");
    CATEGORIES.put("Code", "code");
    CATEGORIES.put("GC", "gc");
    CATEGORIES.put("Symbol", "symbol");
    CATEGORIES.put("Shared class space", "sharedClass");
    CATEGORIES.put("Other", "other");
  }

  private JvmMemory() {}

  static String line(long pid, boolean nmt) {
    StringBuilder out = new StringBuilder("BENCH-MEM");
    out.append(heap(jcmd(pid, "GC.heap_info")));
    out.append(nmt ? nativeMemory(jcmd(pid, "VM.native_memory", "summary")) : " nmt=off");
    out.append(" load=").append(ProcStats.loadAverage());
    return out.toString();
  }

  /** {@code heapUsedMB=.. heapCommittedMB=..} from {@code GC.heap_info}'s heap lines. */
  static String heap(String heapInfo) {
    long[] usedAndCommitted = usedAndCommittedKb(heapInfo);
    if (usedAndCommitted == null) {
      return " heapInfo=unparsed(" + firstLine(heapInfo) + ")";
    }
    return String.format(
        Locale.ROOT,
        " heapUsedMB=%d heapCommittedMB=%d",
        usedAndCommitted[0] >> 10,
        usedAndCommitted[1] >> 10);
  }

  /**
   * The KB of heap in use right after a full collection ({@code GC.run}, then {@code
   * GC.heap_info}): what the controller keeps, without the garbage it has not collected yet.
   */
  static long heapUsedKbAfterGc(long pid) {
    jcmd(pid, "GC.run");
    String info = jcmd(pid, "GC.heap_info");
    long[] usedAndCommitted = usedAndCommittedKb(info);
    if (usedAndCommitted == null) {
      throw new IllegalStateException("cannot read the heap of " + pid + ": " + info);
    }
    return usedAndCommitted[0];
  }

  /** {used, committed} KB summed over the heap lines of {@code GC.heap_info}, or null. */
  static long[] usedAndCommittedKb(String heapInfo) {
    Matcher m = GENERATION.matcher(heapInfo);
    long committed = 0;
    long used = 0;
    boolean any = false;
    while (m.find()) {
      committed += Long.parseLong(m.group(1));
      used += Long.parseLong(m.group(2));
      any = true;
    }
    Matcher z = ZGC.matcher(heapInfo);
    if (!any && z.find()) {
      used = Long.parseLong(z.group(1)) << 10;
      committed = Long.parseLong(z.group(2)) << 10;
      any = true;
    }
    return any ? new long[] {used, committed} : null;
  }

  /** The committed MB by category from {@code VM.native_memory summary}. */
  static String nativeMemory(String summary) {
    Matcher t = TOTAL.matcher(summary);
    if (!t.find()) {
      return " nmt=unparsed(" + firstLine(summary) + ")";
    }
    long total = Long.parseLong(t.group(1));
    Map<String, Long> committed = new LinkedHashMap<>();
    Matcher m = CATEGORY.matcher(summary);
    while (m.find()) {
      committed.put(m.group(1).strip(), Long.parseLong(m.group(2)));
    }
    StringBuilder out = new StringBuilder();
    long listed = 0;
    for (var e : CATEGORIES.entrySet()) {
      long kb = committed.getOrDefault(e.getKey(), 0L);
      listed += kb;
      out.append(' ').append(e.getValue()).append("MB=").append(kb >> 10);
    }
    out.append(" restMB=").append((total - listed) >> 10);
    out.append(" nmtTotalMB=").append(total >> 10);
    return out.toString();
  }

  private static String jcmd(long pid, String... command) {
    String java = ProcessHandle.current().info().command().orElse("java");
    Path jcmd = Path.of(java).resolveSibling("jcmd");
    List<String> cmd = new java.util.ArrayList<>(List.of(jcmd.toString(), Long.toString(pid)));
    cmd.addAll(List.of(command));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "jcmd failed: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private static String firstLine(String s) {
    String[] lines = s.strip().split("\n");
    return lines.length == 0 ? "" : lines[lines.length > 1 ? 1 : 0].strip().replace(' ', '_');
  }
}
