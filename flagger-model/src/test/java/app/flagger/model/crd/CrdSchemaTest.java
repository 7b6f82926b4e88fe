package app.flagger.model.crd;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.model.alert.AlertProviderSpec;
import app.flagger.model.canary.CanarySpec;
import app.flagger.model.canary.CanaryStatus;
import app.flagger.model.common.ConditionsStatus;
import app.flagger.model.metric.MetricTemplateSpec;
import app.flagger.model.support.RepoRoot;
import app.flagger.model.support.Yaml;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The CRDs in {@code k8s/crds/} are what the generator makes from the model, and every model field
 * is in the schema and every schema field in the model. {@code make manifests} rewrites the files
 * ({@code -Dcrds.write=true}).
 */
class CrdSchemaTest {
  private static final Path CRDS = RepoRoot.find().resolve("k8s/crds");

  @Test
  void crdFilesAreWhatTheGeneratorMakesFromTheModel() throws IOException {
    boolean write = Boolean.getBoolean("crds.write");
    for (CrdGenerator.GeneratedCrd g : CrdGenerator.all()) {
      String yaml = Yaml.SERIALIZATION.asYaml(g.crd());
      Path file = CRDS.resolve(g.fileName());
      if (write) {
        Files.createDirectories(CRDS);
        Files.writeString(file, yaml);
      }
      assertThat(file).as("run 'make manifests' to regenerate").exists();
      assertThat(Files.readString(file))
          .as("%s is stale: run 'make manifests'", file)
          .isEqualTo(yaml);
    }
  }

  @Test
  void canarySchemaAndModelAgreeFieldByField() {
    assertAgree("canaries", CanarySpec.class, CanaryStatus.class, List.of("spec.canaryAnalysis"));
  }

  @Test
  void metricTemplateSchemaAndModelAgreeFieldByField() {
    assertAgree("metrictemplates", MetricTemplateSpec.class, ConditionsStatus.class, List.of());
  }

  @Test
  void alertProviderSchemaAndModelAgreeFieldByField() {
    assertAgree("alertproviders", AlertProviderSpec.class, ConditionsStatus.class, List.of());
  }

  @Test
  void crdsHaveStatusSubresourceCategoryAndPrinterColumns() {
    CustomResourceDefinition canaries = CrdFiles.load("canaries");
    var version = canaries.getSpec().getVersions().get(0);
    assertThat(version.getName()).isEqualTo("v1beta1");
    assertThat(version.getSubresources().getStatus()).isNotNull();
    assertThat(canaries.getSpec().getNames().getCategories()).containsExactly("all");
    assertThat(version.getAdditionalPrinterColumns())
        .extracting(c -> c.getName())
        .containsExactly(
            "Status",
            "Weight",
            "Suspended",
            "FailedChecks",
            "Interval",
            "Mirror",
            "StepWeight",
            "StepWeights",
            "MaxWeight",
            "LastTransitionTime");
    JSONSchemaProps analysis =
        version
            .getSchema()
            .getOpenAPIV3Schema()
            .getProperties()
            .get("spec")
            .getProperties()
            .get("analysis");
    assertThat(analysis.getOneOf()).hasSize(3);
  }

  private static void assertAgree(
      String plural, Class<?> spec, Class<?> status, List<String> excluded) {
    JSONSchemaProps root = CrdFiles.schema(plural);
    TreeSet<String> inSchema = new TreeSet<>();
    inSchema.addAll(CrdGenerator.paths(root.getProperties().get("spec"), "spec"));
    inSchema.addAll(CrdGenerator.paths(root.getProperties().get("status"), "status"));
    TreeSet<String> inModel = new TreeSet<>();
    modelPaths(spec, "spec", inModel);
    modelPaths(status, "status", inModel);
    inModel.removeIf(p -> excluded.stream().anyMatch(p::startsWith));
    assertThat(inSchema)
        .as("fields of the %s schema vs the model", plural)
        .containsExactlyElementsOf(inModel);
  }

  private static void modelPaths(Type type, String prefix, TreeSet<String> out) {
    if (type instanceof ParameterizedType pt) {
      Type[] args = pt.getActualTypeArguments();
      if (List.class.isAssignableFrom((Class<?>) pt.getRawType())) {
        modelPaths(args[0], prefix + "[]", out);
      } else if (Map.class.isAssignableFrom((Class<?>) pt.getRawType())) {
        modelPaths(args[1], prefix + "{}", out);
      }
      return;
    }
    Class<?> c = (Class<?>) type;
    if (c.isRecord() && c != IntOrString.class) {
      for (RecordComponent rc : c.getRecordComponents()) {
        String child = prefix + "." + rc.getName();
        out.add(child);
        modelPaths(rc.getGenericType(), child, out);
      }
    }
  }

  /** Loads CRDs from {@code k8s/crds/}. */
  static final class CrdFiles {
    static CustomResourceDefinition load(String plural) {
      try (var files = Files.list(CRDS)) {
        List<Path> matches =
            new ArrayList<>(
                files
                    .filter(f -> f.getFileName().toString().endsWith("-" + plural + ".yaml"))
                    .toList());
        assertThat(matches).as("CRD file for %s", plural).hasSize(1);
        return Yaml.as(Yaml.documents(matches.get(0)).get(0), CustomResourceDefinition.class);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    static JSONSchemaProps schema(String plural) {
      return load(plural).getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
    }
  }
}
