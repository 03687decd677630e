#!/usr/bin/env bash
# Kafka ingestion against HTTP (issue 29): usage events decided per second through Kafka and over HTTP one request
# per event (1 and 8 clients) and in batches of 100 (POST /v1/usage/batch), same events, same run, same PostgreSQL,
# one service instance.
#
#   bench/kafka.sh          # writes bench/results/kafka.md and kafka.json
#
# Builds with -Pbench into target-bench/ (as bench/run.sh), starts a broker with scripts/kafka.sh on
# BENCH_KAFKA_PORT (default 9092; controller on the next port) with its data in a temporary folder, and runs
# dev.creditspolicy.bench.KafkaBench against database BENCH_DB (default credits_i29; schema kafka_bench, dropped
# and made again). Settings (environment): BENCH_EVENTS (5000), BENCH_CLIENTS (8), BENCH_PARTITIONS (4),
# BENCH_NOTE (a sentence recorded in the report, e.g. that the machine was shared).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=target-bench
mvn -B -q -o -Pbench -Dbuild.dir="$BUILD_DIR" -Dmaven.test.skip=true package
port="${BENCH_KAFKA_PORT:-9092}"
data="$(mktemp -d)/kafka"
KAFKA_PORT="$port" KAFKA_CONTROLLER_PORT="$((port + 1))" scripts/kafka.sh start "$data"
trap 'scripts/kafka.sh stop "$data"; rm -rf "$(dirname "$data")"' EXIT
java -Xmx1g -cp "$BUILD_DIR/classes:$(cat "$BUILD_DIR/bench.classpath")" \
  -Dcredits.bench.events="${BENCH_EVENTS:-5000}" -Dcredits.bench.clients="${BENCH_CLIENTS:-8}" \
  -Dcredits.bench.partitions="${BENCH_PARTITIONS:-4}" -Dcredits.bench.note="${BENCH_NOTE:-}" \
  dev.creditspolicy.bench.KafkaBench "$BUILD_DIR/credits-policy.jar" "${BENCH_DB:-credits_i29}" "127.0.0.1:$port"
