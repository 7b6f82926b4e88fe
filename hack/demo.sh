#!/usr/bin/env bash
# make demo: runs the local sandbox (embedded Kubernetes API + the controller) in the foreground.
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA_HOME=${JAVA_HOME:-$(hack/java-home.sh)}
exec "$JAVA_HOME/bin/java" -XX:TieredStopAtLevel=1 -Djava.util.logging.config.file=flagger-sandbox/src/main/resources/logging.properties \
  -jar flagger-sandbox/target/flagger-sandbox-0.1.0-SNAPSHOT.jar "$@"
