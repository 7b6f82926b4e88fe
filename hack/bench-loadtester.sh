#!/usr/bin/env bash
# Benchmarks the load tester's built-in generator against hey and wrk, all three hitting the
# same nginx on loopback with the same connections and duration, one after the other; then the
# built-in ghz against a grpc-java health server (its own JVM) at 16 and 50 connections, next to
# the real ghz when it is on PATH.
#
#   hack/bench-loadtester.sh [-c connections] [-d seconds] [-t wrk threads] [-g]
#
# -g runs the gRPC part only. Needs hey, wrk and nginx on PATH (or /usr/sbin/nginx) for the HTTP
# part and a built flagger-loadtester (mvn -pl flagger-loadtester -am package -DskipTests).
# Bounded: each tool runs for -d seconds under `timeout`; nginx and the gRPC server are stopped
# on exit.
set -euo pipefail

CONNS=16
SECS=10
WRK_THREADS=2
GRPC_ONLY=0
GRPC_CONNS="16 50"
while getopts "c:d:t:g" opt; do
  case $opt in
    c) CONNS=$OPTARG ;;
    d) SECS=$OPTARG ;;
    t) WRK_THREADS=$OPTARG ;;
    g) GRPC_ONLY=1 ;;
    *) echo "usage: $0 [-c connections] [-d seconds] [-t wrk threads] [-g]" >&2; exit 2 ;;
  esac
done

ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR="$ROOT/flagger-loadtester/target/flagger-loadtester-0.1.0-SNAPSHOT.jar"
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
# as the image starts it: no JVM warnings about Netty's native library or sun.misc.Unsafe (gRPC)
JAVA_OPTS=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow)
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
if [[ $GRPC_ONLY == 0 ]]; then
  for tool in hey wrk "$NGINX"; do
    command -v "$tool" >/dev/null || { echo "missing $tool (-g runs the gRPC part alone)" >&2; exit 1; }
  done
fi
[[ -f $JAR ]] || { echo "missing $JAR: build the module first" >&2; exit 1; }

WORK=$(mktemp -d)
NGINX_PID=""
GRPC_PID=""
stop_pid() {
  if [[ -n $1 ]] && kill -0 "$1" 2>/dev/null; then
    kill "$1"
    wait "$1" 2>/dev/null || true
  fi
}
cleanup() {
  stop_pid "$NGINX_PID"
  stop_pid "$GRPC_PID"
  rm -rf "$WORK"
}
trap cleanup EXIT
LIMIT=$((SECS + 30))

if [[ $GRPC_ONLY == 0 ]]; then

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
fi

# gRPC: our ghz (GhzBench) against grpc-java's health service in its own JVM (GrpcHealthServer),
# with -c N --connections N (one connection per worker, as "connections" above), and the real ghz
# with the same flags when it is on PATH (Debian does not package it). The server's own count of
# calls is printed as a cross-check of the client's (it also sees the calls cut off at the end).
grpc_server() { # sets GRPC_PID and GRPC_PORT
  "$JAVA" "${JAVA_OPTS[@]}" -cp "$JAR" app.flagger.loadtester.bench.GrpcHealthServer 0 > "$1" 2>&1 &
  GRPC_PID=$!
  for _ in $(seq 1 300); do
    grep -qs '^LISTENING' "$1" && break
    sleep 0.1
  done
  GRPC_PORT=$(sed -n 's/^LISTENING port=//p' "$1")
  [[ -n $GRPC_PORT ]] || { echo "the gRPC server did not start:" >&2; cat "$1" >&2; exit 1; }
}
grpc_stop() { # sets SERVED, the server's own count of calls
  stop_pid "$GRPC_PID"
  GRPC_PID=""
  SERVED=$(sed -n 's/^SERVED calls=//p' "$1")
}
ghz_ms() { # percentile $1 of ghz's "Latency distribution" in file $2, in ms
  awk -v p="$1" '$1==p && $2=="%" { v=$4; u=$5; f=(u=="ns")?0.000001:(u=="s")?1000:1; printf "%.3f", v*f }' "$2"
}
GHZ_FLAGS=(--insecure --call grpc.health.v1.Health/Check -d '{"service":""}' -z "${SECS}s")
echo
echo "gRPC: grpc.health.v1.Health/Check on a grpc-java server (own JVM), ${SECS}s each"
if command -v ghz >/dev/null; then
  HAVE_GHZ=1
else
  HAVE_GHZ=0
  echo "ghz: not installed (not on PATH, and Debian has no ghz package): ours alone, with the server's count"
fi
GRPC_ROWS=()
for c in $GRPC_CONNS; do
  if [[ $HAVE_GHZ == 1 ]]; then
    grpc_server "$WORK/grpc-server-ghz-$c.txt"
    timeout "$LIMIT" ghz "${GHZ_FLAGS[@]}" -c "$c" --connections "$c" "127.0.0.1:$GRPC_PORT" \
      > "$WORK/ghz-$c.txt"
    grpc_stop "$WORK/grpc-server-ghz-$c.txt"
    rps=$(awk '/Requests\/sec:/ {print $2}' "$WORK/ghz-$c.txt")
    calls=$(awk '/Count:/ {print $2}' "$WORK/ghz-$c.txt")
    GRPC_ROWS+=("$(printf '%-8s %-6s %12s %10s %10s %10s %12s' "$c" ghz "$rps" \
      "$(ghz_ms 50 "$WORK/ghz-$c.txt")" "$(ghz_ms 99 "$WORK/ghz-$c.txt")" "$calls" "$SERVED")")
  fi
  grpc_server "$WORK/grpc-server-ours-$c.txt"
  timeout "$LIMIT" "$JAVA" "${JAVA_OPTS[@]}" -cp "$JAR" app.flagger.loadtester.bench.GhzBench \
    "${GHZ_FLAGS[@]}" -c "$c" --connections "$c" "127.0.0.1:$GRPC_PORT" > "$WORK/ours-grpc-$c.txt"
  grpc_stop "$WORK/grpc-server-ours-$c.txt"
  line=$(grep '^RESULT' "$WORK/ours-grpc-$c.txt")
  field() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p" <<< " $line"; }
  GRPC_ROWS+=("$(printf '%-8s %-6s %12s %10s %10s %10s %12s   (errors: %s)' "$c" ours \
    "$(field rps)" "$(field p50_ms)" "$(field p99_ms)" "$(field total)" "$SERVED" "$(field errors)")")
done
printf '\n%-8s %-6s %12s %10s %10s %10s %12s\n' conns tool "req/s" "p50 ms" "p99 ms" calls "server saw"
printf '%s\n' "${GRPC_ROWS[@]}"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (other processes share them)"
