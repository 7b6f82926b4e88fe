package app.flagger.controller.bench;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The controller's JVM options as its pod runs them: {@code JDK_JAVA_OPTIONS} from the image's
 * Dockerfile (passed as that environment variable, as the image does), then the container's limits
 * from the Deployment manifest simulated on the command line ({@code limits.memory} as {@code
 * -XX:MaxRAM}, {@code limits.cpu} as {@code -XX:ActiveProcessorCount}, rounded up, at least 1),
 * then the benchmark's overrides. The launcher puts {@code JDK_JAVA_OPTIONS} before the command
 * line, so later options win.
 *
 * @param jdkJavaOptions the value of the image's {@code ENV JDK_JAVA_OPTIONS=...}
 * @param args the limits and the overrides, for the command line
 * @param imageEnv the image's other {@code ENV} variables (such as {@code MALLOC_ARENA_MAX})
 */
record ControllerJvm(String jdkJavaOptions, List<String> args, Map<String, String> imageEnv) {
  static final String ENV = "JDK_JAVA_OPTIONS";
  static final String CONTAINER = "flagger";

  ControllerJvm {
    args = List.copyOf(args);
    imageEnv = Map.copyOf(imageEnv);
  }

  ControllerJvm(String jdkJavaOptions, List<String> args) {
    this(jdkJavaOptions, args, Map.of());
  }

  /** Reads what ships: the Dockerfile's options, the manifest's limits, then {@code overrides}. */
  static ControllerJvm shipped(Path dockerfile, Path deployment, String overrides)
      throws IOException {
    List<String> args =
        new ArrayList<>(limits(Files.readString(deployment), CONTAINER, deployment.toString()));
    args.addAll(split(overrides));
    String image = Files.readString(dockerfile);
    Map<String, String> env = new java.util.TreeMap<>(imageEnv(image));
    env.remove(ENV);
    return new ControllerJvm(jdkJavaOptions(image, dockerfile.toString()), args, env);
  }

  /** Every {@code ENV NAME=value} instruction of the Dockerfile (one variable per line). */
  static Map<String, String> imageEnv(String dockerfile) {
    Map<String, String> env = new java.util.LinkedHashMap<>();
    for (String line : dockerfile.replace("\\\n", " ").split("\n")) {
      String l = line.strip();
      int eq = l.indexOf('=');
      if (l.startsWith("ENV ") && eq > 4) {
        String v = l.substring(eq + 1).strip();
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
          v = v.substring(1, v.length() - 1);
        }
        env.put(l.substring(4, eq).strip(), v);
      }
    }
    return env;
  }

  /** The value of the {@code ENV JDK_JAVA_OPTIONS=...} instruction (quotes removed). */
  static String jdkJavaOptions(String dockerfile, String source) {
    String v = imageEnv(dockerfile).get(ENV);
    if (v == null) {
      throw new IllegalArgumentException(source + ": expected a line ENV " + ENV + "=\"...\"");
    }
    return v;
  }

  /** {@code -XX:MaxRAM} and {@code -XX:ActiveProcessorCount} from the container's limits. */
  static List<String> limits(String manifest, String container, String source) {
    Deployment d = new KubernetesSerialization().unmarshal(manifest, Deployment.class);
    Container c =
        d.getSpec().getTemplate().getSpec().getContainers().stream()
            .filter(x -> container.equals(x.getName()))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        source + ": expected a container named " + container));
    Map<String, Quantity> limits =
        c.getResources() == null || c.getResources().getLimits() == null
            ? Map.of()
            : c.getResources().getLimits();
    List<String> out = new ArrayList<>();
    if (limits.containsKey("memory")) {
      BigDecimal bytes = Quantity.getAmountInBytes(limits.get("memory"));
      out.add("-XX:MaxRAM=" + bytes.setScale(0, RoundingMode.DOWN).toPlainString());
    }
    if (limits.containsKey("cpu")) {
      BigDecimal cores = limits.get("cpu").getNumericalAmount();
      int n = Math.max(1, cores.setScale(0, RoundingMode.CEILING).intValueExact());
      out.add("-XX:ActiveProcessorCount=" + n);
    }
    return out;
  }

  /** Whether the effective options turn native memory tracking on (the last setting wins). */
  boolean nativeMemoryTracking() {
    String last = "off";
    for (String o : all()) {
      if (o.startsWith("-XX:NativeMemoryTracking=")) {
        last = o.substring("-XX:NativeMemoryTracking=".length());
      }
    }
    return last.equals("summary") || last.equals("detail");
  }

  /** Every option in the order the launcher applies them. */
  List<String> all() {
    List<String> all = new ArrayList<>(split(jdkJavaOptions));
    all.addAll(args);
    return all;
  }

  private static List<String> split(String options) {
    return options == null || options.isBlank()
        ? List.of()
        : Arrays.asList(options.strip().split("\\s+"));
  }
}
