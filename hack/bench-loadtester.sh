#!/usr/bin/env bash
# Benchmarks the load tester's built-in generator against hey and wrk, all three hitting the
# same nginx on loopback with the same connections and duration, one after the other.
#
#   hack/bench-loadtester.sh [-c connections] [-d seconds] [-t wrk threads]
#
# Needs hey, wrk and nginx on PATH (or /usr/sbin/nginx) and a built flagger-loadtester
# (mvn -pl flagger-loadtester -am package -DskipTests). Bounded: each tool runs for -d seconds
# under `timeout`, nginx is stopped on exit.
set -euo pipefail

CONNS=16
SECS=10
WRK_THREADS=2
while getopts "c:d:t:" opt; do
  case $opt in
    c) CONNS=$OPTARG ;;
    d) SECS=$OPTARG ;;
    t) WRK_THREADS=$OPTARG ;;
    *) echo "usage: $0 [-c connections] [-d seconds] [-t wrk threads]" >&2; exit 2 ;;
  esac
done

ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR="$ROOT/flagger-loadtester/target/flagger-loadtester-0.1.0-SNAPSHOT.jar"
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
for tool in hey wrk "$NGINX"; do
  command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }
done
[[ -f $JAR ]] || { echo "missing $JAR: build the module first" >&2; exit 1; }

WORK=$(mktemp -d)
NGINX_PID=""
cleanup() {
  if [[ -n $NGINX_PID ]] && kill -0 "$NGINX_PID" 2>/dev/null; then
    kill "$NGINX_PID"
    wait "$NGINX_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
mkdir -p "$WORK/logs" "$WORK/tmp"
cat > "$WORK/nginx.conf" <<CONF
daemon off;
master_process off;
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK/tmp/body;
  proxy_temp_path $WORK/tmp/proxy;
  fastcgi_temp_path $WORK/tmp/fastcgi;
  uwsgi_temp_path $WORK/tmp/uwsgi;
  scgi_temp_path $WORK/tmp/scgi;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$PORT;
    location / {
      default_type text/plain;
      return 200 "podinfo says hello\n";
    }
  }
}
CONF
"$NGINX" -p "$WORK" -c "$WORK/nginx.conf" -e "$WORK/logs/error.log" &
NGINX_PID=$!
URL="http://127.0.0.1:$PORT/"
for _ in $(seq 1 50); do
  curl -sf -o /dev/null "$URL" && break
  sleep 0.1
done

LIMIT=$((SECS + 30))
echo "target $URL, $CONNS connections, ${SECS}s each; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

# hey: "Requests/sec:" and the latency distribution lines (seconds)
timeout "$LIMIT" hey -z "${SECS}s" -c "$CONNS" "$URL" > "$WORK/hey.txt"
HEY_RPS=$(awk '/Requests\/sec:/ {print $2}' "$WORK/hey.txt")
HEY_P50=$(awk '/50% in/ {printf "%.3f", $3*1000}' "$WORK/hey.txt")
HEY_P99=$(awk '/99% in/ {printf "%.3f", $3*1000}' "$WORK/hey.txt")

# wrk: "Requests/sec:" and --latency percentiles (us/ms/s units)
timeout "$LIMIT" wrk -t "$WRK_THREADS" -c "$CONNS" -d "${SECS}s" --latency "$URL" > "$WORK/wrk.txt"
to_ms() { awk -v v="$1" 'BEGIN { n=v; sub(/[a-z]+$/,"",n); u=v; sub(/^[0-9.]+/,"",u);
  f = (u=="us") ? 0.001 : (u=="ms") ? 1 : (u=="s") ? 1000 : 1; printf "%.3f", n*f }'; }
WRK_RPS=$(awk '/Requests\/sec:/ {print $2}' "$WORK/wrk.txt")
WRK_P50=$(to_ms "$(awk '$1=="50%" {print $2}' "$WORK/wrk.txt")")
WRK_P99=$(to_ms "$(awk '$1=="99%" {print $2}' "$WORK/wrk.txt")")

# ours: the LoadBench entry with hey's flags
timeout "$LIMIT" "$JAVA" -cp "$JAR" app.flagger.loadtester.bench.LoadBench \
  -z "${SECS}s" -c "$CONNS" "$URL" > "$WORK/ours.txt"
OURS_RPS=$(sed -n 's/^RESULT rps=\([0-9.]*\).*/\1/p' "$WORK/ours.txt")
OURS_P50=$(sed -n 's/.* p50_ms=\([0-9.]*\).*/\1/p' "$WORK/ours.txt")
OURS_P99=$(sed -n 's/.* p99_ms=\([0-9.]*\).*/\1/p' "$WORK/ours.txt")
OURS_ERR=$(sed -n 's/.* errors=\([0-9]*\).*/\1/p' "$WORK/ours.txt")

printf '\n%-8s %12s %10s %10s\n' tool "req/s" "p50 ms" "p99 ms"
printf '%-8s %12s %10s %10s\n' hey "$HEY_RPS" "$HEY_P50" "$HEY_P99"
printf '%-8s %12s %10s %10s\n' wrk "$WRK_RPS" "$WRK_P50" "$WRK_P99"
printf '%-8s %12s %10s %10s   (errors: %s)\n' ours "$OURS_RPS" "$OURS_P50" "$OURS_P99" "$OURS_ERR"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (other processes share them)"
awk -v o="$OURS_RPS" -v h="$HEY_RPS" -v w="$WRK_RPS" \
  'BEGIN { printf "\nours/hey = %.2f (target >= 1.5)\nours/wrk = %.2f (target >= 0.7)\n", o/h, o/w }'
awk -v o50="$OURS_P50" -v w50="$WRK_P50" -v o99="$OURS_P99" -v w99="$WRK_P99" \
  'BEGIN { printf "p50 ours/wrk = %.2f, p99 ours/wrk = %.2f (target: within 10%%, i.e. <= 1.10)\n", o50/w50, o99/w99 }'
