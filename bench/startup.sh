#!/usr/bin/env bash
# Time from `java -jar` to a 200 from /health/readiness, on a fresh embedded H2 (first start:
# migrations, key generation, demo client), RUNS times with and without the CDS archive.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
PORT=${PORT:-18383}
[ -f target/lanyard.jar ] && [ -f target/lanyard.jsa ] || ./mvnw -B -q -DskipTests package >&2
root=$(pwd)
run() {
  local work; work=$(mktemp -d)
  local start; start=$(date +%s%N)
  ( cd "$work" && MICRONAUT_SERVER_PORT=$PORT LANYARD_MANAGEMENT_PORT=$((PORT + 1000)) exec java "$@" -jar "$root/target/lanyard.jar" > "$work/log" 2>&1 ) &
  local pid=$!
  until curl -sf "http://127.0.0.1:$((PORT + 1000))/health/readiness" >/dev/null; do sleep 0.01; done
  echo $(( ($(date +%s%N) - start) / 1000000 ))
  kill $pid; wait $pid 2>/dev/null || true
  rm -rf "$work"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for mode in plain cds; do
  opts=()
  [ $mode = cds ] && opts=(-XX:SharedArchiveFile="$root/target/lanyard.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off)
  times=$(for _ in $(seq 1 "$RUNS"); do run "${opts[@]}"; done)
  echo "$mode: median $(echo "$times" | median) ms, runs: $(echo $times)"
done
