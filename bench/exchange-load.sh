#!/usr/bin/env bash
# Token exchange (RFC 8693: verify the subject and actor JWTs, sign one) against client credentials
# (sign one) on the same server, in the same run, with wrk over loopback. RS256 throughout.
#   bench/exchange-load.sh                   64 connections, 20 s each, alternating, twice
#   DURATION=30s CONNS=16 ROUNDS=3 bench/exchange-load.sh
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-20s}
CONNS=${CONNS:-64}
ROUNDS=${ROUNDS:-2}
PORT=${PORT:-18082}
JAVA_OPTS=${JAVA_OPTS:-"-Xms64m -Xmx256m -XX:+UseSerialGC"}

. bench/lib.sh
need_wrk
lanyard_jar

work=$(mktemp -d)
secret=$(head -c 32 /dev/urandom | base64 | tr -d '=+/\n')
cat > "$work/lanyard.yaml" <<YAML
clients:
  - id: frontend            # its tokens are for the share service: the subject tokens
    grantTypes: [client_credentials]
    audiences: [share]
    tokenSigningAlg: RS256
    secretFromEnv: BENCH_SECRET
  - id: share               # exchanges them, with its own token as actor, for the todo service
    grantTypes: [client_credentials, "urn:ietf:params:oauth:grant-type:token-exchange"]
    scopes: [todo.read]
    audiences: [share]
    tokenSigningAlg: RS256
    secretFromEnv: BENCH_SECRET
tokenExchange:
  - client: share
    audiences: [todo]
    impersonation: false
YAML

export BENCH_SECRET=$secret LANYARD_CONFIG=$work/lanyard.yaml
start_lanyard "$work" "$PORT"

token() {
  curl -sf -u "$1:$secret" -d grant_type=client_credentials "http://127.0.0.1:$PORT/token" | sed 's/.*"access_token":"\([^"]*\)".*/\1/'
}
subject=$(token frontend)
actor=$(token share)

cat > "$work/cc.lua" <<'LUA'
wrk.method = "POST"
wrk.body = "grant_type=client_credentials"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic " .. os.getenv("AUTH")
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.0f %.2f %.2f %d %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA
sed 's/^wrk.body = .*/wrk.body = os.getenv("BODY")/' "$work/cc.lua" > "$work/exchange.lua"
export AUTH=$(printf '%s:%s' share "$secret" | base64 -w0)
export BODY="grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange&subject_token=$subject&subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aaccess_token&actor_token=$actor&actor_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aaccess_token&audience=todo"
curl -sf -u "share:$secret" -d "$BODY" "http://127.0.0.1:$PORT/token" > /dev/null || { echo "exchange refused"; \
  curl -s -u "share:$secret" -d "$BODY" "http://127.0.0.1:$PORT/token"; exit 1; }

wrk -t1 -c"$CONNS" -d"$WARMUP" -s "$work/exchange.lua" "http://127.0.0.1:$PORT/token" > /dev/null
wrk -t1 -c"$CONNS" -d"$WARMUP" -s "$work/cc.lua" "http://127.0.0.1:$PORT/token" > /dev/null
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), $(date -u +%F); $(grep -o 'Signing with.*' "$work/server.log")"
echo "| round | grant | connections | tokens/s | p50 ms | p99 ms | non-200 | socket errors |"
echo "|---|---|---|---|---|---|---|---|"
for round in $(seq 1 "$ROUNDS"); do
  for grant in client_credentials token_exchange; do
    script=$work/cc.lua
    [ "$grant" = token_exchange ] && script=$work/exchange.lua
    read -r _ rps p50 p99 non200 errs <<< "$(wrk -t1 -c"$CONNS" -d"$DURATION" --timeout 5s -s "$script" \
      "http://127.0.0.1:$PORT/token" | grep '^RESULT')"
    echo "| $round | $grant | $CONNS | $rps | $p50 | $p99 | $non200 | $errs |"
  done
done
