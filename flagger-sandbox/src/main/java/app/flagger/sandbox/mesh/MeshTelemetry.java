package app.flagger.sandbox.mesh;

import app.flagger.sandbox.kubelet.PodProcess;
import app.flagger.sandbox.kubelet.ProcStats;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * The mesh's telemetry in Prometheus text format, under the names Istio and cAdvisor use: request
 * counts and durations per series as the proxy served them, and per pod the CPU time and resident
 * memory read from {@code /proc/<pid>} and the bytes the proxy actually moved to and from it.
 */
public final class MeshTelemetry {
  private final Map<RequestSeries, DurationHistogram> requests = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> received = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> transmitted = new ConcurrentHashMap<>();

  void request(RequestSeries series, double millis) {
    requests.computeIfAbsent(series, s -> new DurationHistogram()).observe(millis);
  }

  /** Bytes the proxy sent to ({@code in}) and got from ({@code out}) a pod. */
  void bytes(String pod, long in, long out) {
    received.computeIfAbsent(pod, p -> new LongAdder()).add(in);
    transmitted.computeIfAbsent(pod, p -> new LongAdder()).add(out);
  }

  /** How many requests of the matching series were served. */
  public long requests(Predicate<RequestSeries> which) {
    return requests.entrySet().stream()
        .filter(e -> which.test(e.getKey()))
        .mapToLong(e -> e.getValue().snapshot().count())
        .sum();
  }

  public String render(List<PodProcess> pods) {
    StringBuilder out = new StringBuilder();
    out.append("# HELP istio_requests_total Requests served through the sandbox mesh.\n");
    out.append("# TYPE istio_requests_total counter\n");
    var snapshot =
        requests.entrySet().stream()
            .map(e -> Map.entry(e.getKey(), e.getValue().snapshot()))
            .toList();
    for (var e : snapshot) {
      out.append("istio_requests_total{")
          .append(e.getKey().labels())
          .append("} ")
          .append(e.getValue().count())
          .append('\n');
    }
    out.append(
        "# HELP istio_request_duration_milliseconds Request durations seen by the sandbox mesh.\n");
    out.append("# TYPE istio_request_duration_milliseconds histogram\n");
    for (var e : snapshot) {
      String labels = e.getKey().labels();
      var h = e.getValue();
      for (int i = 0; i < DurationHistogram.BUCKETS.length; i++) {
        out.append("istio_request_duration_milliseconds_bucket{")
            .append(labels)
            .append(",le=\"")
            .append(number(DurationHistogram.BUCKETS[i]))
            .append("\"} ")
            .append(h.cumulative()[i])
            .append('\n');
      }
      out.append("istio_request_duration_milliseconds_bucket{")
          .append(labels)
          .append(",le=\"+Inf\"} ")
          .append(h.count())
          .append('\n');
      out.append("istio_request_duration_milliseconds_sum{")
          .append(labels)
          .append("} ")
          .append(number(h.sum()))
          .append('\n');
      out.append("istio_request_duration_milliseconds_count{")
          .append(labels)
          .append("} ")
          .append(h.count())
          .append('\n');
    }
    renderPods(out, pods);
    return out.toString();
  }

  private void renderPods(StringBuilder out, List<PodProcess> pods) {
    StringBuilder cpu =
        new StringBuilder(
            "# HELP container_cpu_usage_seconds_total CPU time of the pod's process (/proc/<pid>/stat).\n# TYPE container_cpu_usage_seconds_total counter\n");
    StringBuilder mem =
        new StringBuilder(
            "# HELP container_memory_working_set_bytes Resident memory of the pod's process (/proc/<pid>/status VmRSS).\n# TYPE container_memory_working_set_bytes gauge\n");
    StringBuilder rx =
        new StringBuilder(
            "# HELP container_network_receive_bytes_total Bytes the mesh sent to the pod.\n# TYPE container_network_receive_bytes_total counter\n");
    StringBuilder tx =
        new StringBuilder(
            "# HELP container_network_transmit_bytes_total Bytes the mesh got from the pod.\n# TYPE container_network_transmit_bytes_total counter\n");
    for (PodProcess p : pods) {
      Optional<ProcStats> stats = ProcStats.read(p.pid());
      if (stats.isEmpty()) {
        continue;
      }
      String labels =
          "namespace=\"%s\",pod=\"%s\",container=\"%s\""
              .formatted(
                  RequestSeries.esc(p.namespace()),
                  RequestSeries.esc(p.name()),
                  RequestSeries.esc(p.container()));
      cpu.append("container_cpu_usage_seconds_total{")
          .append(labels)
          .append(",cpu=\"total\"} ")
          .append(number(stats.get().cpuSeconds()))
          .append('\n');
      mem.append("container_memory_working_set_bytes{")
          .append(labels)
          .append("} ")
          .append(stats.get().residentBytes())
          .append('\n');
      rx.append("container_network_receive_bytes_total{")
          .append(labels)
          .append(",interface=\"eth0\"} ")
          .append(sum(received, p.name()))
          .append('\n');
      tx.append("container_network_transmit_bytes_total{")
          .append(labels)
          .append(",interface=\"eth0\"} ")
          .append(sum(transmitted, p.name()))
          .append('\n');
    }
    out.append(cpu).append(mem).append(rx).append(tx);
  }

  private static long sum(Map<String, LongAdder> m, String pod) {
    LongAdder a = m.get(pod);
    return a == null ? 0 : a.sum();
  }

  private static String number(double d) {
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      return Long.toString((long) d);
    }
    return String.format(Locale.ROOT, "%.6f", d);
  }
}
