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
