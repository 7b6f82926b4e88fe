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
 * The mesh's telemetry in Prometheus text format, under the names Istio, Linkerd, Envoy and
 * cAdvisor use: request counts and durations per series as the proxy served them (Istio's for every
 * request, Linkerd's inbound ones for every request a pod answered, Envoy's upstream cluster
 * statistics for requests a Gateway API route sent, ingress-nginx's for requests an Ingress
 * routed), and per pod the CPU time and resident memory read from {@code /proc/<pid>} and the bytes
 * the proxy actually moved to and from it.
 */
public final class MeshTelemetry {
  private final Map<RequestSeries, DurationHistogram> requests = new ConcurrentHashMap<>();
  private final Map<InboundSeries, DurationHistogram> inbound = new ConcurrentHashMap<>();
  private final Map<ClusterSeries, DurationHistogram> upstream = new ConcurrentHashMap<>();
  private final Map<IngressSeries, DurationHistogram> ingress = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> received = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> transmitted = new ConcurrentHashMap<>();

  void request(RequestSeries series, double millis) {
    requests.computeIfAbsent(series, s -> new DurationHistogram()).observe(millis);
  }

  /** A request a pod answered, as its Linkerd proxy counts it. */
  void inbound(InboundSeries series, double millis) {
    inbound
        .computeIfAbsent(series, s -> new DurationHistogram(DurationHistogram.LINKERD_BUCKETS))
        .observe(millis);
  }

  /** A request a gateway route sent to an upstream cluster, as Envoy counts it. */
  void upstream(ClusterSeries series, double millis) {
    upstream.computeIfAbsent(series, s -> new DurationHistogram()).observe(millis);
  }

  /** A request an Ingress routed, as ingress-nginx counts it (the histogram in seconds). */
  void ingress(IngressSeries series, double millis) {
    ingress
        .computeIfAbsent(series, s -> new DurationHistogram(DurationHistogram.NGINX_BUCKETS))
        .observe(millis / 1000);
  }

  /**
   * How many requests ingress-nginx served for {@code ingress} in {@code namespace} from the
   * canary's upstream ({@code canary} true) or the main backend.
   */
  public long ingressRequests(String namespace, String ingress, boolean canary) {
    return this.ingress.entrySet().stream()
        .filter(e -> e.getKey().served().namespace().equals(namespace))
        .filter(e -> e.getKey().served().ingress().equals(ingress))
        .filter(e -> e.getKey().served().canary().isEmpty() != canary)
        .mapToLong(e -> e.getValue().snapshot().count())
        .sum();
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

  /** How many requests a gateway route sent to the Envoy cluster {@code cluster}. */
  public long upstreamRequests(String cluster) {
    return upstream.entrySet().stream()
        .filter(e -> e.getKey().cluster().equals(cluster))
        .mapToLong(e -> e.getValue().snapshot().count())
        .sum();
  }

  /** How many requests the pods of {@code deployment} answered with a 5xx (Linkerd's failures). */
  public long inboundFailures(String namespace, String deployment) {
    return inbound.entrySet().stream()
        .filter(e -> e.getKey().namespace().equals(namespace))
        .filter(e -> e.getKey().deployment().equals(deployment))
        .filter(e -> e.getKey().classification().equals("failure"))
        .mapToLong(e -> e.getValue().snapshot().count())
        .sum();
  }

  public String render(List<PodProcess> pods) {
    StringBuilder out = new StringBuilder();
    family(
        out,
        "istio_requests_total",
        "Requests served through the sandbox mesh.",
        "istio_request_duration_milliseconds",
        "Request durations seen by the sandbox mesh.",
        requests);
    family(
        out,
        "response_total",
        "Responses the Linkerd proxy of the answering pod saw (inbound).",
        "response_latency_ms",
        "Response latencies seen by the Linkerd proxy of the answering pod (inbound).",
        inbound);
    family(
        out,
        "envoy_cluster_upstream_rq",
        "Requests a Gateway API implementation (Envoy) sent to each upstream cluster.",
        "envoy_cluster_upstream_rq_time",
        "Upstream request times of each Envoy cluster.",
        upstream);
    family(
        out,
        "nginx_ingress_controller_requests",
        "The requests the ingress controller (ingress-nginx) served by an Ingress.",
        "nginx_ingress_controller_response_duration_seconds",
        "The time the upstream took to answer, in seconds.",
        ingress);
    renderPods(out, pods);
    return out.toString();
  }

  /** A counter of requests and a millisecond histogram over the same series. */
  private static void family(
      StringBuilder out,
      String counter,
      String counterHelp,
      String histogram,
      String histogramHelp,
      Map<? extends Series, DurationHistogram> series) {
    var snapshot =
        series.entrySet().stream()
            .map(e -> Map.entry(e.getKey().labels(), e.getValue().snapshot()))
            .toList();
    out.append("# HELP ").append(counter).append(' ').append(counterHelp).append('\n');
    out.append("# TYPE ").append(counter).append(" counter\n");
    for (var e : snapshot) {
      out.append(counter)
          .append('{')
          .append(e.getKey())
          .append("} ")
          .append(e.getValue().count())
          .append('\n');
    }
    out.append("# HELP ").append(histogram).append(' ').append(histogramHelp).append('\n');
    out.append("# TYPE ").append(histogram).append(" histogram\n");
    for (var e : snapshot) {
      String labels = e.getKey();
      var h = e.getValue();
      for (int i = 0; i < h.buckets().length; i++) {
        out.append(histogram)
            .append("_bucket{")
            .append(labels)
            .append(",le=\"")
            .append(number(h.buckets()[i]))
            .append("\"} ")
            .append(h.cumulative()[i])
            .append('\n');
      }
      out.append(histogram)
          .append("_bucket{")
          .append(labels)
          .append(",le=\"+Inf\"} ")
          .append(h.count())
          .append('\n');
      out.append(histogram)
          .append("_sum{")
          .append(labels)
          .append("} ")
          .append(number(h.sum()))
          .append('\n');
      out.append(histogram)
          .append("_count{")
          .append(labels)
          .append("} ")
          .append(h.count())
          .append('\n');
    }
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
