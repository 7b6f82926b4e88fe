package app.flagger.model.validation;

import static org.assertj.core.api.Assertions.assertThat;

import app.flagger.model.alert.AlertProvider;
import app.flagger.model.canary.Canary;
import app.flagger.model.crd.CrdSchemas;
import app.flagger.model.metric.MetricTemplate;
import app.flagger.model.support.RepoRoot;
import app.flagger.model.support.SchemaValidator;
import app.flagger.model.support.Trees;
import app.flagger.model.support.Yaml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Every valid document (the corpus and {@code k8s/examples/}) parses into the model and back
 * without loss, passes our validators and the CRD schemas; every invalid document is rejected with
 * the messages its {@code # expect:} lines name.
 */
class CorpusTest {
  private static final Path CORPUS =
      RepoRoot.find().resolve("flagger-model/src/test/resources/corpus");
  private static final Path EXAMPLES = RepoRoot.find().resolve("k8s/examples");

  /** One document of a file. */
  record Doc(String file, int index, JsonNode tree) {
    String kind() {
      return tree.path("kind").asString();
    }

    @Override
    public String toString() {
      return file + "#" + index + " (" + kind() + ")";
    }
  }

  static Stream<Doc> validDocuments() throws IOException {
    List<Doc> docs = new ArrayList<>();
    for (String kind : List.of("canary", "metrictemplate", "alertprovider")) {
      docs.addAll(docs(CORPUS.resolve(kind).resolve("valid")));
    }
    if (Files.isDirectory(EXAMPLES)) {
      docs.addAll(
          docs(EXAMPLES).stream()
              .filter(d -> d.tree().path("apiVersion").asString().startsWith("flagger.app/"))
              .toList());
    }
    return docs.stream();
  }

  static Stream<Doc> invalidDocuments() throws IOException {
    List<Doc> docs = new ArrayList<>();
    for (String kind : List.of("canary", "metrictemplate", "alertprovider")) {
      docs.addAll(docs(CORPUS.resolve(kind).resolve("invalid")));
    }
    return docs.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validDocuments")
  void roundTripsWithoutLoss(Doc doc) {
    Object typed = Yaml.as(doc.tree(), type(doc.kind()));
    JsonNode back = Yaml.tree(typed);
    assertThat(Trees.differences(doc.tree(), back)).as("fields lost or changed").isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validDocuments")
  void passesValidatorAndCrdSchema(Doc doc) {
    assertThat(validate(doc)).as("validator").isEmpty();
    assertThat(SchemaValidator.validate(doc.tree(), CrdSchemas.forKind(doc.kind())))
        .as("CRD schema")
        .isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidDocuments")
  void isRejectedWithTheExpectedMessages(Doc doc) throws IOException {
    List<String> expected =
        Files.readAllLines(CORPUS.resolve(doc.file())).stream()
            .filter(l -> l.startsWith("# expect: "))
            .map(l -> l.substring("# expect: ".length()))
            .toList();
    assertThat(expected).as("a corpus file names what it expects").isNotEmpty();
    List<String> errors = validate(doc).stream().map(ValidationError::toString).toList();
    for (String e : expected) {
      assertThat(errors).as("errors of %s", doc).anySatisfy(err -> assertThat(err).startsWith(e));
    }
  }

  private static List<ValidationError> validate(Doc doc) {
    return switch (doc.kind()) {
      case "Canary" -> new CanaryValidator().validate(Yaml.as(doc.tree(), Canary.class));
      case "MetricTemplate" ->
          new MetricTemplateValidator().validate(Yaml.as(doc.tree(), MetricTemplate.class));
      case "AlertProvider" ->
          new AlertProviderValidator().validate(Yaml.as(doc.tree(), AlertProvider.class));
      default -> throw new IllegalArgumentException("unexpected kind " + doc.kind());
    };
  }

  private static Class<?> type(String kind) {
    return switch (kind) {
      case "Canary" -> Canary.class;
      case "MetricTemplate" -> MetricTemplate.class;
      case "AlertProvider" -> AlertProvider.class;
      default -> throw new IllegalArgumentException("unexpected kind " + kind);
    };
  }

  private static List<Doc> docs(Path dir) throws IOException {
    List<Doc> out = new ArrayList<>();
    try (var files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        List<JsonNode> trees = Yaml.documents(f);
        for (int i = 0; i < trees.size(); i++) {
          out.add(
              new Doc(
                  CORPUS.relativize(f).toString().startsWith("..")
                      ? f.getFileName().toString()
                      : CORPUS.relativize(f).toString(),
                  i,
                  trees.get(i)));
        }
      }
    }
    return out;
  }
}
