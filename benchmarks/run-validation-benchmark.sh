#!/usr/bin/env bash
# validate backfill versus reading the target alone with the same reader, measured in the same run (see BENCHMARKS.md).
# Usage: benchmarks/run-validation-benchmark.sh [--docs 200000] [--concurrency 2] [--rounds 3]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
(cd "$ROOT" && mvn -B -q -DskipTests package -pl benchmarks -am) >&2
exec java -Xmx4g ${BENCH_JAVA_OPTS:-} -Dsearchmigrate.projectRoot="$ROOT" -cp "$ROOT/benchmarks/target/benchmarks-0.1.0-SNAPSHOT.jar:$ROOT/benchmarks/target/lib/*" \
  io.searchmigrate.benchmarks.ValidationBenchmark "$@"
