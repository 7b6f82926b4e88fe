package app.flagger.model.support;

import jakarta.json.Json;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * How a service's image starts its jar, read from its Dockerfile: the JVM options of the exec-form
 * {@code ENTRYPOINT ["java", <options>..., "-jar", <jar>]}, each {@code /app/<file>} resolved to
 * the file beside the Dockerfile that the image copies there (such as {@code -XX:Flags=
 * /app/jvm.flags}), and the {@code ENV} variables.
 *
 * @param javaOptions the entry point's JVM options, paths resolved
 * @param env the image's {@code ENV} variables, in order
 */
public record ShippedImage(List<String> javaOptions, Map<String, String> env) {
  public ShippedImage {
    javaOptions = List.copyOf(javaOptions);
    env = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(env));
  }

  /** Reads {@code dockerfile}. */
  public static ShippedImage read(Path dockerfile) throws IOException {
    String text = Files.readString(dockerfile);
    Path dir = dockerfile.toAbsolutePath().getParent();
    return new ShippedImage(entrypointOptions(text, dir, dockerfile.toString()), env(text));
  }

  /** {@code java}, the entry point's options, {@code extra} options, {@code -jar <jar>}. */
  public List<String> command(String java, List<String> extra, Path jar) {
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.addAll(javaOptions);
    cmd.addAll(extra);
    cmd.add("-jar");
    cmd.add(jar.toAbsolutePath().toString());
    return cmd;
  }

  /** Every {@code ENV NAME=value} instruction (one variable per line, quotes removed). */
  public static Map<String, String> env(String dockerfile) {
    Map<String, String> env = new LinkedHashMap<>();
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

  /**
   * The options of the last {@code ENTRYPOINT}, each {@code /app/<file>} as {@code <dir>/<file>}.
   */
  public static List<String> entrypointOptions(String dockerfile, Path dir, String source) {
    String line =
        dockerfile
            .lines()
            .map(String::strip)
            .filter(l -> l.startsWith("ENTRYPOINT "))
            .reduce((first, last) -> last)
            .orElseThrow(() -> badEntrypoint(source));
    List<String> words;
    try (JsonReader r =
        Json.createReader(new StringReader(line.substring("ENTRYPOINT ".length())))) {
      words =
          r.readArray().getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
    } catch (RuntimeException e) {
      throw badEntrypoint(source);
    }
    int jar = words.indexOf("-jar");
    if (words.isEmpty() || !words.get(0).equals("java") || jar < 0) {
      throw badEntrypoint(source);
    }
    return words.subList(1, jar).stream().map(o -> o.replace("/app/", dir + "/")).toList();
  }

  /**
   * {@code target/<artifactId>-<version>.jar} of {@code module}, next to the {@code target/libs}
   * its manifest's classpath names, as {@code package} builds them.
   */
  public static Path jar(Path module, String artifactId) throws IOException {
    Path target = module.resolve("target");
    IllegalStateException missing =
        new IllegalStateException(
            target
                + ": expected "
                + artifactId
                + "-<version>.jar and libs/; build them first: mvn -B -pl "
                + artifactId
                + " -am package -DskipTests");
    if (!Files.isDirectory(target.resolve("libs"))) {
      throw missing;
    }
    try (Stream<Path> files = Files.list(target)) {
      return files
          .filter(p -> p.getFileName().toString().matches(artifactId + "-.*\\.jar"))
          .filter(p -> !p.getFileName().toString().matches(".*-(tests|sources|javadoc)\\.jar"))
          .findFirst()
          .orElseThrow(() -> missing);
    }
  }

  private static IllegalArgumentException badEntrypoint(String source) {
    return new IllegalArgumentException(
        source + ": expected a line ENTRYPOINT [\"java\", <options>..., \"-jar\", <jar>]");
  }
}
