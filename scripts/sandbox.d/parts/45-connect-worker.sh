#!/usr/bin/env bash
# Part 45: a real Apache Kafka Connect 2.8.1 worker (distributed mode, one worker) for the MSK Connect stand-in
# (part 50). It runs from the Maven Central jars and the sandbox S3 sink plugin that scripts/setup.d/45-connect-worker.sh
# put in $PINCTL_CACHE_DIR/connect-worker, against the sandbox broker (part 30); REST on 127.0.0.1:$CONNECT_WORKER_PORT.
# The stand-in finds it through CONNECT_WORKER_PORT (ports.env) and creates / deletes the real connector there
# (connect/README.md). Its storage topics pinctl-sandbox-connect-{configs,offsets,status} live on the sandbox broker.
# Optional: without the jars (setup not run) or with PINCTL_SANDBOX_CONNECT_WORKER=0 it starts nothing, and the
# stand-in keeps its state-only behaviour.
# State under $PINCTL_SANDBOX_DIR/connect-worker (worker.properties, log4j.properties); console output in
# $PINCTL_SANDBOX_DIR/logs/connect-worker.log.
set -euo pipefail
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

HOME_DIR=$PINCTL_CACHE_DIR/connect-worker
STATE=$PINCTL_SANDBOX_DIR/connect-worker
HEAP=${PINCTL_SANDBOX_CONNECT_HEAP:--Xms128M -Xmx384M}
READY_SECS=${PINCTL_SANDBOX_CONNECT_WAIT:-60}

available() {
  [ "${PINCTL_SANDBOX_CONNECT_WORKER:-1}" != 0 ] && compgen -G "$HOME_DIR/libs/connect-runtime-2.8.1.jar" >/dev/null \
    && compgen -G "$HOME_DIR/plugins/*/*.jar" >/dev/null
}

render_config() {
  mkdir -p "$STATE"
  write_if_changed "$STATE/worker.properties" <<EOF2
# pinctl sandbox Kafka Connect worker (rendered by scripts/sandbox.d/parts/45-connect-worker.sh)
bootstrap.servers=127.0.0.1:$KAFKA_PORT
group.id=pinctl-sandbox-connect
key.converter=org.apache.kafka.connect.storage.StringConverter
value.converter=org.apache.kafka.connect.json.JsonConverter
value.converter.schemas.enable=false
config.storage.topic=pinctl-sandbox-connect-configs
offset.storage.topic=pinctl-sandbox-connect-offsets
status.storage.topic=pinctl-sandbox-connect-status
config.storage.replication.factor=1
offset.storage.replication.factor=1
status.storage.replication.factor=1
offset.storage.partitions=1
status.storage.partitions=1
offset.flush.interval.ms=5000
# A topics.regex subscription finds topics made after the connector on a metadata refresh: 5 min by
# default (as on MSK Connect); 5 s here so the sandbox follows topics created later without a wait.
consumer.metadata.max.age.ms=5000
listeners=http://127.0.0.1:$CONNECT_WORKER_PORT
rest.advertised.host.name=127.0.0.1
rest.advertised.port=$CONNECT_WORKER_PORT
plugin.path=$HOME_DIR/plugins
EOF2
  write_if_changed "$STATE/log4j.properties" <<'EOF2'
log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.org.reflections=ERROR
log4j.logger.org.apache.kafka.clients=WARN
log4j.logger.org.apache.kafka.common.config.AbstractConfig=WARN
EOF2
}

part_up() {
  if ! available; then
    log "no Kafka Connect worker (PINCTL_SANDBOX_CONNECT_WORKER=0, or no jars in $HOME_DIR: run scripts/setup.sh); the MSK Connect stand-in only moves states"
    return 0
  fi
  command -v java >/dev/null || die "java not found: run scripts/setup.sh"
  [ -n "${KAFKA_PORT:-}" ] && port_open "$KAFKA_PORT" || die "no Kafka broker on 127.0.0.1:${KAFKA_PORT:-?}: part 30-kafka must come first"
  ensure_ports CONNECT_WORKER_PORT
  render_config
  local url=http://127.0.0.1:$CONNECT_WORKER_PORT
  # shellcheck disable=SC2086 # HEAP is several JVM options
  ensure_daemon connect-worker "Kafka Connect worker" "$CONNECT_WORKER_PORT" "$READY_SECS" java $HEAP -XX:+UseSerialGC \
    -Dlog4j.configuration="file:$STATE/log4j.properties" -cp "$HOME_DIR/libs/*" \
    org.apache.kafka.connect.cli.ConnectDistributed "$STATE/worker.properties"
  # ready = the herder answers (it has joined the group and read the config topic)
  local i
  for ((i = 0; i < READY_SECS * 2; i++)); do
    curl -sf -m 5 "$url/connectors" >/dev/null 2>&1 && break
    is_running connect-worker || break
    sleep 0.5
  done
  curl -sf -m 5 "$url/connectors" >/dev/null 2>&1 \
    || { tail -n 30 "$LOG_DIR/connect-worker.log" >&2; die "Kafka Connect worker at $url does not answer GET /connectors"; }
  log "Kafka Connect 2.8.1 worker ready (pid $(cat "$RUN_DIR/connect-worker.pid"), $url)"
  write_env connect-worker PINCTL_CONNECT_WORKER_URL "$url"
}

part_down() { stop_daemon connect-worker 20; }

# Not configured to run = nothing to be down.
part_status() { available || return 0; is_running connect-worker; }

part_main "$@"
