package app.flagger.sandbox.kubelet;

import app.flagger.sandbox.podinfo.PodinfoMain;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs each pod as its own small JVM ({@link PodinfoMain} on this JVM's classpath), so its CPU time
 * and memory can be read honestly from {@code /proc/<pid>}. The pod's environment is only what the
 * template says plus {@code POD_NAME}, {@code POD_NAMESPACE} and {@code POD_IMAGE}; its standard
 * input stays open for as long as the sandbox lives, and the pod exits when it closes.
 */
public final class ProcessPodLauncher implements PodLauncher {
  private static final Logger LOG = Logger.getLogger(ProcessPodLauncher.class.getName());

  /** Small-JVM flags: a pod is a tiny HTTP server. */
  public static final List<String> JVM_FLAGS =
      List.of(
          "-Xmx32m",
          "-Xss256k",
          "-XX:TieredStopAtLevel=1",
          "-XX:+UseSerialGC",
          "-XX:CICompilerCount=1",
          "-XX:ReservedCodeCacheSize=16m",
          "-XX:MaxMetaspaceSize=48m",
          "-Xshare:auto",
          // the JDK server writes headers and body apart: without this, Nagle's algorithm and
          // delayed ACKs add about 40 ms to each response
          "-Dsun.net.httpserver.nodelay=true");

  private final String java;
  private final String classpath;
  private final Path logDir;

  /**
   * @param logDir where each pod's standard error goes ({@code <pod>.log}), or null to discard it
   */
  public ProcessPodLauncher(Path logDir) {
    this(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        System.getProperty("java.class.path"),
        logDir);
  }

  ProcessPodLauncher(String java, String classpath, Path logDir) {
    this.java = java;
    this.classpath = classpath;
    this.logDir = logDir;
  }

  @Override
  public PodProcess launch(PodTemplate template, String name) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(java);
    command.addAll(JVM_FLAGS);
    command.add("-cp");
    command.add(classpath);
    command.add(PodinfoMain.class.getName());
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    env.clear();
    env.putAll(template.env());
    env.put("POD_NAME", name);
    env.put("POD_NAMESPACE", template.namespace());
    env.put("POD_IMAGE", template.image());
    env.remove("PORT");
    pb.redirectInput(ProcessBuilder.Redirect.PIPE);
    pb.redirectOutput(ProcessBuilder.Redirect.PIPE);
    if (logDir == null) {
      pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    } else {
      Files.createDirectories(logDir);
      pb.redirectError(ProcessBuilder.Redirect.appendTo(logDir.resolve(name + ".log").toFile()));
    }
    Process process = pb.start();
    PodProcess pod = new PodProcess(template, name, process);
    Thread.ofVirtual().name("pod-" + name).start(() -> readPort(pod, process));
    return pod;
  }

  private static void readPort(PodProcess pod, Process process) {
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.startsWith(PodinfoMain.READY_LINE)) {
          pod.port(Integer.parseInt(line.substring(PodinfoMain.READY_LINE.length()).strip()));
        }
      }
    } catch (IOException | NumberFormatException e) {
      LOG.log(Level.FINE, "output of pod " + pod.name() + " ended", e);
    }
  }
}
