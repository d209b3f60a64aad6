#!/usr/bin/env bash
# POST /tokenreview of a real login's RS256 id_token, as kube-apiserver's webhook sends it, against
# POST /token (client credentials, RS256), on one real Lanyard (embedded H2) over loopback with wrk,
# alternating the two in each round so that both see the same machine. A review reads memory only
# (keys, the revocation list, which users are disabled), so it should run well above issuance.
#   bench/tokenreview-load.sh                       3 rounds of 20 s each at 64 connections
#   ROUNDS=5 DURATION=30s CONNS=16 bench/tokenreview-load.sh
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-20s}
CONNS=${CONNS:-64}
ROUNDS=${ROUNDS:-3}
PORT=${PORT:-18092}
JAVA_OPTS=${JAVA_OPTS:-"-Xms64m -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=4"}

. bench/lib.sh
need_wrk
lanyard_jar

work=$(mktemp -d)
secret=$(head -c 32 /dev/urandom | base64 | tr -d '=+/\n')
cluster=$(head -c 32 /dev/urandom | base64 | tr -d '=+/\n')
password="bench-$(head -c 12 /dev/urandom | base64 | tr -d '=+/')"
cat > "$work/clients.yaml" <<YAML
clients:
  - id: bench-rs256
    grantTypes: [client_credentials]
    scopes: [bench.read]
    defaultScopes: [bench.read]
    audiences: [https://api.example.com]
    tokenSigningAlg: RS256
    secretFromEnv: BENCH_SECRET
  - id: k8s
    public: true
    grantTypes: [authorization_code]
    scopes: [openid, email, groups]
    defaultScopes: [openid]
    redirectUris: [http://127.0.0.1:8000]
  - id: apiserver
    grantTypes: [client_credentials]
    audiences: [k8s]
    secretFromEnv: CLUSTER_SECRET
YAML
export BENCH_SECRET=$secret CLUSTER_SECRET=$cluster LANYARD_CONFIG=$work/clients.yaml LANYARD_DATA_DIR=$work \
  LANYARD_KEK=$(head -c 32 /dev/urandom | base64) LANYARD_TOKEN_REVIEW_CLIENTS=apiserver
# in the directory the server starts in: the embedded database is ./data there
( cd "$work" && java -jar "$JAR" groups create bench-team >/dev/null \
  && printf '%s\n' "$password" | java -jar "$JAR" users create bench-alice --email bench-alice@example.com \
    --email-verified --group bench-team --password-stdin >/dev/null )
start_lanyard "$work" "$PORT"

# one real login with PKCE, as kubelogin makes it: its id_token is what the apiserver reviews
base="http://127.0.0.1:$PORT"
verifier=$(head -c 48 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' | cut -c1-64)
challenge=$(printf '%s' "$verifier" | openssl dgst -sha256 -binary | base64 | tr '+/' '-_' | tr -d '=\n')
page=$(curl -sf -c "$work/jar" -b "$work/jar" "$base/authorize?response_type=code&client_id=k8s&redirect_uri=http%3A%2F%2F127.0.0.1%3A8000&scope=openid%20email%20groups&code_challenge=$challenge&code_challenge_method=S256")
csrf=$(sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' <<< "$page" | head -1)
authorization=$(sed -n 's/.*name="authorization" value="\([^"]*\)".*/\1/p' <<< "$page" | head -1)
authorization=$(printf '%s' "$authorization" | sed 's/&amp;/\&/g')
location=$(curl -s -c "$work/jar" -b "$work/jar" -o /dev/null -w '%{redirect_url}' --data-urlencode "csrf_token=$csrf" \
  --data-urlencode "authorization=$authorization" --data-urlencode username=bench-alice --data-urlencode "password=$password" \
  "$base/login")
code=$(sed -n 's/.*[?&]code=\([^&]*\).*/\1/p' <<< "$location")
id_token=$(curl -sf -d grant_type=authorization_code -d client_id=k8s -d "code=$code" \
  -d redirect_uri=http://127.0.0.1:8000 -d "code_verifier=$verifier" "$base/token" \
  | sed 's/.*"id_token":"\([^"]*\)".*/\1/')
review="{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\",\"spec\":{\"token\":\"$id_token\"}}"
answer=$(curl -sf -H "Authorization: Bearer $cluster" -H 'Content-Type: application/json' -d "$review" "$base/tokenreview")
case "$answer" in *'"authenticated":true'*) ;; *) echo "the id_token does not review as authenticated: $answer" >&2; exit 1 ;; esac

# one script for both: BODY, TYPE and AUTH choose the request; done() prints a RESULT line
cat > "$work/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = os.getenv("BODY")
wrk.headers["Content-Type"] = os.getenv("TYPE")
wrk.headers["Authorization"] = os.getenv("AUTH")
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.0f %.2f %.2f %d %d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status, summary.requests))
end
LUA

token() {
  BODY=grant_type=client_credentials TYPE=application/x-www-form-urlencoded \
    AUTH="Basic $(printf '%s:%s' bench-rs256 "$secret" | base64 -w0)" \
    wrk -t1 -c"$CONNS" -d"$1" --timeout 5s -s "$work/post.lua" "$base/token" | grep '^RESULT'
}
tokenreview() {
  BODY=$review TYPE=application/json AUTH="Bearer $cluster" \
    wrk -t1 -c"$CONNS" -d"$1" --timeout 5s -s "$work/post.lua" "$base/tokenreview" | grep '^RESULT'
}

# JIT warm-up of both paths before anything is measured
token "$WARMUP" > /dev/null
tokenreview "$WARMUP" > /dev/null

echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), $(date -u +%F)"
echo "| round | request | req/s | p50 ms | p99 ms | non-200 | requests |"
echo "|---|---|---|---|---|---|---|"
for round in $(seq 1 "$ROUNDS"); do
  for kind in token tokenreview; do
    line=$($kind "$DURATION")
    read -r _ rps p50 p99 non200 reqs <<< "$line"
    printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$round" "$kind" "$rps" "$p50" "$p99" "$non200" "$reqs"
  done
done
echo
echo "After the run the id_token still reviews as: $(curl -sf -H "Authorization: Bearer $cluster" \
  -H 'Content-Type: application/json' -d "$review" "$base/tokenreview" | cut -c1-90)…"
