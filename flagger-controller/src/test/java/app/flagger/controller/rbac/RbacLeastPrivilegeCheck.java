package app.flagger.controller.rbac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import app.flagger.controller.support.RbacRecordingHttpClientFactory;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Least privilege, measured: compares the (group, resource, verb) triples the controller sent
 * during the module's test suite (recorded by {@link RbacRecordingHttpClientFactory} under {@code
 * target/rbac-usage/}) with what {@code k8s/controller/020-ClusterRole-flagger.yaml} and the
 * leader-election Role grant, and writes {@code target/rbac-usage/report.txt}.
 *
 * <p>Not a {@code *Test}: the {@code rbac-least-privilege} Surefire execution of this module runs
 * it after the default one, so the usage files are complete. It fails on any difference, unless
 * {@code -Drbac.report-only=true}.
 */
class RbacLeastPrivilegeCheck {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  /**
   * Grants that authorize something other than a call of the controller, so no request shows them:
   * setting an owner reference with {@code blockOwnerDeletion} on a Canary needs {@code update} on
   * {@code canaries/finalizers} under the OwnerReferencesPermissionEnforcement admission plugin.
   */
  private static final Set<String> NOT_CALLS = Set.of("flagger.app canaries/finalizers update");

  @Test
  void clusterRoleGrantsExactlyWhatTheControllerCalls() throws IOException {
    Path usageDir = RbacRecordingHttpClientFactory.USAGE_DIR;
    assumeTrue(Files.isDirectory(usageDir), "no usage recorded under " + usageDir);
    SortedSet<String> used = used(usageDir);
    SortedSet<String> granted = granted(repository().resolve("k8s/controller"));

    SortedSet<String> overGranted = new TreeSet<>(granted);
    overGranted.removeIf(g -> NOT_CALLS.contains(g) || used.stream().anyMatch(u -> covers(g, u)));
    SortedSet<String> missing = new TreeSet<>(used);
    missing.removeIf(u -> granted.stream().anyMatch(g -> covers(g, u)));

    List<String> report = new ArrayList<>();
    report.add("# used by the controller (group resource verb), " + used.size());
    report.addAll(used);
    report.add("# granted but never used, " + overGranted.size());
    report.addAll(overGranted);
    report.add("# used but not granted, " + missing.size());
    report.addAll(missing);
    Files.write(usageDir.resolve("report.txt"), report, StandardCharsets.UTF_8);

    if (!Boolean.getBoolean("rbac.report-only")) {
      assertThat(missing).as("used by the controller but not granted").isEmpty();
      assertThat(overGranted).as("granted but never used by the controller").isEmpty();
    }
  }

  /** Triples sent by production code (directly or from its informer/watch threads). */
  static SortedSet<String> used(Path usageDir) throws IOException {
    SortedSet<String> used = new TreeSet<>();
    try (Stream<Path> files = Files.list(usageDir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".tsv")).toList()) {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          String[] f = line.split("\t", -1);
          if (f.length == 4 && !f[3].equals("test")) {
            used.add(triple(f[0], f[1], f[2]));
          }
        }
      }
    }
    return used;
  }

  /** Triples granted by every ClusterRole and Role of the controller's manifests. */
  static SortedSet<String> granted(Path manifests) throws IOException {
    SortedSet<String> granted = new TreeSet<>();
    try (Stream<Path> files = Files.list(manifests)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        String name = file.getFileName().toString();
        List<PolicyRule> rules;
        try (InputStream in = Files.newInputStream(file)) {
          if (name.contains("-ClusterRole-")) {
            rules = SERIALIZATION.unmarshal(in, ClusterRole.class).getRules();
          } else if (name.contains("-Role-")) {
            rules = SERIALIZATION.unmarshal(in, Role.class).getRules();
          } else {
            continue;
          }
        }
        for (PolicyRule rule : rules) {
          for (String group : rule.getApiGroups()) {
            for (String resource : rule.getResources()) {
              for (String verb : rule.getVerbs()) {
                granted.add(triple(group, resource, verb));
              }
            }
          }
        }
      }
    }
    return granted;
  }

  /** Whether grant {@code g} allows call {@code u}; a grant's resource may be {@code *}. */
  static boolean covers(String g, String u) {
    String[] a = g.split(" ");
    String[] b = u.split(" ");
    return a[0].equals(b[0]) && a[2].equals(b[2]) && (a[1].equals("*") || a[1].equals(b[1]));
  }

  private static String triple(String group, String resource, String verb) {
    return (group.isEmpty() ? "core" : group) + " " + resource + " " + verb;
  }

  private static Path repository() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("k8s/controller"))) {
      dir = dir.getParent();
    }
    assertThat(dir)
        .as("a directory containing k8s/controller above the working directory")
        .isNotNull();
    return dir;
  }
}
