#!/usr/bin/env bash
# Records which library classes a fresh start loads, in order, into the list ClassPreloader
# loads on a second core at start-up. Run after changing dependencies, then rebuild.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -DskipTests package >&2
work=$(mktemp -d); log=$work/classes.txt
( cd "$work" && MICRONAUT_SERVER_PORT=18282 LANYARD_MANAGEMENT_PORT=19282 java -Xlog:class+load:file="$log" -jar "$OLDPWD/target/lanyard.jar" > "$work/out.txt" 2>&1 & echo $! > "$work/pid" )
until curl -sf http://127.0.0.1:19282/health/readiness >/dev/null; do sleep 0.1; done
curl -s -o /dev/null http://127.0.0.1:18282/jwks
kill "$(cat "$work/pid")"; sleep 1; pkill -f -- "$log" || true  # $! above is the subshell, not java
grep 'source: file:.*lanyard.jar' "$log" | awk '{print $2}' | grep -v '\$\$Lambda' | grep -v '^io\.lanyard\.' \
  > src/main/resources/META-INF/lanyard/preload-classes.txt
wc -l src/main/resources/META-INF/lanyard/preload-classes.txt
rm -rf "$work"
