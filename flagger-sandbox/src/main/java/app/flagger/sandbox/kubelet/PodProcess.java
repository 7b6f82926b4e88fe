package app.flagger.sandbox.kubelet;

import java.util.Map;
import java.util.OptionalInt;

/**
 * One running pod: a demo-app process on a loopback port. The port is known once the process has
 * printed it; the pod is ready while its {@code /readyz} answers.
 */
public final class PodProcess {
  private final PodTemplate template;
  private final String name;
  private final Process process;
  private volatile int port;
  private volatile boolean ready;
  private volatile boolean everReady;

  PodProcess(PodTemplate template, String name, Process process) {
    this.template = template;
    this.name = name;
    this.process = process;
  }

  public String name() {
    return name;
  }

  public String namespace() {
    return template.namespace();
  }

  /** The Deployment that owns the pod, Istio's {@code destination_workload}. */
  public String workload() {
    return template.workload();
  }

  public String container() {
    return template.container();
  }

  public String templateHash() {
    return template.hash();
  }

  /** The pod's labels, {@code pod-template-hash} included. */
  public Map<String, String> labels() {
    return template.labels();
  }

  public long pid() {
    return process.pid();
  }

  public OptionalInt port() {
    int p = port;
    return p == 0 ? OptionalInt.empty() : OptionalInt.of(p);
  }

  public boolean ready() {
    return ready && process.isAlive();
  }

  public boolean alive() {
    return process.isAlive();
  }

  PodTemplate template() {
    return template;
  }

  void port(int port) {
    this.port = port;
  }

  void ready(boolean ready) {
    this.ready = ready;
    if (ready) {
      everReady = true;
    }
  }

  /** Whether the pod ever answered its readiness probe. */
  public boolean everReady() {
    return everReady;
  }

  /** The exit code, or "running". */
  String exitCode() {
    return process.isAlive() ? "running" : Integer.toString(process.exitValue());
  }

  /** Stops the pod: SIGTERM, the way the kubelet ends a pod. */
  public void stop() {
    process.destroy();
  }

  /** Kills the pod's process outright (SIGKILL), as a crash would. */
  public void kill() {
    process.destroyForcibly();
  }

  @Override
  public String toString() {
    return name + "(pid " + pid() + ", port " + port + (ready() ? ", ready" : "") + ")";
  }
}
