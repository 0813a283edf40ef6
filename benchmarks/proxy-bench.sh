#!/usr/bin/env bash
# Capture proxy benchmark (not a test): requests/s and p50/p99 through the proxy versus straight to a real
# Elasticsearch 7.10.2, at 1, 16 and 64 connections, with a real Kafka broker capturing, and nginx (a plain
# keep-alive reverse proxy in front of the same Elasticsearch) as the floor for forwarding.
#   benchmarks/proxy-bench.sh [SECONDS_PER_ROUND=10] [ROUNDS=2] [CONNECTIONS=1,16,64]
# PROXY_BENCH_WARMUP=S: seconds of load through each path at each level before its measured rounds (default 15).
# Starts (or reuses) the test cluster and broker of testkit; stops what it started. Installs Debian's nginx-light
# when there is no nginx (NGINX=/path/to/nginx names another; NGINX=none leaves the nginx rows out).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
if [ "$NGINX" != none ] && [ ! -x "$NGINX" ]; then
  echo "installing nginx-light from the system's packages (the benchmark's forwarding peer)..." >&2
  as_root=(); [ "$(id -u)" = 0 ] || as_root=(sudo)
  # no service start by the package: the benchmark runs its own nginx, with its own config, and stops it
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | "${as_root[@]}" tee /usr/sbin/policy-rc.d >/dev/null
    "${as_root[@]}" chmod +x /usr/sbin/policy-rc.d
    trap '"${as_root[@]}" rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx-light >&2 \
    || { "${as_root[@]}" apt-get update -q >&2 && "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx-light >&2; }
  "${as_root[@]}" rm -f /usr/sbin/policy-rc.d; trap - EXIT
  NGINX=/usr/sbin/nginx
fi
# PROXY_BENCH_BUILD=no runs what was built last
[ "${PROXY_BENCH_BUILD:-yes}" = no ] || (cd "$ROOT" && mvn -B -q -DskipTests package -pl benchmarks -am) >&2
exec java -Dsearchmigrate.projectRoot="$ROOT" -Dsearchmigrate.nginx="$NGINX" -cp "$ROOT/benchmarks/target/benchmarks-0.1.0-SNAPSHOT.jar:$ROOT/benchmarks/target/lib/*" \
  io.searchmigrate.benchmarks.ProxyBenchmark "$@"
