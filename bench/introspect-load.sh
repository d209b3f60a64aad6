#!/usr/bin/env bash
# POST /introspect of an active access token against POST /token (client credentials, RS256), on one
# real Lanyard over loopback with wrk, alternating the two in each round so that both see the same
# machine. Introspection reads memory only (keys, the revocation list, clients, user status), so it
# should run well above signing speed.
#   bench/introspect-load.sh                       3 rounds of 20 s each at 64 connections
#   ROUNDS=5 DURATION=30s CONNS=16 bench/introspect-load.sh
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-20s}
CONNS=${CONNS:-64}
ROUNDS=${ROUNDS:-3}
PORT=${PORT:-18090}
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
YAML
export BENCH_SECRET=$secret LANYARD_CONFIG=$work/clients.yaml
start_lanyard "$work" "$PORT"

export AUTH=$(printf '%s:%s' bench-rs256 "$secret" | base64 -w0)
token=$(curl -sf -u "bench-rs256:$secret" -d grant_type=client_credentials "http://127.0.0.1:$PORT/token" \
  | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
active=$(curl -sf -u "bench-rs256:$secret" -d "token=$token" "http://127.0.0.1:$PORT/introspect")
case "$active" in *'"active":true'*) ;; *) echo "the token does not introspect as active: $active" >&2; exit 1 ;; esac

# one script for both: BODY chooses the request; done() prints a RESULT line
cat > "$work/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = os.getenv("BODY")
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic " .. os.getenv("AUTH")
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.0f %.2f %.2f %d %d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status, summary.requests))
end
LUA

run() { # $1 path, $2 body, $3 duration
  BODY=$2 wrk -t1 -c"$CONNS" -d"$3" --timeout 5s -s "$work/post.lua" "http://127.0.0.1:$PORT$1" | grep '^RESULT'
}

# JIT warm-up of both paths before anything is measured
run /token grant_type=client_credentials "$WARMUP" > /dev/null
run /introspect "token=$token" "$WARMUP" > /dev/null

echo "| round | request | req/s | p50 ms | p99 ms | non-200 | requests |"
echo "|---|---|---|---|---|---|---|"
for round in $(seq 1 "$ROUNDS"); do
  for kind in token introspect; do
    if [ "$kind" = token ]; then
      line=$(run /token grant_type=client_credentials "$DURATION")
    else
      line=$(run /introspect "token=$token" "$DURATION")
    fi
    read -r _ rps p50 p99 non200 reqs <<< "$line"
    printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$round" "$kind" "$rps" "$p50" "$p99" "$non200" "$reqs"
  done
done
echo
echo "After the run the token still introspects as: $(curl -sf -u "bench-rs256:$secret" -d "token=$token" \
  "http://127.0.0.1:$PORT/introspect" | cut -c1-40)…"
