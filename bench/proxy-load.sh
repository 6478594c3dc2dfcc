#!/usr/bin/env bash
# Proxy load benchmark: the same small HTTP responses fetched directly from nginx, through the
# coordinator, and through HAProxy (the reference), on loopback.
#
#  - closed loop (wrk, 64 and 256 connections): throughput at saturation;
#  - open loop (wrk + bench/open-loop.lua, wrk2-style pacing): latency percentiles at fixed rates,
#    measured from each request's scheduled send time, at half the coordinator's saturation rate
#    (and a quarter of it).
#
# CPU pinning: the load generator runs on CPU 0; nginx, the coordinator and HAProxy on CPU 1. On a
# 2-core machine each proxy therefore shares one core with the backends, which is the fair
# comparison: the proxies get exactly the same resources.
#
# Usage: bench/proxy-load.sh            (about 5 minutes)
#        DURATION=30 bench/proxy-load.sh
#        PROFILE=1 bench/proxy-load.sh  (also records a JFR profile of the coordinator at c=256)
# Installs nginx, wrk and haproxy from apt if they are missing (needs root).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-15}
LOAD_CPU=0
SERVER_CPU=1
WORK=$(mktemp -d /tmp/coordinator-bench.XXXXXX)
NGINX_A=18101
NGINX_B=18102
COORDINATOR=18180
COORDINATOR_CONTROL=18190
HAPROXY=18280

log() { printf '%s\n' "$*" >&2; }

need() {
  local missing=()
  for tool in nginx wrk haproxy taskset; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
  done
  if ((${#missing[@]})); then
    log "installing ${missing[*]} from apt"
    local packages=()
    for tool in "${missing[@]}"; do
      case "$tool" in
        nginx) packages+=(nginx-light) ;;
        taskset) packages+=(util-linux) ;;
        *) packages+=("$tool") ;;
      esac
    done
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${packages[@]}" >/dev/null
  fi
}

cleanup() {
  [[ -n "${COORDINATOR_PID:-}" ]] && kill "$COORDINATOR_PID" 2>/dev/null || true
  [[ -f "$WORK/haproxy.pid" ]] && kill "$(cat "$WORK/haproxy.pid")" 2>/dev/null || true
  [[ -f "$WORK/nginx.pid" ]] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT

need
if (($(nproc) < 2)); then
  log "warning: fewer than 2 CPUs; pinning is skipped and figures are not comparable"
  LOAD_CPU=0
  SERVER_CPU=0
fi
JAR="$ROOT/coordinator-server/target/coordinator.jar"
if [[ ! -f "$JAR" ]]; then
  log "building the coordinator"
  mvn -q -B -DskipTests package
fi

cat >"$WORK/nginx.conf" <<EOF
worker_processes 1;
daemon on;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 8192; }
http {
  access_log off;
  keepalive_requests 10000000;
  keepalive_timeout 300s;
  server { listen 127.0.0.1:$NGINX_A; location / { return 200 "hello from a\n"; } }
  server { listen 127.0.0.1:$NGINX_B; location / { return 200 "hello from b\n"; } }
}
EOF
cat >"$WORK/coordinator.yaml" <<EOF
listeners:
  data: {host: 127.0.0.1, port: $COORDINATOR}
  control: {host: 127.0.0.1, port: $COORDINATOR_CONTROL}
limits: {maxConnectionsPerEndpoint: 512}
proxy: {accessLog: false}
security: {jwt: {keys: [{algorithm: HS256, secret: "$(head -c 32 /dev/urandom | base64)"}]}}
store: {type: memory}
services:
  - name: hello
    strategy: round-robin
    endpoints: [{url: "http://127.0.0.1:$NGINX_A"}, {url: "http://127.0.0.1:$NGINX_B"}]
routes:
  - {pathPrefix: /, service: hello}
EOF
cat >"$WORK/haproxy.cfg" <<EOF
global
  nbthread 1
  maxconn 4000
  pidfile $WORK/haproxy.pid
  daemon
