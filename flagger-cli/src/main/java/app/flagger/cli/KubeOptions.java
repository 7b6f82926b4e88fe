package app.flagger.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** kubectl's connection options, shared by every command. */
final class KubeOptions {
  @Option(
      names = {"-n", "--namespace"},
      paramLabel = "NAMESPACE",
      description = "The namespace (default: the kubeconfig context's namespace).")
  String namespace;

  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      description = "The kubeconfig file (default: $KUBECONFIG, else ~/.kube/config).")
  Path kubeconfig;

  @Option(
      names = "--context",
      paramLabel = "CONTEXT",
      description = "The kubeconfig context (default: the current context).")
  String context;

  /** A client on the chosen kubeconfig and context. */
  Kube connect() {
    Config config;
    if (kubeconfig != null) {
      if (!Files.isReadable(kubeconfig)) {
        throw new Refused("--kubeconfig: cannot read " + kubeconfig);
      }
      config = Config.fromKubeconfig(context, kubeconfig.toFile());
    } else {
      config = Config.autoConfigure(context);
    }
    if (context != null
        && (config.getCurrentContext() == null
            || !context.equals(config.getCurrentContext().getName()))) {
      throw new Refused("--context: no context " + context + " in the kubeconfig");
    }
    String ns = namespace != null ? namespace : config.getNamespace();
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    return new Kube(config, client, ns == null || ns.isBlank() ? "default" : ns);
  }

  /** A connection: the client, its configuration and the namespace to use. */
  record Kube(Config config, KubernetesClient client, String namespace) implements AutoCloseable {
    @Override
    public void close() {
      client.close();
    }
  }
}
