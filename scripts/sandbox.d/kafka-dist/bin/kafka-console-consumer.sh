#!/usr/bin/env bash
# kafka-console-consumer.sh — pinctl sandbox rebuild of Apache Kafka 2.8.1 (see SANDBOX-REBUILD.txt).
if [ "x$KAFKA_HEAP_OPTS" = "x" ]; then
  export KAFKA_HEAP_OPTS="-Xmx512M"
fi
exec "$(dirname "$0")/kafka-run-class.sh" kafka.tools.ConsoleConsumer "$@"
