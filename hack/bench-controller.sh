#!/usr/bin/env bash
# make bench-controller: N Canaries (default 1000) on the kubernetes provider, each ticking every
# 10 s, handled by the controller as it ships. Builds the controller's jar first (the jar and
# target/libs the image copies), then CanaryBenchIT starts three processes: the test JVM (it only
# orchestrates), the fabric8 mock API server with a fake deployment controller (BenchApiServer),
# and the controller itself: `java -jar flagger-controller-<version>.jar` (Main, no test code) under
# the image's JVM options (the Dockerfile's ENTRYPOINT and ENV: flagger-controller/jvm.flags) and
# the pod's limits simulated from k8s/controller/050-Deployment-flagger.yaml (limits.memory ->
# -XX:MaxRAM, limits.cpu -> -XX:ActiveProcessorCount), configured through environment variables
# like its pod (leader election on), its log (JSON lines) in
# flagger-controller/target/bench/controller.log.
# Everything about the controller is measured from outside: its /metrics (ticks, tick lateness,
# API calls, throttle), /proc/<pid> (CPU, RSS and peak RSS) and jcmd (heap; native memory by
# category when the options turn NMT on).
#
# Prints BENCH-JVM (the effective options), BENCH-INIT (time and API calls to initialize every
# Canary), BENCH (the steady window: tick lateness p50/p99, CPU seconds per 1,000 ticks, RSS now and
# peak, API calls per tick, the API server's CPU and RSS as the peer column), BENCH-MEM, and the
# load average. Not a timed test: it only measures.
#
#   CANARIES=1000 SECONDS_TO_RUN=120 QPS=100 BURST=250 hack/bench-controller.sh
#   CONTROLLER_JVM="-XX:NativeMemoryTracking=summary" hack/bench-controller.sh   # appended last
#   LEADER_ELECTION=false hack/bench-controller.sh   # default true, as the manifest ships it
#
# The test fails (after printing what it measured) when the controller exits or stops being ready,
# e.g. when it loses the Lease.
set -euo pipefail
cd "$(dirname "$0")/.."
canaries=${CANARIES:-1000}
seconds=${SECONDS_TO_RUN:-120}
init_seconds=${INIT_SECONDS:-900}
qps=${QPS:-100}
burst=${BURST:-250}
leader_election=${LEADER_ELECTION:-true}
# Extra controller JVM options, after the image's and the limits' (so they win); default none.
controller_jvm=${CONTROLLER_JVM:-}
JAVA_HOME=${JAVA_HOME:-$(hack/java-home.sh)}
export JAVA_HOME
export MAVEN_OPTS=${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}
bench_dir=flagger-controller/target/bench
pid_file=$bench_dir/controller.pid

# The IT stops the controller itself; this catches one left behind by a test JVM that was killed.
stop_leftover() {
  [ -f "$pid_file" ] || return 0
  local pid
  pid=$(cat "$pid_file")
  if [ -n "$pid" ] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'flagger-controller-.*\.jar'; then
    echo "stopping the controller left behind (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pid_file"
}
stop_leftover
trap stop_leftover EXIT

echo "load before: $(uptime)"
echo "controller JVM overrides (CONTROLLER_JVM): ${controller_jvm:-none}"
mvn -B -q ${MVN_ARGS:-} -pl flagger-controller -am package -DskipTests -Dspotless.check.skip=true
rm -f flagger-controller/target/surefire-reports/*CanaryBenchIT-output.txt
status=0
# -DskipITs: failsafe's *JarIT tests are make test's, not the benchmark's
mvn -B -q ${MVN_ARGS:-} -pl flagger-controller -am verify -Pit -Dspotless.check.skip=true \
  -Dtest=CanaryBenchIT -Dsurefire.failIfNoSpecifiedTests=false -DskipITs \
  -Dbench.canaries="$canaries" -Dbench.seconds="$seconds" -Dbench.initSeconds="$init_seconds" \
  -Dbench.qps="$qps" -Dbench.burst="$burst" -Dbench.controllerJvm="$controller_jvm" \
  -Dbench.leaderElection="$leader_election" || status=$?
echo # mvn -q leaves the cursor after its colour reset codes
grep -h '^BENCH' flagger-controller/target/surefire-reports/*CanaryBenchIT-output.txt || true
echo "controller log: $bench_dir/controller.log"
echo "peer: Flagger (Go) publishes no benchmark; field data (flagger#638/#725): ~70 canaries fine at qps 100/burst 250, <2% CPU, <50 MB"
echo "load after: $(uptime)"
exit "$status"
