#!/usr/bin/env bash
# Backfill throughput versus the target's own bulk-ingest rate, measured in the same run (see BENCHMARKS.md).
# Usage: benchmarks/run-backfill-benchmark.sh [--docs 200000] [--concurrency 2] [--rounds 3] [--runner direct|flink-local|flink] [--s3] [--no-ledger] [--prepare-only] [--backfill-arg --name=value]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
(cd "$ROOT" && mvn -B -q -DskipTests package -pl benchmarks,s3-local -am) >&2
exec java -Xmx4g -Dsearchmigrate.projectRoot="$ROOT" -cp "$ROOT/benchmarks/target/benchmarks-0.1.0-SNAPSHOT.jar:$ROOT/benchmarks/target/lib/*" \
  io.searchmigrate.benchmarks.BackfillBenchmark "$@"
