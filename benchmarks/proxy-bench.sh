#!/usr/bin/env bash
# Capture proxy benchmark (not a test): requests/s and p50/p99 through the proxy versus straight to a real
# Elasticsearch 7.10.2, at 1, 16 and 64 connections, with a real Kafka broker capturing.
#   benchmarks/proxy-bench.sh [SECONDS_PER_ROUND=10] [ROUNDS=2]
# Starts (or reuses) the test cluster and broker of testkit; stops what it started.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
(cd "$ROOT" && mvn -B -q -DskipTests package -pl benchmarks -am) >&2
exec java -Dsearchmigrate.projectRoot="$ROOT" -cp "$ROOT/benchmarks/target/benchmarks-0.1.0-SNAPSHOT.jar:$ROOT/benchmarks/target/lib/*" \
  io.searchmigrate.benchmarks.ProxyBenchmark "$@"
