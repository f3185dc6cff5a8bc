#!/usr/bin/env bash
# Part 30: ZooKeeper + one Apache Kafka 2.8.1 broker on 127.0.0.1, run from the official Maven Central jars
# (the rebuilt kafka_2.12-2.8.1 dist that setup extracted to $PINCTL_CACHE_DIR/kafka, the same bits the mirror
# serves to the host). Plaintext listener, auto.create.topics.enable=false (MSK's default), replication 1.
# Ready = the broker answers a metadata request (kafka-topics.sh --list), not just an open port.
# State under $PINCTL_SANDBOX_DIR/kafka (config, zookeeper/, data/, logs/ = the broker's log4j files, logs/zookeeper/);
# console output in $PINCTL_SANDBOX_DIR/logs/{zookeeper,kafka}.log.
set -euo pipefail
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

KAFKA_HOME=$PINCTL_CACHE_DIR/kafka/kafka_2.12-2.8.1
STATE=$PINCTL_SANDBOX_DIR/kafka
ZK_HEAP=${PINCTL_SANDBOX_ZK_HEAP:--Xms128M -Xmx256M}
KAFKA_HEAP=${PINCTL_SANDBOX_KAFKA_HEAP:--Xms256M -Xmx512M}
READY_SECS=${PINCTL_SANDBOX_KAFKA_WAIT:-90}

fail_with_log() { # LOGFILE MSG
  log "--- last lines of $1 ---"
  tail -n 30 "$1" >&2 2>/dev/null || true
  die "$2 (see $1)"
}

render_config() {
  mkdir -p "$STATE/zookeeper" "$STATE/data" "$STATE/logs"
  write_if_changed "$STATE/zookeeper.properties" <<EOF
# pinctl sandbox ZooKeeper (rendered by scripts/sandbox.d/parts/30-kafka.sh)
dataDir=$STATE/zookeeper
clientPort=$ZK_PORT
clientPortAddress=127.0.0.1
maxClientCnxns=0
admin.enableServer=false
EOF
  write_if_changed "$STATE/server.properties" <<EOF
# pinctl sandbox Kafka 2.8.1 broker (rendered by scripts/sandbox.d/parts/30-kafka.sh)
broker.id=0
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$STATE/data
zookeeper.connect=127.0.0.1:$ZK_PORT
zookeeper.connection.timeout.ms=18000
# as MSK's default configuration: topics are created explicitly (kafka-topics.sh --create)
auto.create.topics.enable=false
delete.topic.enable=true
num.partitions=1
default.replication.factor=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
log.retention.hours=168
EOF
}

broker_ready() { # one metadata round trip through the rebuilt tools
  timeout 60 env KAFKA_HEAP_OPTS=-Xmx128M "$KAFKA_HOME/bin/kafka-topics.sh" \
    --bootstrap-server "127.0.0.1:$KAFKA_PORT" --list >/dev/null 2>>"$LOG_DIR/kafka-ready.log"
}

part_up() {
  [ -x "$KAFKA_HOME/bin/kafka-server-start.sh" ] || die "no Kafka dist in $KAFKA_HOME: run scripts/setup.sh"
  command -v java >/dev/null || die "java not found: run scripts/setup.sh"
  ensure_ports ZK_PORT KAFKA_PORT
  render_config

  ensure_daemon zookeeper ZooKeeper "$ZK_PORT" 60 env LOG_DIR="$STATE/logs/zookeeper" KAFKA_HEAP_OPTS="$ZK_HEAP" \
    EXTRA_ARGS="-name zookeeper" "$KAFKA_HOME/bin/zookeeper-server-start.sh" "$STATE/zookeeper.properties"
  ensure_daemon kafka Kafka "$KAFKA_PORT" "$READY_SECS" env LOG_DIR="$STATE/logs" KAFKA_HEAP_OPTS="$KAFKA_HEAP" \
    EXTRA_ARGS="-name kafkaServer" "$KAFKA_HOME/bin/kafka-server-start.sh" "$STATE/server.properties"
  # registered and serving metadata (bounded: a few attempts of one JVM each)
  local _ ok=0
  for _ in 1 2 3 4 5; do
    if broker_ready; then ok=1; break; fi
    is_running kafka || break
    sleep 2
  done
  [ "$ok" = 1 ] || fail_with_log "$LOG_DIR/kafka.log" "Kafka broker on 127.0.0.1:$KAFKA_PORT does not answer kafka-topics.sh --list"
  log "Kafka 2.8.1 broker ready (pid $(cat "$RUN_DIR/kafka.pid"), PLAINTEXT://127.0.0.1:$KAFKA_PORT, ZooKeeper 127.0.0.1:$ZK_PORT)"

  write_env kafka \
    PINCTL_BOOTSTRAP_SERVERS "127.0.0.1:$KAFKA_PORT" \
    PINCTL_ZOOKEEPER "127.0.0.1:$ZK_PORT" \
    PINCTL_AUTH plaintext
}

part_down() {
  # broker first (controlled shutdown needs ZooKeeper), then ZooKeeper
  stop_daemon kafka 30
  stop_daemon zookeeper 10
}

part_status() { is_running zookeeper && is_running kafka; }

part_main "$@"
