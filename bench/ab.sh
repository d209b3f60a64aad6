#!/usr/bin/env bash
# A/B over loopback: two Lanyard jars, alternating on the same machine in one run, each through
# bench/load.sh (client credentials) and bench/exchange-load.sh (token exchange against client
# credentials). Compare the ratios, never absolute figures across runs.
#   bench/ab.sh OLD.jar NEW.jar                 two rounds: old, new, old, new
#   ROUNDS=3 DURATION=20s bench/ab.sh a.jar b.jar
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 2 ] || { echo "usage: bench/ab.sh OLD.jar NEW.jar" >&2; exit 2; }
old=$(realpath "$1")
new=$(realpath "$2")
ROUNDS=${ROUNDS:-2}
export DURATION=${DURATION:-15s} WARMUP=${WARMUP:-15s}
for round in $(seq 1 "$ROUNDS"); do
  for side in old new; do
    jar=$old
    [ $side = new ] && jar=$new
    echo "== round $round, $side ($(basename "$jar"))"
    LANYARD_JAR=$jar ALGS=RS256 CONNS=64 bench/load.sh | grep '^| RS256'
    LANYARD_JAR=$jar ROUNDS=1 CONNS=64 bench/exchange-load.sh | grep -E '^\| [0-9]'
  done
done
