#!/usr/bin/env bash
# Logins/s through an LDAP connector (a real OpenLDAP on loopback) against logins of Lanyard's own
# users (Argon2id), on one Lanyard with PostgreSQL, alternating local and LDAP runs so both see the
# same machine. A login is GET /authorize, POST /login, POST /token, as in bench/login-load.sh; the
# LDAP runs send connector_id=corp (as kubelogin would), so no Argon2id hash is spent on them.
#   bench/ldap-login-load.sh                 2 and 8 client threads, 20 s each, 2 rounds
#   DURATION=30 THREADS="8" ROUNDS=3 bench/ldap-login-load.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
DURATION=${DURATION:-20}
THREADS=${THREADS:-"2 8"}
ROUNDS=${ROUNDS:-2}
PORT=${PORT:-18082}
PG=${PG:-127.0.0.1:5432}
JAVA_OPTS=${JAVA_OPTS:-"-Xms128m -Xmx512m"}

bin/install-ldap
. bench/lib.sh
JAR=${LANYARD_JAR:-$root/target/lanyard.jar}
[ -f "$JAR" ] || ./mvnw -B -q -DskipTests package >&2
./mvnw -B -q -DskipTests -Dlanyard.cds.skip=true test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench.cp >&2
cp="target/test-classes:target/classes:$(cat target/bench.cp)"

work=$(mktemp -d)
password="bench-$(head -c 12 /dev/urandom | base64 | tr -d '=+/')"
mkfifo "$work/directory.in"
java -cp "$cp" io.lanyard.bench.BenchDirectory "$password" < "$work/directory.in" > "$work/directory.out" 2>&1 &
directory=$!
exec 3> "$work/directory.in"
until grep -q '^READY' "$work/directory.out"; do
  kill -0 $directory 2>/dev/null || { cat "$work/directory.out"; exit 1; }
  sleep 0.1
done
ldap_host=$(awk '/^READY/ {print $2}' "$work/directory.out")

pg_schema "$PG"
export LANYARD_DATA_DIR=$work LANYARD_KEK=$(head -c 32 /dev/urandom | base64)
cat > "$work/lanyard.yaml" <<YAML
connectors:
  - type: ldap
    id: corp
    name: Bench directory
    groupsPrefix: "corp:"
    config:
      host: $ldap_host
      insecureNoSSL: true
      bindDN: cn=lanyard,ou=services,dc=example,dc=org
      bindPW: lanyard-secret
      userSearch:
        baseDN: ou=people,dc=example,dc=org
        username: uid
        idAttr: DN
        emailAttr: mail
        nameAttr: cn
      groupSearch:
        baseDN: ou=groups,dc=example,dc=org
        nameAttr: cn
        userMatchers:
          - userAttr: DN
            groupAttr: member
YAML
export LANYARD_CONFIG=$work/lanyard.yaml
login_people "$password"

MICRONAUT_SERVER_PORT=$PORT MICRONAUT_SERVER_HOST=127.0.0.1 LANYARD_ISSUER=http://127.0.0.1:$PORT \
  LANYARD_MANAGEMENT_PORT=$((PORT + 1000)) LANYARD_PROFILE=dev java $JAVA_OPTS -jar "$JAR" > "$work/server.log" 2>&1 &
pid=$!
cleanup() {
  kill $pid 2>/dev/null || true
  wait $pid 2>/dev/null || true
  exec 3>&- || true
  wait $directory 2>/dev/null || true
  drop_schema "$PG"
  rm -rf "$work"
}
trap cleanup EXIT
until curl -sf "http://127.0.0.1:$((PORT + 1000))/health/readiness" >/dev/null; do
  kill -0 $pid 2>/dev/null || { cat "$work/server.log"; exit 1; }
  sleep 0.1
done

echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), $(date -u +%F)"
for round in $(seq 1 "$ROUNDS"); do
  for threads in $THREADS; do
    java -cp "$cp" io.lanyard.bench.LoginLoad "http://127.0.0.1:$PORT" login "$threads" "$DURATION" bench "$password" bench-cli
    java -cp "$cp" io.lanyard.bench.LoginLoad "http://127.0.0.1:$PORT" login "$threads" "$DURATION" bench "$password" bench-cli \
      "&connector_id=corp"
  done
done