defaults
  mode http
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  http-reuse always
frontend bench
  bind 127.0.0.1:$HAPROXY
  default_backend hello
backend hello
  balance roundrobin
  server a 127.0.0.1:$NGINX_A
  server b 127.0.0.1:$NGINX_B
EOF

log "starting nginx, the coordinator and haproxy on CPU $SERVER_CPU; load from CPU $LOAD_CPU"
taskset -c "$SERVER_CPU" nginx -c "$WORK/nginx.conf"
# On one CPU the JVM's ergonomics would pick the Serial collector; Parallel is the throughput choice
# there (G1, the default with 2 or more CPUs, needs cores to spare for its concurrent work).
JAVA_OPTS=${JAVA_OPTS:-"-Xms512m -Xmx512m -XX:+UseParallelGC"}
# shellcheck disable=SC2086
taskset -c "$SERVER_CPU" java $JAVA_OPTS -jar "$JAR" run --config "$WORK/coordinator.yaml" >"$WORK/coordinator.log" 2>&1 &
COORDINATOR_PID=$!
taskset -c "$SERVER_CPU" haproxy -f "$WORK/haproxy.cfg"
for _ in $(seq 100); do
  grep -q "ready:" "$WORK/coordinator.log" 2>/dev/null && break
  sleep 0.2
done
grep -q "ready:" "$WORK/coordinator.log" || { cat "$WORK/coordinator.log" >&2; exit 1; }

declare -A URL=(
  [direct]="http://127.0.0.1:$NGINX_A/"
  [coordinator]="http://127.0.0.1:$COORDINATOR/"
  [haproxy]="http://127.0.0.1:$HAPROXY/"
)
TARGETS=(direct coordinator haproxy)

closed_loop() { # target connections -> "rps p99"
  local out
  out=$(taskset -c "$LOAD_CPU" wrk -t1 -c"$2" -d"${DURATION}s" --latency "${URL[$1]}")
  local rps p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  printf '%s %s\n' "$rps" "$p99"
}

open_loop() { # target total-rate -> the open-loop line
  local threads=16
  local per_thread
  per_thread=$(awk -v r="$2" -v t="$threads" 'BEGIN { printf "%.2f", r / t }')
  taskset -c "$LOAD_CPU" wrk -t"$threads" -c"$threads" -d"${DURATION}s" -s "$ROOT/bench/open-loop.lua" "${URL[$1]}" -- "$per_thread" \
    | grep '^open-loop:'
}

field() { sed -E "s/.* $1=([0-9.]+).*/\1/" <<<"$2"; }

log "warming up the JIT (${WARMUP}s per proxy)"
taskset -c "$LOAD_CPU" wrk -t1 -c64 -d"${WARMUP}s" "${URL[coordinator]}" >/dev/null
taskset -c "$LOAD_CPU" wrk -t1 -c64 -d"${WARMUP}s" "${URL[haproxy]}" >/dev/null

declare -A RPS64 RPS256 P99_64 P99_256
for target in "${TARGETS[@]}"; do
  log "closed loop: $target"
  read -r RPS64[$target] P99_64[$target] < <(closed_loop "$target" 64)
  read -r RPS256[$target] P99_256[$target] < <(closed_loop "$target" 256)
done

SATURATION=$(awk -v a="${RPS64[coordinator]}" -v b="${RPS256[coordinator]}" 'BEGIN { printf "%d", (a > b ? a : b) }')
HALF=$((SATURATION / 2))
QUARTER=$((SATURATION / 4))
declare -A OPEN_HALF OPEN_QUARTER
for target in "${TARGETS[@]}"; do
  log "open loop at $HALF and $QUARTER requests/s: $target"
  OPEN_HALF[$target]=$(open_loop "$target" "$HALF")
  OPEN_QUARTER[$target]=$(open_loop "$target" "$QUARTER")
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

