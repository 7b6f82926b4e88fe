#!/usr/bin/env bash
# make bench-controller [MODE=idle|analysing|both]: N Canaries (default 1000), each ticking every
# 10 s, handled by the controller as it ships. Builds the controller's jar first (the jar and
# target/libs the image copies), then CanaryBenchIT starts three processes: the test JVM (it only
# orchestrates), the fabric8 mock API server with a fake deployment controller (BenchApiServer),
# and the controller itself: `java -jar flagger-controller-<version>.jar` (Main, no test code) under
# the image's JVM options (the Dockerfile's ENTRYPOINT and ENV: flagger-controller/jvm.flags) and
# the pod's limits simulated from k8s/controller/050-Deployment-flagger.yaml (limits.memory ->
# -XX:MaxRAM, limits.cpu -> -XX:ActiveProcessorCount), configured through environment variables
# like its pod (leader election on), its log (JSON lines) in
# flagger-controller/target/bench/controller.log (MODE=analysing: target/bench/analysing/).
#
# MODE=idle (the default): the Canaries are on the kubernetes provider, Initialized and idle.
# MODE=analysing: the Canaries are on the istio provider (Istio CRDs registered in the mock), each
# with the builtin request-success-rate and request-duration checks against a Prometheus stand-in
# (answers /api/v1/query after 5 ms with passing values) and a rollout webhook (answered after
# 20 ms), stepWeight 1 up to maxWeight 99, so every tick changes the VirtualService's weights and
# none finishes within the window; the controller gets FLAGGER_MESH_PROVIDER=istio and
# FLAGGER_METRICS_SERVER=<the stand-in>. Once every Canary is Initialized, every Deployment gets a
# new revision; the window starts WARMUP_SECONDS (default 20) after all are Progressing.
# MODE=both: idle, then analysing (a fresh API server and controller), then BENCH-RATIO:
# analysing / idle for every figure of the two BENCH lines.
#
# Everything about the controller is measured from outside: its /metrics (ticks, tick lateness,
# API calls, throttle; the GET itself timed every SCRAPE_SECONDS, default 5), /proc/<pid> (CPU, RSS
# and peak RSS) and jcmd (heap; native memory by category when the options turn NMT on); the
# stand-ins count the Prometheus queries and webhook calls.
#
# Prints BENCH-JVM (the effective options), BENCH-INIT (time and API calls to initialize every
# Canary), BENCH-ROLLOUT (analysing: time and API calls until every Canary is Progressing), BENCH
# (the steady window: tick lateness p50/p99, CPU seconds per 1,000 ticks, cores, RSS now and peak,
# API calls per tick, the API server's CPU and RSS as the peer column, the /metrics GET's p50/p99/
# max and size, Prometheus queries and webhook calls per second, the phases at the end),
# BENCH-MEM, BENCH-RATIO (MODE=both) and the load average. Lines carry mode=idle|analysing. Not a
# timed test: it only measures.
#
#   CANARIES=1000 SECONDS_TO_RUN=120 QPS=100 BURST=250 hack/bench-controller.sh
#   MODE=both CANARIES=1000 hack/bench-controller.sh      # or: make bench-controller MODE=both
#   CONTROLLER_JVM="-XX:NativeMemoryTracking=summary" hack/bench-controller.sh   # appended last
#   LEADER_ELECTION=false hack/bench-controller.sh   # default true, as the manifest ships it
#
# The test fails (after printing what it measured) when the controller exits or stops being ready,
# e.g. when it loses the Lease, or (analysing) when the Canaries do not all reach Progressing
# within INIT_SECONDS.
set -euo pipefail
cd "$(dirname "$0")/.."
canaries=${CANARIES:-1000}
seconds=${SECONDS_TO_RUN:-120}
init_seconds=${INIT_SECONDS:-900}
qps=${QPS:-100}
burst=${BURST:-250}
leader_election=${LEADER_ELECTION:-true}
mode=${MODE:-idle}
warmup_seconds=${WARMUP_SECONDS:-20}
scrape_seconds=${SCRAPE_SECONDS:-5}
case "$mode" in idle | analysing | both) ;; *)
  echo "MODE: expected idle, analysing or both, got $mode" >&2
  exit 2
  ;;
esac
# Extra controller JVM options, after the image's and the limits' (so they win); default none.
controller_jvm=${CONTROLLER_JVM:-}
JAVA_HOME=${JAVA_HOME:-$(hack/java-home.sh)}
export JAVA_HOME
export MAVEN_OPTS=${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}
bench_dir=flagger-controller/target/bench

# The IT stops the controller itself; this catches one left behind by a test JVM that was killed.
stop_leftover() {
  stop_pid_file "$bench_dir/controller.pid"
  stop_pid_file "$bench_dir/analysing/controller.pid"
}
stop_pid_file() {
  local pid_file=$1
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
echo "mode: $mode; controller JVM overrides (CONTROLLER_JVM): ${controller_jvm:-none}"
mvn -B -q ${MVN_ARGS:-} -pl flagger-controller -am package -DskipTests -Dspotless.check.skip=true
rm -f flagger-controller/target/surefire-reports/*CanaryBenchIT-output.txt
status=0
# surefire's default execution only: run through the lifecycle, -Dtest would also make the
# module's second surefire execution (rbac-least-privilege) run the benchmark a second time
mvn -B -q ${MVN_ARGS:-} -pl flagger-controller -am -Pit test-compile surefire:test@default-test \
  -Dtest=CanaryBenchIT -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbench.canaries="$canaries" -Dbench.seconds="$seconds" -Dbench.initSeconds="$init_seconds" \
  -Dbench.qps="$qps" -Dbench.burst="$burst" -Dbench.controllerJvm="$controller_jvm" \
  -Dbench.leaderElection="$leader_election" -Dbench.mode="$mode" \
  -Dbench.warmupSeconds="$warmup_seconds" -Dbench.scrapeSeconds="$scrape_seconds" || status=$?
echo # mvn -q leaves the cursor after its colour reset codes
grep -h '^BENCH' flagger-controller/target/surefire-reports/*CanaryBenchIT-output.txt || true
echo "controller log: $bench_dir/controller.log$([ "$mode" = idle ] || echo " $bench_dir/analysing/controller.log")"
echo "peer: Flagger (Go) publishes no benchmark; field data (flagger#638/#725): ~70 canaries fine at qps 100/burst 250, <2% CPU, <50 MB"
echo "load after: $(uptime)"
exit "$status"
