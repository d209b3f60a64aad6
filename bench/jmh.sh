#!/usr/bin/env bash
# JMH: raw signing and token minting, RS256 and ES256, ACCP and JDK.
#   bench/jmh.sh                     everything, one thread
#   bench/jmh.sh -t 2 SigningBenchmark   two threads (the "raw two-thread signing rate")
# Extra arguments go to JMH (see `bench/jmh.sh -h`).
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -DskipTests test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.cp >&2
exec java ${JMH_JAVA_OPTS:-} -cp "target/test-classes:target/classes:$(cat target/bench.cp)" org.openjdk.jmh.Main "${@:-io.lanyard.bench}"
