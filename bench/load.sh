#!/usr/bin/env bash
# Drives POST /token (client credentials) on a real Lanyard over loopback with wrk and reports
# tokens/s, p50, p99, errors, peak RSS, database connection use and time to ready.
#   bench/load.sh                      RS256 and ES256 at 16 and 64 connections, 20 s each
#   DURATION=30s CONNS="64" ALGS=ES256 bench/load.sh
#   JAVA_OPTS="-Xmx256m" bench/load.sh   JVM options for the server under test
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-20s}
CONNS=${CONNS:-"16 64"}
ALGS=${ALGS:-"RS256 ES256"}
PORT=${PORT:-18080}
JAVA_OPTS=${JAVA_OPTS:-"-Xms64m -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=4"}

. bench/lib.sh
need_wrk
lanyard_jar

work=$(mktemp -d)
secret=$(head -c 32 /dev/urandom | base64 | tr -d '=+/\n')
cat > "$work/clients.yaml" <<YAML
clients:
  - id: bench-rs256
    grantTypes: [client_credentials]
    scopes: [bench.read]
    defaultScopes: [bench.read]
    audiences: [https://api.example.com]
    tokenSigningAlg: RS256
    secretFromEnv: BENCH_SECRET
  - id: bench-es256
    grantTypes: [client_credentials]
    scopes: [bench.read]
    defaultScopes: [bench.read]
    audiences: [https://api.example.com]
    tokenSigningAlg: ES256
    secretFromEnv: BENCH_SECRET
YAML

start=$(date +%s%N)
export BENCH_SECRET=$secret LANYARD_CONFIG=$work/clients.yaml
start_lanyard "$work" "$PORT"
ready_ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "ready (first start, fresh H2, keys generated) in ${ready_ms} ms; $(grep -o 'Signing with.*' "$work/server.log")"

cat > "$work/token.lua" <<'LUA'
wrk.method = "POST"
wrk.body = "grant_type=client_credentials"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic " .. os.getenv("AUTH")
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT %.0f %.2f %.2f %d %d %d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status, errors, summary.requests))
end
LUA

acquired() {
  { curl -sf "http://127.0.0.1:$((PORT + 1000))/prometheus" || curl -sf "http://127.0.0.1:$PORT/prometheus"; } \
    | awk '/^hikaricp_connections_acquire_seconds_count/ {print $2}'
}

# JIT warm-up before any measurement: the fast ES256 path first (many requests, so C2 compiles
# the shared HTTP/token path quickly), then each measured algorithm. Without it the C2 compiler
# thread takes a quarter of the CPU during the first RS256 minute.
warm() {
  export AUTH=$(printf '%s:%s' "$1" "$secret" | base64 -w0)
  wrk -t1 -c64 -d"$2" -s "$work/token.lua" "http://127.0.0.1:$PORT/token" > /dev/null
}
warm bench-es256 "$WARMUP"

echo
echo "| alg | connections | tokens/s | p50 ms | p99 ms | non-200 | socket errors | requests | DB connections acquired | peak RSS MB |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for alg in $ALGS; do
  client="bench-$(echo "$alg" | tr 'A-Z' 'a-z')"
  export AUTH=$(printf '%s:%s' "$client" "$secret" | base64 -w0)
  warm "$client" "$WARMUP"
  for c in $CONNS; do
    before=$(acquired)
    peak=0
    ( while kill -0 $pid 2>/dev/null; do ps -o rss= -p $pid; sleep 0.5; done ) > "$work/rss.txt" &
    sampler=$!
    line=$(wrk -t1 -c"$c" -d"$DURATION" --timeout 5s -s "$work/token.lua" "http://127.0.0.1:$PORT/token" | grep '^RESULT')
    kill $sampler 2>/dev/null || true
    wait $sampler 2>/dev/null || true
    peak=$(sort -n "$work/rss.txt" | tail -n 1)
    after=$(acquired)
    read -r _ rps p50 p99 non200 errs reqs <<< "$line"
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %.0f | %d |\n' "$alg" "$c" "$rps" "$p50" "$p99" "$non200" "$errs" "$reqs" \
      "$(echo "$after - $before" | bc)" $(( peak / 1024 ))
  done
done
echo
echo "DB connections acquired: the cache-version poll (one small query every lanyard.cache.refresh-interval, 5 s),"
echo "not token requests; the token path reads clients and keys from memory."
