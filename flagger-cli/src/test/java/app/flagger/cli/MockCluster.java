package app.flagger.cli;

import app.flagger.model.canary.Canary;
import app.flagger.model.support.RepoRoot;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The plugin against fabric8's CRUD mock API server: Flagger's CRDs registered (so {@code status}
 * is a subresource as on a real API server), a kubeconfig whose current context points at the mock
 * as user {@code alice} in namespace {@code test}, and a fixed clock.
 */
final class MockCluster implements AutoCloseable {
  /** The tests' now: five minutes after {@link Fixtures#T0}. */
  static final Instant NOW = Instant.parse("2026-12-06T10:05:00Z");

  final KubernetesClient client;
  final Path kubeconfig;

  /** Not the common pool: with one core it has one thread, which fabric8's client needs. */
  private final ExecutorService background = Executors.newCachedThreadPool();

  MockCluster(KubernetesClient client, Path dir) {
    this.client = client;
    this.kubeconfig = dir.resolve("kubeconfig");
    registerCrds();
    writeKubeconfig(kubeconfig, client.getConfiguration().getMasterUrl());
  }

  /**
   * Writes a kubeconfig whose current context {@code mock} is user {@code alice} in namespace
   * {@code test} on {@code server}; context {@code other} is user {@code bob} in {@code other}.
   */
  static void writeKubeconfig(Path file, String server) {
    try {
      Files.writeString(
          file,
          """
          apiVersion: v1
          kind: Config
          clusters:
          - name: mock
            cluster:
              server: %s
              insecure-skip-tls-verify: true
          users:
          - name: alice
            user:
              token: not-checked
          contexts:
          - name: mock
            context:
              cluster: mock
              user: alice
              namespace: test
          - name: other
            context:
              cluster: mock
              user: bob
              namespace: other
          current-context: mock
          """
              .formatted(server));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The outcome of one run of the plugin. */
  record Result(int code, String out, String err) {}

  /** Runs {@code kubectl flagger args... --kubeconfig <the mock's>}. */
  Result run(String... args) {
    return run(kubeconfig, args);
  }

  /** Runs {@code kubectl flagger args... --kubeconfig <kubeconfig>} at {@link #NOW}. */
  static Result run(Path kubeconfig, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    if (all.isEmpty() || !all.get(0).startsWith("-")) {
      all.add("--kubeconfig=" + kubeconfig);
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Cli.run(
            all.toArray(String[]::new),
            new PrintWriter(out),
            new PrintWriter(err),
            Clock.fixed(NOW, ZoneOffset.UTC));
    return new Result(code, out.toString(), err.toString());
  }

  /** Runs the plugin writing to {@code out}, as --watch needs. */
  int run(PrintWriter out, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--kubeconfig=" + kubeconfig);
    return Cli.run(
        all.toArray(String[]::new), out, new PrintWriter(out), Clock.fixed(NOW, ZoneOffset.UTC));
  }

  /** Runs {@code run} (a plugin run that waits) on a thread of its own. */
  <T> CompletableFuture<T> async(Supplier<T> run) {
    return CompletableFuture.supplyAsync(run, background);
  }

  @Override
  public void close() {
    background.shutdownNow();
  }

  /** Creates {@code c} and then writes its status through the status subresource. */
  Canary create(Canary c) {
    var status = c.getStatus();
    Canary created =
        client
            .resources(Canary.class)
            .inNamespace(c.getMetadata().getNamespace())
            .resource(c)
            .create();
    if (status == null) {
      return created;
    }
    created.setStatus(status);
    return client.resources(Canary.class).resource(created).updateStatus();
  }

  /** Replaces the status of the stored Canary {@code name}. */
  Canary setStatus(String name, app.flagger.model.canary.CanaryStatus status) {
    Canary c = get(name);
    c.setStatus(status);
    return client.resources(Canary.class).resource(c).updateStatus();
  }

  Canary get(String name) {
    return client.resources(Canary.class).inNamespace(Fixtures.NS).withName(name).get();
  }

  private void registerCrds() {
    Path dir = RepoRoot.find().resolve("k8s/crds");
    try (InputStream in = Files.newInputStream(dir.resolve("040-Crd-canaries.yaml"))) {
      CustomResourceDefinition crd =
          client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
      try {
        client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
      } catch (KubernetesClientException e) {
        // on a loaded machine the client may resend a create the mock server carried out
        if (e.getCode() != 409) {
          throw e;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
