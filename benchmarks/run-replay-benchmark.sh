#!/usr/bin/env bash
# Replay throughput at --speedup max versus the target's own rate for the same requests sent directly by the same
# number of clients, measured in the same run, on one runner or both alternating (see BENCHMARKS.md); or, with
# --steady-minutes, the lag under a steady capture at --rate requests/s replayed with the captured timing.
# Usage: benchmarks/run-replay-benchmark.sh [--runner direct|flink-local|direct,flink-local] [--connections 16]
#          [--requests 200] [--rounds 3] [--concurrency 16] [--partitions 4] [--beam --name=value]...
#        benchmarks/run-replay-benchmark.sh --steady-minutes 3 --rate 50 [--runner direct] [--connections 16]
#          [--requests 200] [--sample-seconds 5]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
(cd "$ROOT" && mvn -B -q -DskipTests package -pl benchmarks -am) >&2
exec java -Xmx4g -Dsearchmigrate.projectRoot="$ROOT" -cp "$ROOT/benchmarks/target/benchmarks-0.1.0-SNAPSHOT.jar:$ROOT/benchmarks/target/lib/*" \
  io.searchmigrate.benchmarks.ReplayBenchmark "$@"
