package app.flagger.model.crd;

import app.flagger.model.FlaggerGroup;
import app.flagger.model.alert.AlertProviderSpec;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.canary.CanarySpec;
import app.flagger.model.canary.CanaryStatus;
import app.flagger.model.common.ConditionsStatus;
import app.flagger.model.metric.MetricTemplateSpec;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsOrArray;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsOrBool;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the three CRDs from the model's records: every record component becomes a schema property,
 * and {@link CrdRules} adds what types cannot say (required fields, enums, patterns, the analysis
 * oneOf). {@code make manifests} writes the result to {@code k8s/crds/}.
 */
public final class CrdGenerator {

  /** A generated CRD with the file it lives in. */
  public record GeneratedCrd(String fileName, CustomResourceDefinition crd) {}

  public static List<GeneratedCrd> all() {
    return List.of(
        new GeneratedCrd(
            "040-Crd-canaries.yaml",
            crd(
                "Canary",
                "canaries",
                "canary",
                CanarySpec.class,
                CanaryStatus.class,
                CrdRules.canaryColumns())),
        new GeneratedCrd(
            "041-Crd-metrictemplates.yaml",
            crd(
                "MetricTemplate",
                "metrictemplates",
                "metrictemplate",
                MetricTemplateSpec.class,
                ConditionsStatus.class,
                List.of(column("Provider", "string", ".spec.provider.type", 0)))),
        new GeneratedCrd(
            "042-Crd-alertproviders.yaml",
            crd(
                "AlertProvider",
                "alertproviders",
                "alertprovider",
                AlertProviderSpec.class,
                ConditionsStatus.class,
                List.of(column("Type", "string", ".spec.type", 0)))));
  }

  static CustomResourceColumnDefinition column(
      String name, String type, String path, int priority) {
    CustomResourceColumnDefinition c = new CustomResourceColumnDefinition();
    c.setName(name);
    c.setType(type);
    c.setJsonPath(path);
    if (priority > 0) {
      c.setPriority(priority);
    }
    return c;
  }

  private static CustomResourceDefinition crd(
      String kind,
      String plural,
      String singular,
      Class<?> spec,
      Class<?> status,
      List<CustomResourceColumnDefinition> columns) {
    Map<String, JSONSchemaProps> root = new LinkedHashMap<>();
    root.put("apiVersion", new JSONSchemaPropsBuilder().withType("string").build());
    root.put("kind", new JSONSchemaPropsBuilder().withType("string").build());
    root.put("metadata", new JSONSchemaPropsBuilder().withType("object").build());
    root.put("spec", schema(kind, "spec", spec));
    root.put("status", schema(kind, "status", status));
    JSONSchemaProps openApi =
        new JSONSchemaPropsBuilder()
            .withType("object")
            .withRequired(CrdRules.rootRequired(kind))
            .withProperties(root)
            .build();
    return new CustomResourceDefinitionBuilder()
        .withNewMetadata()
        .withName(plural + "." + FlaggerGroup.GROUP)
        .withAnnotations(Map.of("helm.sh/resource-policy", "keep"))
        .endMetadata()
        .withNewSpec()
        .withGroup(FlaggerGroup.GROUP)
        .withScope("Namespaced")
        .withNewNames()
        .withKind(kind)
        .withListKind(kind + "List")
        .withPlural(plural)
        .withSingular(singular)
        .withCategories("all")
        .endNames()
        .addNewVersion()
        .withName(FlaggerGroup.VERSION)
        .withServed(true)
        .withStorage(true)
        .withNewSubresources()
        .withNewStatus()
        .endStatus()
        .endSubresources()
        .withAdditionalPrinterColumns(columns)
        .withNewSchema()
        .withOpenAPIV3Schema(openApi)
        .endSchema()
        .endVersion()
        .endSpec()
        .build();
  }

  /** The schema of a Java type found at {@code path} of {@code kind}. */
  static JSONSchemaProps schema(String kind, String path, Type type) {
    JSONSchemaPropsBuilder b = new JSONSchemaPropsBuilder();
    if (type instanceof ParameterizedType pt) {
      Class<?> raw = (Class<?>) pt.getRawType();
      Type[] args = pt.getActualTypeArguments();
      if (List.class.isAssignableFrom(raw)) {
        b.withType("array")
            .withItems(new JSONSchemaPropsOrArray(List.of(), schema(kind, path + "[]", args[0])));
      } else if (Map.class.isAssignableFrom(raw)) {
        b.withType("object")
            .withAdditionalProperties(
                new JSONSchemaPropsOrBool(null, schema(kind, path + "{}", args[1])));
      } else {
        throw new IllegalArgumentException("unsupported generic type at " + path + ": " + type);
      }
    } else {
      simpleType(b, kind, path, (Class<?>) type);
    }
    CrdRules.apply(kind, path, b);
    return b.build();
  }

  private static void simpleType(JSONSchemaPropsBuilder b, String kind, String path, Class<?> c) {
    if (c == String.class) {
      b.withType("string");
    } else if (c == Integer.class || c == int.class) {
      b.withType("integer");
    } else if (c == Double.class || c == double.class) {
      b.withType("number");
    } else if (c == Boolean.class || c == boolean.class) {
      b.withType("boolean");
    } else if (c == IntOrString.class) {
      b.withXKubernetesIntOrString(true);
    } else if (c == CanaryPhase.class) {
      b.withType("string")
          .withEnum(strings(Arrays.stream(CanaryPhase.values()).map(CanaryPhase::value).toList()));
    } else if (c.isRecord()) {
      Map<String, JSONSchemaProps> props = new LinkedHashMap<>();
      for (RecordComponent rc : c.getRecordComponents()) {
        String child = path + "." + rc.getName();
        if (!CrdRules.excluded(kind, child)) {
          props.put(rc.getName(), schema(kind, child, rc.getGenericType()));
        }
      }
      b.withType("object").withProperties(props);
    } else {
      throw new IllegalArgumentException("unsupported type at " + path + ": " + c);
    }
  }

  /** A JSON string node, for schema defaults. */
  static tools.jackson.databind.JsonNode string(String value) {
    return tools.jackson.databind.node.JsonNodeFactory.instance.stringNode(value);
  }

  /** JSON string nodes for a schema enum. */
  static List<tools.jackson.databind.JsonNode> strings(List<String> values) {
    var f = tools.jackson.databind.node.JsonNodeFactory.instance;
    return values.stream().map(v -> (tools.jackson.databind.JsonNode) f.stringNode(v)).toList();
  }

  /** Paths a generated schema holds, for the model/schema agreement test. */
  static List<String> paths(JSONSchemaProps s, String prefix) {
    List<String> out = new ArrayList<>();
    if (s.getProperties() != null) {
      s.getProperties()
          .forEach(
              (k, v) -> {
                out.add(prefix + "." + k);
                out.addAll(paths(v, prefix + "." + k));
              });
    }
    if (s.getItems() != null && s.getItems().getSchema() != null) {
      out.addAll(paths(s.getItems().getSchema(), prefix + "[]"));
    }
    if (s.getAdditionalProperties() != null && s.getAdditionalProperties().getSchema() != null) {
      out.addAll(paths(s.getAdditionalProperties().getSchema(), prefix + "{}"));
    }
    return out;
  }
}
