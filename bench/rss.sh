#!/usr/bin/env bash
# Resident memory of one Lanyard with the Helm chart's JVM options (values.yaml javaToolOptions:
# the image's heap settings and AOT cache) on Java 25: after start (ready), and the highest value
# sampled every 0.2 s under bench/load.sh's client-credentials load (wrk, 64 connections, RS256).
#   bench/rss.sh                       DURATION=30s
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-30s}
PORT=${PORT:-18095}
J25=${J25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
. bench/lib.sh
need_wrk
lanyard_jar

work=$(mktemp -d)
options=$(sed -n 's/^javaToolOptions: "\(.*\)"$/\1/p' k8s/helm/lanyard/values.yaml)
[ -n "$options" ] || { echo "no javaToolOptions in the chart's values.yaml" >&2; exit 1; }
bin/aot-train "$JAR" "$work/lanyard.aot" "$J25"
options="${options//\/app\/lanyard.aot/$work/lanyard.aot}"
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
YAML
export BENCH_SECRET=$secret LANYARD_CONFIG=$work/clients.yaml LANYARD_KEK=$(head -c 32 /dev/urandom | base64)
( cd "$work" && JAVA_TOOL_OPTIONS="$options" MICRONAUT_SERVER_PORT=$PORT MICRONAUT_SERVER_HOST=127.0.0.1 \
    LANYARD_ISSUER=http://127.0.0.1:$PORT LANYARD_MANAGEMENT_PORT=$((PORT + 1000)) exec "$J25" -jar "$JAR" ) \
  > "$work/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$work"' EXIT
until curl -sf "http://127.0.0.1:$((PORT + 1000))/health/readiness" >/dev/null; do
  kill -0 "$pid" 2>/dev/null || { cat "$work/server.log"; exit 1; }
  sleep 0.05
done
rss() { awk '/^VmRSS/ {print int($2 / 1024)}' "/proc/$pid/status"; }
sleep 2
echo "machine: $(nproc) cores, $("$J25" -version 2>&1 | head -1), $(date -u +%F)"
echo "JAVA_TOOL_OPTIONS: $options"
echo "RSS after start: $(rss) MiB"
cat > "$work/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = "grant_type=client_credentials"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic " .. os.getenv("AUTH")
LUA
AUTH=$(printf '%s:%s' bench-rs256 "$secret" | base64 -w0) wrk -t1 -c64 -d"$DURATION" -s "$work/post.lua" \
  "http://127.0.0.1:$PORT/token" > "$work/wrk.txt" &
load=$!
peak=0
while kill -0 "$load" 2>/dev/null; do
  now=$(rss); [ "$now" -gt "$peak" ] && peak=$now
  sleep 0.2
done
echo "RSS under load: peak $peak MiB, after it $(rss) MiB; $(grep 'Requests/sec' "$work/wrk.txt")"
