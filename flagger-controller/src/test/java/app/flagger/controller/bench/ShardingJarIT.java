package app.flagger.controller.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import app.flagger.controller.kube.Shard;
import app.flagger.controller.leader.LeaderElection;
import app.flagger.controller.support.Crds;
import app.flagger.model.canary.Canary;
import app.flagger.model.canary.CanaryPhase;
import app.flagger.model.support.ZapJsonLog;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Sharding on the controller as it ships: one API server with {@code sharding.canaries} idle
 * Canaries (kubernetes provider, as the idle benchmark; 300 by default so that {@code make test}
 * stays short, {@code -Dsharding.canaries=3000} for the full run), three controller processes
 * (shards 0, 1 and 2 of 3, leader election on) and a standby for shard 1.
 *
 * <p>"Handled by a process" is seen from outside in two ways: the Canaries in its {@code /metrics}
 * ({@code flagger_canary_status}, set by its ticks only), and the API server's record of the
 * requests on each named Canary, attributed by the bearer token of each process's kubeconfig
 * ({@link CanaryCallers}). Every Canary is initialized, in exactly one leader's gauges and called
 * about by that leader only. Then shard 1's leader is killed (SIGKILL): the standby takes the Lease
 * {@code flagger-leader-election-shard-1-of-3} once it expired, and from then on shard 1's
 * Canaries, and only they, are handled by the standby; shards 0 and 2 are untouched. Prints {@code
 * SHARDING} lines.
 *
 * <p>The mock API server runs in the test's JVM (so it can attribute requests) on one event loop,
 * and stores objects in a list it scans at each request: on a 2-core machine 300 Canaries
 * initialize in 40 to 75 s, while 3,000 with three controllers blocked its event loop for up to 24
 * s at a time, long enough for the controllers to lose their Leases.
 */
class ShardingJarIT {
  static final int CANARIES = Integer.getInteger("sharding.canaries", 300);
  private static final int SHARDS = 3;
  private static final String NS = BenchApiServer.NS;
  private static final String STANDBY = "shard-1-b";
  private static final Duration LONG = Duration.ofMinutes(Math.max(8, CANARIES / 150));

