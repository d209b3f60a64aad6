#!/usr/bin/env bash
# Logins/s and refresh grants/s on a real Lanyard with PostgreSQL, over loopback, next to the
# Argon2id rate of the same machine (JMH PasswordHashBenchmark).
#   bench/login-load.sh                 logins and refreshes, 2 and 8 client threads, 20 s each
#   DURATION=30 THREADS="8" bench/login-load.sh
#   SKIP_JMH=1 bench/login-load.sh      only the server runs
# A login is GET /authorize (the page), POST /login (the Argon2id check, a session, a code) and
# POST /token (the code for an access token, an id_token and a refresh token). A refresh is one
# POST /token with grant_type=refresh_token, each client thread following its own rotating chain.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
DURATION=${DURATION:-20}
THREADS=${THREADS:-"2 8"}
PORT=${PORT:-18081}
PG=${PG:-127.0.0.1:5432}
JAVA_OPTS=${JAVA_OPTS:-"-Xms128m -Xmx512m"}

. bench/lib.sh
JAR=${LANYARD_JAR:-$root/target/lanyard.jar}
[ -f "$JAR" ] || ./mvnw -B -q -DskipTests package >&2
./mvnw -B -q -DskipTests -Dlanyard.cds.skip=true test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench.cp >&2
cp="target/test-classes:target/classes:$(cat target/bench.cp)"

pg_schema "$PG"
work=$(mktemp -d)
export LANYARD_DATA_DIR=$work LANYARD_KEK=$(head -c 32 /dev/urandom | base64)
password="bench-$(head -c 12 /dev/urandom | base64 | tr -d '=+/')"
login_people "$password"

MICRONAUT_SERVER_PORT=$PORT MICRONAUT_SERVER_HOST=127.0.0.1 LANYARD_ISSUER=http://127.0.0.1:$PORT \
  LANYARD_MANAGEMENT_PORT=$((PORT + 1000)) LANYARD_PROFILE=dev java $JAVA_OPTS -jar "$JAR" > "$work/server.log" 2>&1 &
pid=$!
cleanup() {
  kill $pid 2>/dev/null || true
  wait $pid 2>/dev/null || true
  drop_schema "$PG"
  rm -rf "$work"
}
trap cleanup EXIT
until curl -sf "http://127.0.0.1:$((PORT + 1000))/health/readiness" >/dev/null; do
  kill -0 $pid 2>/dev/null || { cat "$work/server.log"; exit 1; }
  sleep 0.1
done

echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), $(date -u +%F)"
for mode in login refresh; do
  for threads in $THREADS; do
    java -cp "$cp" io.lanyard.bench.LoginLoad "http://127.0.0.1:$PORT" "$mode" "$threads" "$DURATION" bench \
      "$password" bench-cli
  done
done
rows=$(psql -h "${PG%:*}" -p "${PG#*:}" -U postgres -d test -tAc "SELECT count(*) FROM $schema.refresh_tokens")
echo "refresh_tokens rows after the run: $rows"
kill $pid; wait $pid 2>/dev/null || true

if [ -z "${SKIP_JMH:-}" ]; then
  java -cp "$cp" org.openjdk.jmh.Main -t 1 PasswordHashBenchmark 2>&1 | grep -E "^(Benchmark|PasswordHash)"
  java -cp "$cp" org.openjdk.jmh.Main -t 2 PasswordHashBenchmark 2>&1 | grep -E "^(Benchmark|PasswordHash)"
fi
