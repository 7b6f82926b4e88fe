package app.flagger.controller.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Renders the Helm charts of {@code charts/} through helm-java (Helm's Go library, no helm binary)
 * and the kustomize trees of {@code k8s/} through {@code kubectl kustomize}, parses both with
 * fabric8 and lists their differences field by field, so a chart test can fail on any drift between
 * the two.
 */
public final class Charts {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private Charts() {}

  /**
   * The repository root: the nearest directory above the working directory with k8s/ and charts/.
   */
  public static Path repository() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null
        && !(Files.isDirectory(dir.resolve("k8s")) && Files.isDirectory(dir.resolve("charts")))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      fail("no directory containing k8s/ and charts/ above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  /** {@code helm lint --strict} of a chart with its default values passes. */
  public static void assertLints(String chart) {
    LintResult result =
        new Helm(repository().resolve("charts").resolve(chart)).lint().strict().call();
    assertThat(result.isFailed())
        .as("helm lint charts/%s: %s", chart, result.getMessages())
        .isFalse();
  }

  /** Both lists hold the same kinds and names, and each pair has no field that differs. */
  public static void assertSameObjects(
      List<HasMetadata> chart, List<HasMetadata> base, String source) {
    assertThat(chart)
        .extracting(Charts::id)
        .containsExactlyInAnyOrderElementsOf(base.stream().map(Charts::id).toList());
    for (HasMetadata expected : base) {
      HasMetadata actual = find(chart, expected.getClass(), expected.getMetadata().getName());
      assertThat(differences(actual, expected))
          .as("chart vs %s: %s", source, id(expected))
          .isEmpty();
    }
  }

  /**
   * {@code helm template <release> charts/<chart> -n <namespace> [-f valuesFile] [--set k=v]...},
   * CRDs included, parsed into typed fabric8 objects.
   */
  public static List<HasMetadata> template(
      String chart,
      String release,
      String namespace,
      Optional<Path> valuesFile,
      Map<String, Object> set) {
    TemplateCommand command =
        new Helm(repository().resolve("charts").resolve(chart))
            .template()
            .withName(release)
            .withNamespace(namespace);
    valuesFile.ifPresent(command::withValuesFile);
    set.forEach(command::set);
    return parse(command.call());
  }

  /** The chart with its default values, as release {@code release} in {@code namespace}. */
  public static List<HasMetadata> template(String chart, String release, String namespace) {
    return template(chart, release, namespace, Optional.empty(), Map.of());
  }

  /** {@code kubectl kustomize k8s/<dir>} parsed into typed fabric8 objects. */
  public static List<HasMetadata> kustomize(String dir) {
    ProcessBuilder builder =
        new ProcessBuilder(
            kubectl(), "kustomize", repository().resolve("k8s").resolve(dir).toString());
    return parse(run(builder, "kubectl kustomize k8s/" + dir));
  }

  /** The kubectl to run: $KUBECTL, /usr/bin/kubectl or the first on the PATH. */
  public static String kubectl() {
    return Stream.concat(
            Stream.of(System.getenv("KUBECTL"), "/usr/bin/kubectl"),
            Stream.of(Optional.ofNullable(System.getenv("PATH")).orElse("").split(":"))
                .filter(d -> !d.isBlank())
                .map(d -> Path.of(d, "kubectl").toString()))
        .filter(p -> p != null && Files.isExecutable(Path.of(p)))
        .findFirst()
        .orElseGet(() -> fail("kubectl not found: install it or set KUBECTL to its path"));
  }

  /**
   * Runs a command to its end (2 minutes at most) and returns its output; fails on exit code != 0.
   */
  public static String run(ProcessBuilder builder, String what) {
    try {
      Path stdout = Files.createTempFile("manifests-test", ".out");
      Path stderr = Files.createTempFile("manifests-test", ".err");
      try {
        Process process =
            builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
          process.destroyForcibly();
          fail(what + " did not finish within 2 minutes");
        }
        if (process.exitValue() != 0) {
          fail(
              what
                  + " failed with exit code "
                  + process.exitValue()
                  + ":\n"
                  + Files.readString(stderr, StandardCharsets.UTF_8));
        }
        return Files.readString(stdout, StandardCharsets.UTF_8);
      } finally {
        Files.deleteIfExists(stdout);
        Files.deleteIfExists(stderr);
      }
    } catch (IOException e) {
      throw new AssertionError(what + " could not be started: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(what + " interrupted", e);
    }
  }

  /** Every YAML document with a kind, parsed by fabric8 (typed where fabric8 knows the kind). */
  public static List<HasMetadata> parse(String yaml) {
    List<HasMetadata> objects = new ArrayList<>();
    for (String doc : yaml.split("(?m)^---.*$")) {
      if (doc.lines().anyMatch(l -> l.startsWith("kind:"))) {
        Object parsed = SERIALIZATION.unmarshal(doc);
        assertThat(parsed).as("parsed document:\n%s", doc).isInstanceOf(HasMetadata.class);
        objects.add((HasMetadata) parsed);
      }
    }
    return objects;
  }

  /** "Kind/name" of an object. */
  public static String id(HasMetadata o) {
    return o.getKind() + "/" + o.getMetadata().getName();
  }

  /** The object of that kind and name, or an assertion error. */
  public static <T extends HasMetadata> T find(
      List<HasMetadata> objects, Class<T> type, String name) {
    return objects.stream()
        .filter(type::isInstance)
        .map(type::cast)
        .filter(o -> o.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
  }

  /**
   * The differences between two objects as "path: left != right" lines (empty when equal). Lists
   * whose items all have a "name" (containers, env, ports, volumes, mounts) are compared by name,
   * since their order carries no meaning to Kubernetes.
   */
  public static List<String> differences(HasMetadata left, HasMetadata right) {
    List<String> out = new ArrayList<>();
    diff(tree(left), tree(right), id(left), out);
    return out;
  }

  private static Object tree(Object o) {
    return SERIALIZATION.convertValue(o, Object.class);
  }

  private static void diff(Object a, Object b, String path, List<String> out) {
    if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
      TreeSet<String> keys = new TreeSet<>();
      ma.keySet().forEach(k -> keys.add(String.valueOf(k)));
      mb.keySet().forEach(k -> keys.add(String.valueOf(k)));
      for (String k : keys) {
        diff(ma.get(k), mb.get(k), path + "." + k, out);
      }
    } else if (a instanceof Collection<?> la && b instanceof Collection<?> lb) {
      if (named(la) && named(lb)) {
        diff(byName(la), byName(lb), path, out);
      } else if (la.size() != lb.size()) {
        out.add(path + ": " + a + " != " + b);
      } else {
        List<?> xa = new ArrayList<>(la);
        List<?> xb = new ArrayList<>(lb);
        for (int i = 0; i < xa.size(); i++) {
          diff(xa.get(i), xb.get(i), path + "[" + i + "]", out);
        }
      }
    } else if (a == null ? b != null : !String.valueOf(a).equals(String.valueOf(b))) {
      out.add(path + ": " + a + " != " + b);
    }
  }

  private static boolean named(Collection<?> list) {
    return !list.isEmpty()
        && list.stream().allMatch(i -> i instanceof Map<?, ?> m && m.get("name") instanceof String);
  }

  private static Map<String, Object> byName(Collection<?> list) {
    Map<String, Object> map = new LinkedHashMap<>();
    list.forEach(i -> map.put("[name=" + ((Map<?, ?>) i).get("name") + "]", i));
    return map;
  }
}