  @Test
  void threeShardsHandleEachCanaryOnceAndAStandbyTakesOverAKilledShard() throws Exception {
    Path dir = JsonLogJarIT.MODULE.resolve("target/sharding-it");
    CanaryCallers callers = new CanaryCallers(new KubernetesCrudDispatcher());
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), callers, false);
    server.init();
    ExecutorService writer = Executors.newSingleThreadExecutor();
    Map<String, ControllerProcess> processes = new LinkedHashMap<>();
    try (KubernetesClient client = server.createClient()) {
      Crds.register(client);
      long seedStart = System.nanoTime();
      for (int i = 0; i < CANARIES; i++) {
        BenchApiServer.seed(client, "app-" + i);
      }
      BenchApiServer.finishRollouts(client, writer);
      System.out.printf(
          Locale.ROOT,
          "SHARDING seeded canaries=%d seconds=%.1f%n",
          CANARIES,
          (System.nanoTime() - seedStart) / 1e9);
      Map<Integer, Set<String>> owned = new HashMap<>();
      for (int i = 0; i < CANARIES; i++) {
        owned
            .computeIfAbsent(Shard.of(NS, "app-" + i, SHARDS), s -> new TreeSet<>())
            .add("app-" + i);
      }
      // counted from a watch: listing thousands of Canaries every poll would hold the mock
      // server's single event loop for seconds
      var canaries = client.resources(Canary.class).inNamespace(NS).inform();
      String url = client.getConfiguration().getMasterUrl();
      long start = System.nanoTime();
      for (String name : List.of("shard-0", "shard-1-a", "shard-2")) {
        processes.put(name, start(dir, url, name));
      }
      // the standby starts once shard-1-a holds its shard's Lease
      await()
          .ignoreExceptions()
          .atMost(LONG)
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(() -> assertThat(holder(client, 1)).startsWith("shard-1-a_"));
      processes.put(STANDBY, start(dir, url, STANDBY));

      await()
          .ignoreExceptions()
          .atMost(LONG)
          .pollInterval(Duration.ofSeconds(2))
          .untilAsserted(
              () -> {
                alive(processes);
                assertThat(initialized(canaries.getStore().list())).isEqualTo(CANARIES);
              });
      System.out.printf(
          Locale.ROOT,
          "SHARDING initialized canaries=%d seconds=%.1f%n",
          CANARIES,
          (System.nanoTime() - start) / 1e9);
      Map<String, Integer> leaders = Map.of("shard-0", 0, "shard-1-a", 1, "shard-2", 2);
      // every leader's gauges hold exactly its shard's Canaries (each has ticked once)
      await()
          .ignoreExceptions()
          .atMost(LONG)
          .pollInterval(Duration.ofSeconds(2))
          .untilAsserted(
              () -> {
                for (var l : leaders.entrySet()) {
                  assertThat(gauged(processes.get(l.getKey())))
                      .as("Canaries in %s's /metrics", l.getKey())
                      .isEqualTo(owned.get(l.getValue()));
                }
              });
      assertThat(gauged(processes.get(STANDBY))).as("the standby's gauges").isEmpty();
      Map<String, Set<String>> before = ours(callers.callers(0));
      for (var l : leaders.entrySet()) {
        Set<String> called = calledBy(before, l.getKey());
        System.out.printf(
            Locale.ROOT,
            "SHARDING shard=%d process=%s canaries=%d gauged=%d called=%d%n",
            l.getValue(),
            l.getKey(),
            owned.get(l.getValue()).size(),
            owned.get(l.getValue()).size(),
            called.size());
        assertThat(called)
            .as("Canaries %s called about", l.getKey())
            .isEqualTo(owned.get(l.getValue()));
      }
      assertThat(calledBy(before, STANDBY)).as("Canaries the standby called about").isEmpty();
      List<String> twice = twice(before);
      System.out.printf(
          Locale.ROOT,
          "SHARDING before-kill canaries=%d handledOnce=%d handledTwice=%d unhandled=%d%n",
          CANARIES,
          CANARIES - twice.size() - (CANARIES - before.size()),
          twice.size(),
          CANARIES - before.size());
      assertThat(twice).as("Canaries called about by two processes").isEmpty();

      // SIGKILL shard 1's leader: it releases nothing, the standby waits for the Lease to expire
      ControllerProcess killed = processes.get("shard-1-a");
      callers.nextPhase();
      long kill = System.nanoTime();
      ProcessHandle.of(killed.pid()).ifPresent(ProcessHandle::destroyForcibly);
      await().atMost(Duration.ofMinutes(1)).until(() -> !killed.alive());
      await()
          .ignoreExceptions()
          .atMost(LONG)
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(() -> assertThat(holder(client, 1)).startsWith(STANDBY + "_"));
      double leaseSeconds = (System.nanoTime() - kill) / 1e9;
      await()
          .ignoreExceptions()
          .atMost(LONG)
          .pollInterval(Duration.ofSeconds(2))
          .untilAsserted(
              () ->
                  assertThat(gauged(processes.get(STANDBY)))
                      .as("Canaries in the standby's /metrics")
                      .isEqualTo(owned.get(1)));
      double handledSeconds = (System.nanoTime() - kill) / 1e9;
      Map<String, Set<String>> handledAfter = new HashMap<>();
      for (String name : List.of("shard-0", "shard-2", STANDBY)) {
        for (String canary : gauged(processes.get(name))) {
          handledAfter.computeIfAbsent(canary, k -> new TreeSet<>()).add(name);
        }
      }
      Map<String, Set<String>> after = ours(callers.callers(1));
      System.out.printf(
          Locale.ROOT,
          "SHARDING failover shard=1 standby=%s canaries=%d gauged=%d called=%d"
              + " leaseAcquiredSeconds=%.1f allHandledSeconds=%.1f%n",
          STANDBY,
          owned.get(1).size(),
          gauged(processes.get(STANDBY)).size(),
          calledBy(after, STANDBY).size(),
          leaseSeconds,
          handledSeconds);
      long handledTwice = handledAfter.values().stream().filter(s -> s.size() > 1).count();
      long unhandled = CANARIES - handledAfter.size();
      System.out.printf(
          Locale.ROOT,
          "SHARDING after-failover canaries=%d handledOnce=%d handledTwice=%d unhandled=%d%n",
          CANARIES,
          handledAfter.size() - handledTwice,
          handledTwice,
          unhandled);
      assertThat(handledTwice).as("Canaries in two processes' gauges").isZero();
      assertThat(unhandled).as("Canaries in no process's gauges").isZero();
      assertThat(twice(after))
          .as("Canaries called about by two processes after the kill")
          .isEmpty();
      for (String canary : after.keySet()) {
        String expected =
            switch (Shard.of(NS, canary, SHARDS)) {
              case 0 -> "shard-0";
              case 1 -> STANDBY;
              default -> "shard-2";
            };
        assertThat(after.get(canary))
            .as("processes calling about %s", canary)
            .containsOnly(expected);
      }
      assertThat(holder(client, 0)).startsWith("shard-0_");
      assertThat(holder(client, 2)).startsWith("shard-2_");
      for (String name : List.of("shard-0", "shard-2", STANDBY)) {
        assertThat(
                ZapJsonLog.first(ZapJsonLog.everyLine(processes.get(name).log()), "Handling shard")
                    .getString("msg"))
            .as("%s logs its shard", name)
            .startsWith("Handling shard " + name.charAt(6) + " of 3: the Canaries whose FNV-1a");
        assertThat(
                processes
                    .get(name)
                    .scrape()
                    .sum(
                        "flagger_controller_shard",
                        Map.of("index", String.valueOf(name.charAt(6)), "count", "3")))
            .as("%s's flagger_controller_shard", name)
            .isEqualTo(1.0);
      }
    } finally {
      for (ControllerProcess p : processes.values()) {
        p.close();
      }
      writer.shutdownNow();
      try {
        server.destroy();
      } catch (IllegalStateException e) {
        // as MockApiServer.close: a server still busy does not hide the test's own outcome
        System.err.println("ShardingJarIT: " + e.getMessage() + ": " + e.getCause());
      }
    }
  }

  @Test
  void aShardIndexOutsideTheCountStopsTheStart() throws Exception {
    Path dir = JsonLogJarIT.MODULE.resolve("target/sharding-it/bad-index");
    Map<String, String> env = new HashMap<>(JsonLogJarIT.env(dir, "http://127.0.0.1:1"));
    env.put("FLAGGER_SHARD_INDEX", "3");
    env.put("FLAGGER_SHARD_COUNT", "3");
    try (ControllerProcess controller =
        ControllerProcess.start(
            CanaryBenchIT.jar(JsonLogJarIT.MODULE), JsonLogJarIT.shipped(), env, dir)) {
      assertThat(controller.awaitExit(Duration.ofMinutes(2)))
          .as("the exit code; its log:\n%s", controller.logTail(40))
          .hasValue(1);
      assertThat(
              ZapJsonLog.first(
                      ZapJsonLog.everyLine(controller.log()), "uncaught exception in thread main")
                  .getString("msg"))
          .endsWith(
              "IllegalArgumentException: flagger.shard-index: expected a shard index from 0 to 2"
                  + " (flagger.shard-count is 3), got 3");
    }
  }

  /**
   * A controller process for shard {@code name.charAt(6)} of 3, its token and hostname {@code
   * name}.
   */
  private static ControllerProcess start(Path dir, String url, String name) throws Exception {
    Path own = dir.resolve(name);
    Files.createDirectories(own);
    Map<String, String> env = new HashMap<>(JsonLogJarIT.env(own, url));
    // the same kubeconfig, with the process's name as its bearer token
    ControllerProcess.kubeconfig(own, url, CanaryBenchIT.LEASE_NAMESPACE, name);
    env.put("HOSTNAME", name);
    env.put("FLAGGER_SHARD_INDEX", String.valueOf(name.charAt(6)));
    env.put("FLAGGER_SHARD_COUNT", String.valueOf(SHARDS));
    return ControllerProcess.start(
        CanaryBenchIT.jar(JsonLogJarIT.MODULE), JsonLogJarIT.shipped(), env, own);
  }

  private static String holder(KubernetesClient client, int shard) {
    Lease lease =
        client
            .leases()
            .inNamespace(CanaryBenchIT.LEASE_NAMESPACE)
            .withName(new Shard(shard, SHARDS).leaseName(LeaderElection.LEASE_NAME))
            .get();
    return lease == null || lease.getSpec().getHolderIdentity() == null
        ? ""
        : lease.getSpec().getHolderIdentity();
  }

  private static long initialized(List<Canary> canaries) {
    return canaries.stream()
        .filter(c -> c.getStatus() != null && c.getStatus().phase() == CanaryPhase.INITIALIZED)
        .count();
  }

  private static void alive(Map<String, ControllerProcess> processes) {
    processes.forEach(
        (name, p) ->
            assertThat(p.alive()).as("%s exited; its log:%n%s", name, p.logTail(40)).isTrue());
  }

  /** The Canaries in the process's {@code flagger_canary_status} gauges. */
  private static Set<String> gauged(ControllerProcess p) throws Exception {
    return p.scrape().samples().stream()
        .filter(s -> s.name().equals("flagger_canary_status"))
        .filter(s -> NS.equals(s.labels().get("namespace")))
        .map(s -> s.labels().get("name"))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** Only the controller processes' calls (the test's own client sends no token). */
  private static Map<String, Set<String>> ours(Map<String, Set<String>> callers) {
    Map<String, Set<String>> out = new HashMap<>();
    callers.forEach(
        (canary, tokens) -> {
          Set<String> t = new TreeSet<>(tokens);
          t.removeIf(x -> !x.startsWith("shard-"));
          if (!t.isEmpty()) {
            out.put(canary, t);
          }
        });
    return out;
  }

  private static Set<String> calledBy(Map<String, Set<String>> callers, String process) {
    return callers.entrySet().stream()
        .filter(e -> e.getValue().contains(process))
        .map(Map.Entry::getKey)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static List<String> twice(Map<String, Set<String>> callers) {
    List<String> out = new ArrayList<>();
    callers.forEach(
        (canary, tokens) -> {
          if (tokens.size() > 1) {
            out.add(canary + " " + tokens);
          }
        });
    return out;
  }
}
