package app.flagger.controller.router.appmesh;

import app.flagger.model.canary.Canary;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The App Mesh test CRDs and the Canaries of Flagger's router tests ({@code newTestCanaryAppMesh},
 * {@code newTestABTest}), written as users write them.
 */
public final class AppMeshFixtures {
  private AppMeshFixtures() {}

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  /** Registers the VirtualNode, VirtualRouter and VirtualService CRDs in the mock. */
  public static void registerCrds(KubernetesClient client) {
    try (InputStream in = AppMeshFixtures.class.getResourceAsStream("/crds/appmesh.yaml")) {
      List<HasMetadata> crds = client.load(in).items();
      for (HasMetadata crd : crds) {
        client.resource(crd).create();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A Deployment {@code name} in {@code default} selecting its pods by {@code app: <name>}. */
  public static void deployment(KubernetesClient client, String name) {
    client
        .apps()
        .deployments()
        .inNamespace("default")
        .resource(
            new DeploymentBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("default")
                .endMetadata()
                .withNewSpec()
                .withNewSelector()
                .withMatchLabels(Map.of("app", name))
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(Map.of("app", name))
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName(name)
                .withImage("ghcr.io/stefanprodan/podinfo:6.0.0")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build())
        .create();
  }

  /** The {@code spec.service} of Flagger's {@code newTestCanaryAppMesh}, key by key. */
  private static final Map<String, String> APPMESH_SERVICE =
      orderedOf(
          "port", "port: 9898",
          "meshName", "meshName: global",
          "hosts", "hosts: [\"*\"]",
          "backends", "backends: [backend.default]",
          "timeout", "timeout: 30s",
          "retries", "retries:\n  attempts: 5\n  perTryTimeout: gateway-error\n  retryOn: 5s");

  /**
   * Flagger's {@code newTestCanaryAppMesh} (its retries swap {@code perTryTimeout} and {@code
   * retryOn}: the per-try timeout falls back to 250ms and the event is {@code 5s}), on {@code
   * provider}; each top-level key of {@code serviceYaml} replaces the fixture's (an empty value
   * removes it).
   */
  static Canary appmesh(String provider, String serviceYaml) {
    Map<String, String> service = new LinkedHashMap<>(APPMESH_SERVICE);
    String key = null;
    StringBuilder block = new StringBuilder();
    for (String line : (serviceYaml.stripIndent() + "\n").split("\n")) {
      if (!line.startsWith(" ") && line.contains(":")) {
        put(service, key, block);
        key = line.substring(0, line.indexOf(':'));
        block = new StringBuilder(line);
      } else if (!line.isBlank()) {
        block.append("\n").append(line);
      }
    }
    put(service, key, block);
    String serviceText = String.join("\n", service.values()).indent(4).stripTrailing();
    return parse(
        """
        apiVersion: flagger.app/v1beta1
        kind: Canary
        metadata:
          name: appmesh
          namespace: default
          uid: 6f1c1d2e-0000-4000-8000-000000000004
          annotations:
            appmesh.flagger.app/accesslog: enabled
        spec:
          provider: %s
          targetRef:
            apiVersion: apps/v1
            kind: Deployment
            name: podinfo
          service:
        %s
          analysis:
            threshold: 10
            stepWeight: 10
            maxWeight: 50
        """
            .formatted(provider, serviceText));
  }

  private static void put(Map<String, String> service, String key, StringBuilder block) {
    if (key == null) {
      return;
    }
    if (block.toString().strip().equals(key + ":")) {
      service.remove(key);
    } else {
      service.put(key, block.toString());
    }
  }

  private static Map<String, String> orderedOf(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  static Canary appmesh(String provider) {
    return appmesh(provider, "");
  }

  /** Flagger's {@code newTestABTest}: header {@code x-user-type: test}, two iterations. */
  static Canary abtest(String provider) {
    return parse(
        """
        apiVersion: flagger.app/v1beta1
        kind: Canary
        metadata:
          name: abtest
          namespace: default
          uid: 6f1c1d2e-0000-4000-8000-000000000005
        spec:
          provider: %s
          targetRef:
            apiVersion: apps/v1
            kind: Deployment
            name: abtest
          service:
            port: 9898
            meshName: global
          analysis:
            threshold: 10
            iterations: 2
            match:
              - headers:
                  x-user-type:
                    exact: test
        """
            .formatted(provider));
  }

  /** A Canary podinfo on {@code appmesh:v1beta2} with just {@code service} and {@code analysis}. */
  static Canary podinfo(String serviceYaml, String analysisYaml) {
    return parse(
        """
        apiVersion: flagger.app/v1beta1
        kind: Canary
        metadata: {name: podinfo, namespace: default}
        spec:
          provider: appmesh:v1beta2
          targetRef: {apiVersion: apps/v1, kind: Deployment, name: podinfo}
          service:
        %s
        %s
        """
            .formatted(
                serviceYaml.stripIndent().indent(4).stripTrailing(),
                analysisYaml.isBlank()
                    ? ""
                    : "  analysis:\n" + analysisYaml.stripIndent().indent(4).stripTrailing()));
  }

  static Canary parse(String yaml) {
    return SERIALIZATION.unmarshal(yaml, Canary.class);
  }

  /** The object {@code name} of {@code context} in {@code default}, null when missing. */
  public static GenericKubernetesResource get(
      KubernetesClient client, ResourceDefinitionContext context, String name) {
    return client.genericKubernetesResources(context).inNamespace("default").withName(name).get();
  }

  /** The value at {@code path} (map keys and list indexes) under {@code r}'s spec, or null. */
  public static Object at(GenericKubernetesResource r, Object... path) {
    Object o = r.getAdditionalProperties().get("spec");
    for (Object step : path) {
      if (step instanceof Integer i && o instanceof List<?> l) {
        o = i < l.size() ? l.get(i) : null;
      } else if (o instanceof Map<?, ?> m) {
        o = m.get(step);
      } else {
        return null;
      }
    }
    return o;
  }

  /** A weighted target of v1beta2. */
  public static Map<String, Object> ref(String node, int weight) {
    return Map.of("virtualNodeRef", Map.of("name", node), "weight", weight);
  }

  /** A weighted target of v1beta1. */
  static Map<String, Object> named(String node, int weight) {
    return Map.of("virtualNodeName", node, "weight", weight);
  }
}