echo
echo "Machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(java -version 2>&1 | head -1)"
echo "Load on CPU $LOAD_CPU; nginx (1 worker) and the proxy under test on CPU $SERVER_CPU. ${DURATION}s per run."
echo "Coordinator JVM options: $JAVA_OPTS"
echo
echo "Closed loop (wrk -t1), requests/s and p99 as wrk reports it:"
printf '  %-12s %14s %10s %14s %10s\n' target "c=64 rps" "p99" "c=256 rps" "p99"
for target in "${TARGETS[@]}"; do
  printf '  %-12s %14s %10s %14s %10s\n' "$target" "${RPS64[$target]}" "${P99_64[$target]}" "${RPS256[$target]}" "${P99_256[$target]}"
done
echo "  coordinator/direct: c=64 $(ratio "${RPS64[coordinator]}" "${RPS64[direct]}"), c=256 $(ratio "${RPS256[coordinator]}" "${RPS256[direct]}")"
echo "  coordinator/haproxy: c=64 $(ratio "${RPS64[coordinator]}" "${RPS64[haproxy]}"), c=256 $(ratio "${RPS256[coordinator]}" "${RPS256[haproxy]}")"
echo
echo "Open loop (16 connections, latency from the scheduled send time, microseconds):"
for label in HALF QUARTER; do
  if [[ $label == HALF ]]; then rate=$HALF; else rate=$QUARTER; fi
  echo "  at $rate requests/s ($( [[ $label == HALF ]] && echo half || echo a quarter ) of the coordinator's saturation):"
  printf '    %-12s %10s %8s %8s %8s %8s %8s %7s\n' target achieved p50 p90 p99 p99.9 max errors
  for target in "${TARGETS[@]}"; do
    if [[ $label == HALF ]]; then line=${OPEN_HALF[$target]}; else line=${OPEN_QUARTER[$target]}; fi
    printf '    %-12s %10s %8s %8s %8s %8s %8s %7s\n' "$target" "$(field rate "$line")" "$(field p50 "$line")" \
      "$(field p90 "$line")" "$(field p99 "$line")" "$(field p999 "$line")" "$(field max "$line")" "$(field errors "$line")"
  done
  if [[ $label == HALF ]]; then direct_line=${OPEN_HALF[direct]}; coord_line=${OPEN_HALF[coordinator]}; else direct_line=${OPEN_QUARTER[direct]}; coord_line=${OPEN_QUARTER[coordinator]}; fi
  echo "    added by the coordinator: p50 $(awk -v a="$(field p50 "$coord_line")" -v b="$(field p50 "$direct_line")" 'BEGIN { print a - b }') us, p99 $(awk -v a="$(field p99 "$coord_line")" -v b="$(field p99 "$direct_line")" 'BEGIN { print a - b }') us"
done

if [[ "${PROFILE:-0}" == 1 ]]; then
  # A separate run: a recording costs throughput, so it never overlaps a measured run.
  log "profiling the coordinator with JFR at c=64"
  jcmd "$COORDINATOR_PID" JFR.start name=bench settings=profile filename="$WORK/coordinator.jfr" >/dev/null
  taskset -c "$LOAD_CPU" wrk -t1 -c64 -d"${DURATION}s" "${URL[coordinator]}" >/dev/null
  jcmd "$COORDINATOR_PID" JFR.stop name=bench >/dev/null
  echo
  echo "JFR (separate run, not in the figures above): hottest frames at c=64, share of execution samples:"
  jfr print --events jdk.ExecutionSample "$WORK/coordinator.jfr" \
    | awk '/stackTrace = \[/ { getline; sub(/^[ \t]+/, ""); sub(/line:.*/, ""); count[$0]++; total++ }
           END { for (f in count) printf "%6.2f%%  %s\n", 100 * count[f] / total, f }' \
    | sort -rn | head -25
  cp "$WORK/coordinator.jfr" "$ROOT/coordinator-server/target/bench-coordinator.jfr" 2>/dev/null || true
  echo "(recording kept in coordinator-server/target/bench-coordinator.jfr)"
fi
