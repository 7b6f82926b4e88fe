package app.flagger.controller.bench;

import app.flagger.controller.support.CanaryFixture;
import app.flagger.controller.support.Crds;
import app.flagger.controller.support.StandardRun;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryAnalysis;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.canary.CanaryService;
import app.flagger.model.canary.CanarySpec;
import app.flagger.model.canary.CanaryWebhook;
import app.flagger.model.common.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The benchmark's Kubernetes side, in its own JVM so that the controller's CPU and RSS are measured
 * alone: the fabric8 mock API server in CRUD mode with the CRDs registered, N Deployments with a
 * Canary each, and a fake deployment controller that watches Deployments and marks every rollout
 * finished; Events are answered without being stored ({@link UnstoredEvents}) and the busy kinds
 * are stored apart ({@link KindShards}). Prints {@code BENCH-API-READY <url>} when seeded, then
 * every second {@code BENCH-API-INITIALIZED <n>}, the Canaries in phase Initialized, and {@code
 * BENCH-API-PHASES <phase>=<n> ...} (so the controller's process does not spend CPU on counting);
 * exits when its stdin closes (the benchmark ended or died).
 *
 * <p>Mode {@code analysing}: the Canaries are on the istio provider (the Istio CRDs registered),
 * with the builtin success-rate and duration checks and a rollout webhook against the {@link
 * BenchStandIns} started here first ({@code BENCH-API-STANDINS <url>}), stepping 1 % per 10 s
 * interval up to 99 %; every second it also prints {@code BENCH-API-STANDIN-CALLS <queries>
 * <hooks>}, the stand-ins' request counts so far. A line {@code rollout} on stdin changes every
 * target Deployment's pod template (a new revision), which starts every analysis.
 *
 * <p>{@code java -cp <test classpath> app.flagger.controller.bench.BenchApiServer <canaries>
 * [idle|analysing]}
 */
public final class BenchApiServer {
  static final String NS = "bench";
  static final String READY = "BENCH-API-READY ";
  static final String INITIALIZED = "BENCH-API-INITIALIZED ";
  static final String CALLS = "BENCH-API-CALLS ";
  static final String PHASES = "BENCH-API-PHASES ";
  static final String STANDINS = "BENCH-API-STANDINS ";
  static final String STANDIN_CALLS = "BENCH-API-STANDIN-CALLS ";
  static final String ROLLED_OUT = "BENCH-API-ROLLED-OUT ";

  private BenchApiServer() {}

  public static void main(String[] args) throws IOException {
    int canaries = Integer.parseInt(args[0]);
    boolean analysing = args.length > 1 && args[1].equals("analysing");
    Logger.getLogger("").setLevel(Level.WARNING);
    BenchStandIns standIns = analysing ? BenchStandIns.start() : null;
    if (standIns != null) {
      System.out.println(STANDINS + standIns.url());
    }
    CountingDispatcher counting = new CountingDispatcher(new UnstoredEvents(new KindShards()));
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), counting, false);
    server.init();
    KubernetesClient client = server.createClient();
    Crds.register(client);
    if (standIns != null) {
      Crds.registerResource(client, "/crds/istio-virtualservices.yaml");
      Crds.registerResource(client, "/crds/istio-destinationrules.yaml");
    }
    for (int i = 0; i < canaries; i++) {
      if (standIns == null) {
        seed(client, "app-" + i);
      } else {
        seedAnalysing(client, "app-" + i, standIns.hookUrl());
      }
    }
    ExecutorService writer = Executors.newSingleThreadExecutor();
    finishRollouts(client, writer);
    var canaryInformer = client.resources(Canary.class).inNamespace(NS).inform();
    System.out.println(READY + client.getConfiguration().getMasterUrl());
    System.out.flush();
    Thread.ofPlatform()
        .daemon()
        .start(
            () -> {
              while (true) {
                Map<String, Long> phases = new java.util.TreeMap<>();
                for (Canary x : canaryInformer.getStore().list()) {
                  CanaryPhase p = x.getStatus() == null ? null : x.getStatus().phase();
                  String v = p == null || p.value().isEmpty() ? "None" : p.value();
                  phases.merge(v, 1L, Long::sum);
                }
                System.out.println(
                    INITIALIZED + phases.getOrDefault(CanaryPhase.INITIALIZED.value(), 0L));
                StringBuilder line = new StringBuilder(PHASES);
                phases.forEach((k, v) -> line.append(k).append('=').append(v).append(' '));
                System.out.println(line.toString().trim());
                if (standIns != null) {
                  System.out.println(STANDIN_CALLS + standIns.queries() + " " + standIns.hooks());
                }
                System.out.flush();
                try {
                  Thread.sleep(1000);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
    counting.drain(); // seeding is not the controller's
    // runs until the benchmark closes our stdin (or dies); a line "calls" prints and resets the
    // request counts by verb and resource
    var in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (line.trim().equals("calls")) {
        counting.drain().forEach((k, v) -> System.out.println(CALLS + v + " " + k));
        System.out.println(CALLS + "end");
        System.out.flush();
      } else if (line.trim().equals("rollout")) {
        for (int i = 0; i < canaries; i++) {
          ControlCommandsJarIT.newRevision(client, "app-" + i, "podinfo:2");
        }
        System.out.println(ROLLED_OUT + canaries);
        System.out.flush();
      }
    }
    if (standIns != null) {
      standIns.close();
    }
    writer.shutdownNow();
    client.close();
    server.destroy();
    System.exit(0);
  }

  /** A Deployment {@code name} and a kubernetes-provider Canary on it, ticking every 10 s. */
  static void seed(KubernetesClient client, String name) {
    seed(client, name, d -> {});
  }

  /** {@link #seed(KubernetesClient, String)} with {@code edit} applied to the Deployment. */
  static void seed(
      KubernetesClient client, String name, java.util.function.Consumer<Deployment> edit) {
    seed(client, name, edit, s -> s);
  }

  /** {@link #seed(KubernetesClient, String, java.util.function.Consumer)} with {@code spec}. */
  private static void seed(
      KubernetesClient client,
      String name,
      java.util.function.Consumer<Deployment> edit,
      java.util.function.UnaryOperator<CanarySpec> spec) {
    Deployment d = CanaryFixture.deployment("podinfo:1");
    d.getMetadata().setName(name);
    d.getMetadata().setNamespace(NS);
    d.getMetadata().setLabels(Map.of("app", name));
    d.getSpec().getSelector().setMatchLabels(Map.of("app", name));
    d.getSpec().getTemplate().getMetadata().setLabels(Map.of("app", name));
    var c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
    c.setEnv(List.of());
    c.setEnvFrom(List.of());
    c.setVolumeMounts(List.of());
    d.getSpec().getTemplate().getSpec().setVolumes(List.of());
    edit.accept(d);
    client.apps().deployments().inNamespace(NS).resource(d).create();
    Canary canary = new Canary();
    canary.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
    canary.setSpec(
        new CanarySpec(
            "kubernetes",
            null,
            new LocalObjectReference("apps/v1", "Deployment", name),
            null,
            null,
            null,
            null,
            new CanaryService(
                null, 9898, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null),
            new CanaryAnalysis(
                "10s", 1, null, null, null, null, 5, null, null, null, null, null, null, null, null,
                null),
            null,
            null,
            null,
            null,
            null));
    canary.setSpec(spec.apply(canary.getSpec()));
    client.resources(Canary.class).inNamespace(NS).resource(canary).create();
  }

  /**
   * A Deployment {@code name} and an istio Canary on it: interval 10 s, stepWeight 1 up to 99
   * (about 16 minutes of analysis, so it stays Progressing through the window), the builtin request
   * success rate (at least 99 %) and request duration (at most 500 ms) checks, and a rollout
   * webhook to {@code hookUrl}.
   */
  static void seedAnalysing(KubernetesClient client, String name, String hookUrl) {
    seed(client, name, d -> {}, s -> analysing(s, hookUrl));
  }

  private static CanarySpec analysing(CanarySpec s, String hookUrl) {
    return new CanarySpec(
        "istio",
        null,
        s.targetRef(),
        null,
        null,
        null,
        null,
        s.service(),
        new CanaryAnalysis(
            "10s",
            5,
            99,
            1,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            StandardRun.builtinMetrics(),
            List.of(new CanaryWebhook("load", "rollout", hookUrl, null, "5s", null, null, null)),
            null,
            null),
        null,
        null,
        null,
        null,
        null);
  }

  /**
   * Starts the fake deployment controller: every Deployment in {@link #NS}, on add and on update,
   * gets a finished rollout's status ({@link #markReady}), written by {@code writer}.
   */
  static void finishRollouts(KubernetesClient client, ExecutorService writer) {
    finishRollouts(client, NS, writer);
  }

  /**
   * The fake deployment controller of {@link #finishRollouts} for the Deployments of {@code ns}.
   */
  static void finishRollouts(KubernetesClient client, String ns, ExecutorService writer) {
    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .inform(
            new ResourceEventHandler<>() {
              @Override
              public void onAdd(Deployment d) {
                writer.execute(() -> markReady(client, d));
              }

              @Override
              public void onUpdate(Deployment old, Deployment d) {
                writer.execute(() -> markReady(client, d));
              }

              @Override
              public void onDelete(Deployment d, boolean unknownFinalState) {}
            },
            0);
  }

  /** The fake deployment controller: a Deployment's status follows its spec at once. */
  static void markReady(KubernetesClient client, Deployment d) {
    int r = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    var s = d.getStatus();
    if (s != null
        && Objects.equals(s.getObservedGeneration(), d.getMetadata().getGeneration())
        && Objects.equals(s.getUpdatedReplicas(), r)
        && Objects.equals(s.getAvailableReplicas(), r)) {
      return;
    }
    d.setStatus(
        new DeploymentStatusBuilder()
            .withObservedGeneration(d.getMetadata().getGeneration())
            .withReplicas(r)
            .withUpdatedReplicas(r)
            .withAvailableReplicas(r)
            .withReadyReplicas(r)
            .build());
    try {
      client
          .apps()
          .deployments()
          .inNamespace(d.getMetadata().getNamespace())
          .resource(d)
          .updateStatus();
    } catch (RuntimeException e) {
      // 409 on a concurrent write: the informer delivers the newer version, handled then
    }
  }
}
