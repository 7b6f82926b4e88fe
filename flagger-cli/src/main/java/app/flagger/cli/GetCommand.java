package app.flagger.cli;

import app.flagger.model.canary.Canary;
import app.flagger.model.json.Jsons;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesListBuilder;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonGenerator;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code kubectl flagger get [NAME]}: a table of Canaries, or the objects as JSON or YAML. */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    description = "List Canaries: phase, canary weight, step, failed checks, last transition.")
final class GetCommand extends KubeCommand {
  @Parameters(arity = "0..1", paramLabel = "NAME", description = "One Canary (default: all).")
  String name;

  @Option(
      names = {"-A", "--all-namespaces"},
      description = "Canaries of every namespace.")
  boolean allNamespaces;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "json or yaml: print the Canary objects.")
  String output;

  @Override
  public Integer call() {
    if (output != null && !output.equals("json") && !output.equals("yaml")) {
      throw new ParameterException(
          spec.commandLine(), "--output: expected json or yaml, got '" + output + "'");
    }
    if (allNamespaces && name != null) {
      throw new ParameterException(
          spec.commandLine(), "NAME: a Canary cannot be named across all namespaces (-A)");
    }
    try (KubeOptions.Kube k = kube.connect()) {
      var canaries = k.client().resources(Canary.class);
      List<Canary> list;
      if (name != null) {
        list = List.of(Canaries.get(k, name));
      } else {
        list =
            (allNamespaces ? canaries.inAnyNamespace() : canaries.inNamespace(k.namespace()))
                .list().getItems().stream()
                    .sorted(
                        Comparator.comparing((Canary c) -> c.getMetadata().getNamespace())
                            .thenComparing(c -> c.getMetadata().getName()))
                    .toList();
      }
      var out = spec.commandLine().getOut();
      if (output != null) {
        out.print(
            output.equals("json") ? json(k, list, name != null) : yaml(k, list, name != null));
      } else if (list.isEmpty()) {
        spec.commandLine()
            .getErr()
            .println(
                allNamespaces
                    ? "No resources found"
                    : "No resources found in " + k.namespace() + " namespace.");
      } else {
        out.print(CanaryTable.render(list, allNamespaces, root.clock.instant()));
      }
      out.flush();
      return Cli.DONE;
    }
  }

  /** The object, or a v1 List of them, indented as kubectl prints it. */
  private static String json(KubeOptions.Kube k, List<Canary> list, boolean one) {
    JsonValue value;
    if (one) {
      value = parse(k, list.get(0));
    } else {
      JsonArrayBuilder items = Jsons.createArrayBuilder();
      list.forEach(c -> items.add(parse(k, c)));
      value =
          Jsons.createObjectBuilder()
              .add("apiVersion", "v1")
              .add("kind", "List")
              .add("items", items)
              .add("metadata", Jsons.createObjectBuilder().add("resourceVersion", ""))
              .build();
    }
    StringWriter w = new StringWriter();
    try (var writer =
        Jsons.createWriterFactory(Map.of(JsonGenerator.PRETTY_PRINTING, true)).createWriter(w)) {
      writer.write(value);
    }
    return w.toString().strip() + "\n";
  }

  private static JsonValue parse(KubeOptions.Kube k, Canary c) {
    try (var reader =
        Jsons.createReader(new StringReader(k.client().getKubernetesSerialization().asJson(c)))) {
      return reader.readValue();
    }
  }

  private static String yaml(KubeOptions.Kube k, List<Canary> list, boolean one) {
    var serialization = k.client().getKubernetesSerialization();
    if (one) {
      return serialization.asYaml(list.get(0));
    }
    return serialization.asYaml(
        new KubernetesListBuilder().withItems(List.<HasMetadata>copyOf(list)).build());
  }
}
