#!/usr/bin/env bash
# Part 50: MSK Connect for the sandbox. moto has no `kafkaconnect` service, so a local stand-in
# (connect/msk_connect_standin.py: the calls pinctl makes, same REST-JSON protocol) listens on
# 127.0.0.1:$CONNECT_PORT, and AWS_ENDPOINT_URL_KAFKACONNECT sends the SDK's MSK Connect calls there while
# every other service still goes to moto (AWS_ENDPOINT_URL). It checks plugins and connectors against moto's
# S3 and IAM and the sandbox broker; when part 45's Kafka Connect worker runs, a created S3 sink connector
# runs on it for real (the sandbox's own S3 sink, writing to moto): see connect/README.md.
# The stand-in S3 sink zip is built onto the mirror by build-artifacts.sh, with its SHA-512.
set -euo pipefail
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

VENV=$PINCTL_CACHE_DIR/venv
HERE=$REPO/scripts/sandbox.d/connect
STATE=$PINCTL_SANDBOX_DIR/connect/state.json

part_up() {
  [ -x "$VENV/bin/python" ] || die "no Python venv in $VENV: run scripts/setup.sh"
  [ -n "${MOTO_PORT:-}" ] || die "no MOTO_PORT: part 10-moto must come first"
  ensure_ports CONNECT_PORT
  local endpoint=http://127.0.0.1:$CONNECT_PORT
  mkdir -p "$(dirname "$STATE")"
  ensure_daemon connect "MSK Connect stand-in" "$CONNECT_PORT" 30 "$VENV/bin/python" -u "$HERE/msk_connect_standin.py" \
    --port "$CONNECT_PORT" --state "$STATE" --aws-endpoint "http://127.0.0.1:$MOTO_PORT" \
    --delay "${PINCTL_CONNECT_DELAY:-3}"
  python3 - "$endpoint/v1/connectors" <<'PY' || die "MSK Connect stand-in at $endpoint does not answer ListConnectors"
import json, sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=10) as r:
    sys.exit(0 if r.status == 200 and "connectors" in json.load(r) else 1)
PY
  write_env connect AWS_ENDPOINT_URL_KAFKACONNECT "$endpoint"
}

part_down() { stop_daemon connect; }

part_status() { is_running connect; }

part_main "$@"
