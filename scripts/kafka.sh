#!/usr/bin/env bash
# A single-node Apache Kafka 4.x broker (KRaft: broker and controller in one process) from Maven artifacts only,
# for the Kafka ingestion of SPEC section 12 (docs/kafka.md): its tests, .ci/run and local runs.
#
#   scripts/kafka.sh start [data-dir]   format the data dir (first start only), start, wait until it answers
#   scripts/kafka.sh stop  [data-dir]   stop the broker started with that data dir (SIGTERM, then SIGKILL after 30 s)
#
# data-dir defaults to ./kafka-data. The broker listens on 127.0.0.1:${KAFKA_PORT:-9092}, its controller on
# 127.0.0.1:${KAFKA_CONTROLLER_PORT:-9093} (the tests pick free ports). Class path: org.apache.kafka:kafka_2.13:4.1.1
# and kafka-tools from ~/.m2 (scripts/kafka-broker/pom.xml; mvn -o, nothing downloaded when pre-fetched).
# Also: `scripts/kafka.sh classpath` prints that class path (for the console producer and consumer, docs/kafka.md).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cmd="${1:-}"
data="${2:-./kafka-data}"
port="${KAFKA_PORT:-9092}"
controller_port="${KAFKA_CONTROLLER_PORT:-9093}"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"

classpath() {
  local cp="$here/kafka-broker/target/broker.classpath"
  if [ ! -s "$cp" ] || [ "$here/kafka-broker/pom.xml" -nt "$cp" ]; then
    mvn -B -q -Dstyle.color=never ${KAFKA_MVN_OFFLINE--o} -f "$here/kafka-broker/pom.xml" dependency:build-classpath \
      -Dmdep.outputFile="$cp" >&2
  fi
  cat "$cp"
}

start() {
  if [ -f "$data/broker.pid" ] && kill -0 "$(cat "$data/broker.pid")" 2>/dev/null; then
    echo "kafka: already running (pid $(cat "$data/broker.pid")), data in $data" >&2
    exit 1
  fi
  local cp
  cp="$(classpath)"
  cat > "$data/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$data/logs
num.partitions=4
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
PROPS
  if [ ! -f "$data/logs/meta.properties" ]; then
    # a cluster id: 16 random bytes, base64url without padding (what kafka-storage random-uuid prints)
    "$java" -cp "$cp" kafka.tools.StorageTool format --ignore-formatted \
      -t "$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | cut -c 1-22)" -c "$data/server.properties" \
      >> "$data/broker.log" 2>&1
  fi
  local from
  from=$(($(wc -l < "$data/broker.log" 2>/dev/null || echo 0) + 1))
  nohup "$java" -Xmx512m -cp "$cp" kafka.Kafka "$data/server.properties" >> "$data/broker.log" 2>&1 &
  echo $! > "$data/broker.pid"
  # answering: it logged that it started (after its listeners), and the broker port takes a connection
  for _ in $(seq 1 240); do
    if ! kill -0 "$(cat "$data/broker.pid")" 2>/dev/null; then
      echo "kafka: the broker exited while starting; its log: $data/broker.log" >&2
      tail -n 30 "$data/broker.log" >&2
      exit 1
    fi
    if tail -n "+$from" "$data/broker.log" | grep -q "Kafka Server started" \
        && (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "kafka: broker on 127.0.0.1:$port (pid $(cat "$data/broker.pid")), data in $data, log $data/broker.log"
      return 0
    fi
    sleep 0.5
  done
  echo "kafka: no answer on 127.0.0.1:$port within 120 s; its log: $data/broker.log" >&2
  exit 1
}

stop() {
  if [ ! -f "$data/broker.pid" ]; then
    echo "kafka: no broker.pid in $data" >&2
    return 0
  fi
  local pid
  pid="$(cat "$data/broker.pid")"
  if kill "$pid" 2>/dev/null; then
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  fi
  rm -f "$data/broker.pid"
  echo "kafka: stopped (pid $pid), data kept in $data, log $data/broker.log"
}

case "$cmd" in
  start) data="$(mkdir -p "$data" && cd "$data" && pwd)"; start ;;
  stop) data="$(cd "$data" && pwd)"; stop ;;
  classpath) classpath ;;
  *) echo "usage: $0 start|stop [data-dir] | classpath" >&2; exit 2 ;;
esac
