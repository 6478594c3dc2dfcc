#!/usr/bin/env bash
# Chaos run: one endpoint of three breaks behind the coordinator under open-loop GETs, in each of
# four ways (killed, hanging, cutting answers after the head, cutting them mid-body), then heals;
# round robin and adaptive-intelligent, with active health checks on (and off with HEALTH=on,off).
# Prints the markdown table recorded in docs/RESILIENCE.md. Everything runs on 127.0.0.1, in one
# JVM: the coordinator, the endpoints and the load.
#
# Usage: bench/chaos.sh                     (about 13 minutes: 8 combinations x 3 runs of about 33 s)
#        RATE=300 FAULT_SECONDS=10 RUNS=3 HEALTH=on,off bench/chaos.sh
#        bench/chaos.sh --faults hang --strategies round-robin --runs 1   (options of `coordinator chaos`
#        win over the environment's)
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=coordinator-server/target/coordinator.jar
if [[ ! -f "$JAR" ]]; then
  mvn -B -q -DskipTests package
fi
LOG=$(mktemp /tmp/coordinator-chaos.XXXXXX.log)
echo "chaos: the coordinator's log goes to $LOG" >&2
# The environment's settings, unless the command line gives the same option (picocli takes each once).
args=()
given() { local option=$1; shift; for arg in "$@"; do [[ "$arg" == "$option" || "$arg" == "$option="* ]] && return 0; done; return 1; }
given --runs "$@" || args+=(--runs "${RUNS:-3}")
[[ -z "${RATE:-}" ]] || given --rate "$@" || args+=(--rate "$RATE")
[[ -z "${FAULT_SECONDS:-}" ]] || given --fault-seconds "$@" || args+=(--fault-seconds "$FAULT_SECONDS")
[[ -z "${HEALTH:-}" ]] || given --health-checks "$@" || args+=(--health-checks "$HEALTH")
# The table is the only output on stdout that starts with '|'; the rest is the coordinator's log.
java -jar "$JAR" chaos "${args[@]}" "$@" 2>&1 | tee "$LOG" | grep --line-buffered -E '^(\||chaos:)'
