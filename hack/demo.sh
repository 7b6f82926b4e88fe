#!/usr/bin/env bash
# make demo: runs the local sandbox in the foreground (the embedded Kubernetes API, the sandbox
# kubelet with pods as real processes, the mesh, Prometheus, the load tester and the controller)
# and tells the story of the podinfo example: a healthy release promoted, a faulty one rolled back.
# It exits by itself at the end (0 when the story went as expected); --stay keeps it up until
# Ctrl-C. Ctrl-C stops every process it started. --provider=istio|gatewayapi:v1|gatewayapi:v1beta1|linkerd|nginx
# (make demo PROVIDER=...) picks the Canary example and the routing the story runs on (istio by
# default). --judge (make demo JUDGE=1) tells the judge's story instead: a same-age baseline, a
# release judged equal to it promoted, one 40 ms slower rolled back by the statistical judge (Istio
# and Gateway API only). Docs: docs/usage/sandbox.md, docs/usage/judge.md.
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA_HOME=${JAVA_HOME:-$(hack/java-home.sh)}

# Prometheus: Debian's package. Install it when missing and we may; otherwise say how.
if [ -z "${PROMETHEUS_BIN:-}" ] && ! [ -x /usr/bin/prometheus ]; then
  if command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" = 0 ] || sudo -n true 2>/dev/null; }; then
    SUDO=$([ "$(id -u)" = 0 ] && echo "" || echo "sudo -n")
    echo "demo: installing Prometheus (apt-get install --no-install-recommends prometheus)"
    $SUDO apt-get install -y -q --no-install-recommends prometheus >/dev/null ||
      { $SUDO apt-get update -q >/dev/null && $SUDO apt-get install -y -q --no-install-recommends prometheus >/dev/null; } ||
      echo "demo: could not install Prometheus"
  else
    echo "demo: Prometheus is missing; install it with: sudo apt-get install --no-install-recommends prometheus"
  fi
fi

exec "$JAVA_HOME/bin/java" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx256m \
  -Djava.util.logging.config.file=flagger-sandbox/src/main/resources/logging.properties \
  -jar flagger-sandbox/target/flagger-sandbox-0.1.0-SNAPSHOT.jar "$@"
