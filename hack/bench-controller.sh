#!/usr/bin/env bash
# make bench-controller: N Canaries (default 1000) on the kubernetes provider, each ticking every
# 10 s. The fabric8 mock API server and the fake deployment controller run in a separate JVM
# (BenchApiServer), so the controller's CPU and RSS are its own; the controller uses the production
# client (kubeconfig-qps/burst limiter, default 100/250). Prints a BENCH-INIT line (time and API
# calls to initialize every Canary) and a BENCH line (steady state: tick lateness p50/p99, CPU
# seconds per 1,000 ticks, controller RSS, API calls per tick, the API server's CPU and RSS as the
# peer column) plus the load average. Not a timed test: it only measures.
#
#   CANARIES=1000 SECONDS_TO_RUN=120 QPS=100 BURST=250 hack/bench-controller.sh
set -euo pipefail
cd "$(dirname "$0")/.."
canaries=${CANARIES:-1000}
seconds=${SECONDS_TO_RUN:-120}
init_seconds=${INIT_SECONDS:-900}
qps=${QPS:-100}
burst=${BURST:-250}
# The controller's JVM as in its pod: the image's JDK_JAVA_OPTIONS under the manifest's limits
# (k8s/controller/050-Deployment-flagger.yaml: 512Mi); CONTROLLER_JVM overrides. With
# -XX:ActiveProcessorCount=1 (the pod's one-CPU limit: serial collector) RSS measured 541 MB
# against 387 MB with G1, the heap in use being 81 to 92 MB in both.
controller_jvm=${CONTROLLER_JVM:--XX:MaxRAM=512m -XX:InitialRAMPercentage=25 -XX:MaxRAMPercentage=75}
JAVA_HOME=${JAVA_HOME:-$(hack/java-home.sh)}
export JAVA_HOME
export MAVEN_OPTS=${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}
echo "load before: $(uptime)"
echo "controller JVM: $controller_jvm"
mvn -B -q ${MVN_ARGS:-} -pl flagger-controller -am verify -Pit -Dspotless.check.skip=true \
  -Dtest=CanaryBenchIT -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbench.canaries="$canaries" -Dbench.seconds="$seconds" -Dbench.initSeconds="$init_seconds" \
  -Dbench.qps="$qps" -Dbench.burst="$burst" -Dit.jvm="$controller_jvm"
grep -h '^BENCH' flagger-controller/target/surefire-reports/*CanaryBenchIT-output.txt
echo "peer: Flagger (Go) publishes no benchmark; field data (flagger#638/#725): ~70 canaries fine at qps 100/burst 250, <2% CPU, <50 MB"
echo "load after: $(uptime)"
