#!/usr/bin/env bash
# Time from `java -jar` to a 200 from /health/readiness (management port), median of RUNS, the modes
# alternating within each round so that all see the same machine:
#   17-plain   Java 17, nothing
#   17-cds     Java 17 with the class-data-sharing archive `./mvnw package` makes (target/lanyard.jsa)
#   25-plain   Java 25, nothing
#   25-aot     Java 25 with the ahead-of-time cache (JEP 483/514/515) trained as the image trains it
# On an existing embedded H2 (DB=existing, the default: a restart) or a fresh one each time
# (DB=fresh: migrations, key generation, demo client). With B_JAR=other.jar, a mode ending in -b
# (25-aot-b, 17-cds-b) runs that jar instead, for an A/B of two builds in one run.
#   bench/startup.sh                 RUNS=5 DB=existing
#   B_JAR=/tmp/old/lanyard.jar MODES="25-aot 25-aot-b" bench/startup.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
PORT=${PORT:-18383}
DB=${DB:-existing}
MODES=${MODES:-"17-plain 17-cds 25-plain 25-aot"}
J17=${J17:-java}
J25=${J25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
root=$(pwd)
[ -f target/lanyard.jar ] && [ -f target/lanyard.jsa ] || ./mvnw -B -q -DskipTests package >&2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export LANYARD_KEK=$(head -c 32 /dev/urandom | base64)

jar_of() { [[ $1 == *-b ]] && echo "$B_JAR" || echo "$root/target/lanyard.jar"; }
# the AOT cache of each jar measured with it, trained as the image trains it (bin/aot-train)
for mode in $MODES; do
  if [[ $mode == 25-aot* ]]; then
    bin/aot-train "$(jar_of "$mode")" "$work/$mode.aot" "$J25"
  fi
  if [[ $mode == 17-cds-b ]]; then
    ( cd "$work" && "$J17" -XX:ArchiveClassesAtExit="$work/b.jsa" -Dlanyard.log.level=WARN -Dmicronaut.server.port=-1 \
        -Dlanyard.kek=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= \
        "-Dlanyard.db.url=jdbc:h2:mem:cds;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE" \
        -jar "$B_JAR" serve --exit-after-start > "$work/cds.log" 2>&1 )
  fi
done

options() {
  case $1 in
    17-plain*|25-plain*) ;;
    17-cds) echo "-XX:SharedArchiveFile=$root/target/lanyard.jsa -Xlog:cds=off -Xlog:cds+dynamic=off" ;;
    17-cds-b) echo "-XX:SharedArchiveFile=$work/b.jsa -Xlog:cds=off -Xlog:cds+dynamic=off" ;;
    25-aot*) echo "-XX:AOTCache=$work/$1.aot -Xlog:aot=off -Xlog:cds=off" ;;
  esac
}

run() { # $1 mode: milliseconds to ready
  local java=$J17; [[ $1 == 25-* ]] && java=$J25
  local dir=$work/db
  if [ "$DB" = fresh ]; then rm -rf "$work/db"; fi
  mkdir -p "$dir"
  local start; start=$(date +%s%N)
  # shellcheck disable=SC2046
  ( cd "$dir" && MICRONAUT_SERVER_PORT=$PORT LANYARD_MANAGEMENT_PORT=$((PORT + 1000)) \
      exec "$java" $(options "$1") -jar "$(jar_of "$1")" > "$work/log" 2>&1 ) &
  local pid=$!
  until curl -sf "http://127.0.0.1:$((PORT + 1000))/health/readiness" >/dev/null; do
    kill -0 $pid 2>/dev/null || { cat "$work/log" >&2; exit 1; }
    sleep 0.01
  done
  echo $(( ($(date +%s%N) - start) / 1000000 ))
  kill $pid; wait $pid 2>/dev/null || true
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# the embedded database exists before the first measured start, as after an install
[ "$DB" = existing ] && run 17-plain > /dev/null
declare -A times
for _ in $(seq 1 "$RUNS"); do
  for mode in $MODES; do
    times[$mode]="${times[$mode]:-} $(run "$mode")"
  done
done
echo "machine: $(nproc) cores, $("$J17" -version 2>&1 | head -1) / $("$J25" -version 2>&1 | head -1), DB=$DB, $(date -u +%F)"
echo "| mode | median ms | runs (ms) |"
echo "|---|---|---|"
for mode in $MODES; do
  echo "| $mode | $(echo ${times[$mode]} | tr ' ' '\n' | median) | ${times[$mode]# } |"
done
