package app.flagger.controller.support;

import app.flagger.model.support.RepoRoot;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Registers k8s/crds/*.yaml in the mock so the status subresource behaves like the API server. */
public final class Crds {
  private Crds() {}

  public static void register(KubernetesClient client) {
    Path dir = RepoRoot.find().resolve("k8s/crds");
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f :
          files.filter(p -> p.getFileName().toString().startsWith("04")).sorted().toList()) {
        try (InputStream in = Files.newInputStream(f)) {
          CustomResourceDefinition crd =
              client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
          create(client, crd);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Registers the CRD in the test resource {@code path} ({@code /crds/...}) in the mock. */
  public static void registerResource(KubernetesClient client, String path) {
    try (InputStream in = Crds.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + path);
      }
      CustomResourceDefinition crd =
          client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
      create(client, crd);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Creates {@code crd}; one already there counts as created. On a loaded machine the client may
   * time out on a create the mock server did carry out and send it again, which then answers 409.
   */
  public static void create(KubernetesClient client, CustomResourceDefinition crd) {
    try {
      client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
  }
}
