#!/usr/bin/env bash
# kafka-configs.sh — pinctl sandbox rebuild of Apache Kafka 2.8.1 (see SANDBOX-REBUILD.txt).
exec "$(dirname "$0")/kafka-run-class.sh" kafka.admin.ConfigCommand "$@"
