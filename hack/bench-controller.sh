#!/usr/bin/env bash
# make bench-controller: N Canaries (default 1000) on the in-memory API server, each ticking every
# 10 s with the fake deployment controller; prints tick lateness p50/p99, CPU seconds per 1,000
# ticks and RSS (the BENCH lines). Not a timed test: it only measures.
set -euo pipefail
cd "$(dirname "$0")/.."
canaries=${CANARIES:-1000}
seconds=${SECONDS_TO_RUN:-120}
JAVA_HOME=${JAVA_HOME:-$(hack/java-home.sh)}
export JAVA_HOME
mvn -B -q -pl flagger-controller -am verify -Pit -Dspotless.check.skip=true \
  -Dtest=CanaryBenchIT -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbench.canaries="$canaries" -Dbench.seconds="$seconds"
grep -h BENCH flagger-controller/target/surefire-reports/*CanaryBenchIT-output.txt
