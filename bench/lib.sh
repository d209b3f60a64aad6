# What the load scripts share; sourced from the repository root after `set -euo pipefail`.
#   need_wrk                 installs Debian's wrk when it is missing
#   lanyard_jar              sets JAR: LANYARD_JAR, or target/lanyard.jar (built when missing)
#   start_lanyard DIR PORT   starts $JAR in DIR on 127.0.0.1:PORT (management on PORT+1000) with
#                            $JAVA_OPTS and the caller's exported environment, sets pid, stops it and
#                            removes DIR on exit, and returns once /health/readiness answers 200 on the
#                            management port (or prints the log and fails)

need_wrk() {
  if ! command -v wrk >/dev/null 2>&1; then
    echo "installing wrk" >&2
    apt-get update -qq >&2 && apt-get install -y -qq wrk >&2
  fi
}

lanyard_jar() {
  JAR=${LANYARD_JAR:-$(pwd)/target/lanyard.jar}
  [ -f "$JAR" ] || ./mvnw -B -q -DskipTests package >&2
}

start_lanyard() {
  local dir=$1 port=$2
  ( cd "$dir" && MICRONAUT_SERVER_PORT=$port MICRONAUT_SERVER_HOST=127.0.0.1 LANYARD_ISSUER=http://127.0.0.1:$port \
      LANYARD_MANAGEMENT_PORT=$((port + 1000)) exec java $JAVA_OPTS -jar "$JAR" ) > "$dir/server.log" 2>&1 &
  pid=$!
  trap "kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf '$dir'" EXIT
  # management port; the public one for jars from before health moved there, so bench/ab.sh can compare them
  until curl -sf "http://127.0.0.1:$((port + 1000))/health/readiness" >/dev/null \
      || curl -sf "http://127.0.0.1:$port/health/readiness" >/dev/null; do
    kill -0 "$pid" 2>/dev/null || { cat "$dir/server.log"; exit 1; }
    sleep 0.05
  done
}

# For the login scripts (bench/login-load.sh, bench/ldap-login-load.sh), with $JAR set:
#   pg_schema PG                 creates a fresh schema on PostgreSQL PG (host:port), sets schema and
#                                points LANYARD_DB_* at it; drop_schema PG removes it
#   login_people PASSWORD        groups create bench-group, users bench-0..7 with PASSWORD in it (one
#                                per client thread: the throttle counts an attempt until its check
#                                ends), and the public client bench-cli for the code flow
pg_schema() {
  local pg=$1
  schema="bench_$(date +%s)"
  PGOPTIONS="-c client_min_messages=warning" psql -h "${pg%:*}" -p "${pg#*:}" -U postgres -d test -qc "CREATE SCHEMA $schema" >/dev/null
  export LANYARD_DB_URL="jdbc:postgresql://$pg/test?currentSchema=$schema" LANYARD_DB_USER=postgres LANYARD_DB_PASSWORD=
}

drop_schema() {
  local pg=$1
  PGOPTIONS="-c client_min_messages=warning" psql -h "${pg%:*}" -p "${pg#*:}" -U postgres -d test -qc "DROP SCHEMA $schema CASCADE" >/dev/null || true
}

login_people() {
  local password=$1
  java -jar "$JAR" groups create bench-group >/dev/null
  for i in $(seq 0 7); do
    printf '%s\n' "$password" | java -jar "$JAR" users create "bench-$i" --email "bench-$i@example.com" --email-verified \
      --group bench-group --password-stdin >/dev/null
  done
  java -jar "$JAR" clients create bench-cli --public --grant-type authorization_code,refresh_token \
    --scope openid,email,groups,offline_access --default-scope openid --redirect-uri http://127.0.0.1:8000 >/dev/null
}
