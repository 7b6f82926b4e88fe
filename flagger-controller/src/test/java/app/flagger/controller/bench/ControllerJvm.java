package app.flagger.controller.bench;

import app.flagger.model.support.ShippedImage;
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
 * The controller's JVM as its pod runs it: the options of the image's {@code ENTRYPOINT} ({@link
 * ShippedImage}: {@code -XX:Flags=/app/jvm.flags}, resolved to the file beside the Dockerfile that
 * the image copies there), the image's {@code ENV} variables ({@code MALLOC_ARENA_MAX}; a {@code
 * JDK_JAVA_OPTIONS}, should the image set one, is passed as that variable as well), then the
 * container's limits from the Deployment manifest simulated on the command line ({@code
 * limits.memory} as {@code -XX:MaxRAM}, {@code limits.cpu} as {@code -XX:ActiveProcessorCount},
 * rounded up, at least 1), then the benchmark's overrides. The JVM reads the flags file before any
 * other option, {@code JDK_JAVA_OPTIONS} next and the command line last, so later options win.
 *
 * @param imageOptions the {@code ENTRYPOINT}'s JVM options, paths resolved
 * @param args the limits and the overrides, on the command line after {@code imageOptions}
 * @param imageEnv the image's {@code ENV} variables
 */
record ControllerJvm(List<String> imageOptions, List<String> args, Map<String, String> imageEnv) {
  static final String ENV = "JDK_JAVA_OPTIONS";
  static final String CONTAINER = "flagger";
  static final String FLAGS = "-XX:Flags=";

  ControllerJvm {
    imageOptions = List.copyOf(imageOptions);
    args = List.copyOf(args);
    imageEnv = Map.copyOf(imageEnv);
  }

  /** Reads what ships: the Dockerfile's entry point and env, the manifest's limits, overrides. */
  static ControllerJvm shipped(Path dockerfile, Path deployment, String overrides)
      throws IOException {
    List<String> args =
        new ArrayList<>(limits(Files.readString(deployment), CONTAINER, deployment.toString()));
    args.addAll(split(overrides));
    ShippedImage image = ShippedImage.read(dockerfile);
    return new ControllerJvm(image.javaOptions(), args, image.env());
  }

  /** The command that starts {@code jar} as the image does, with {@code java}. */
  List<String> command(String java, Path jar) {
    return new ShippedImage(imageOptions, imageEnv).command(java, args, jar);
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

  /**
   * Every option in the order the JVM applies them: the flags file's lines (as {@code -XX:}
   * options), {@code JDK_JAVA_OPTIONS}, the command line.
   */
  List<String> all() {
    List<String> all = new ArrayList<>();
    for (String o : imageOptions) {
      if (o.startsWith(FLAGS)) {
        all.addAll(flagsFile(Path.of(o.substring(FLAGS.length()))));
      }
    }
    all.addAll(split(imageEnv.get(ENV)));
    imageOptions.stream().filter(o -> !o.startsWith(FLAGS)).forEach(all::add);
    all.addAll(args);
    return all;
  }

  /** A {@code -XX:Flags} file's flags ({@code +Name}, {@code -Name}, {@code Name=value}). */
  static List<String> flagsFile(Path file) {
    try {
      return Files.readAllLines(file).stream()
          .map(String::strip)
          .filter(l -> !l.isEmpty() && !l.startsWith("#"))
          .map(l -> "-XX:" + l)
          .toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<String> split(String options) {
    return options == null || options.isBlank()
        ? List.of()
        : Arrays.asList(options.strip().split("\\s+"));
  }
}
