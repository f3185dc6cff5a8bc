#!/usr/bin/env bash
# Part 40: the artifact mirror. A static HTTP server (python3 -m http.server) on 127.0.0.1:$MIRROR_PORT
# serving $PINCTL_CACHE_DIR/artifacts/mirror, built at setup by scripts/sandbox.d/build-artifacts.sh.
# Layout = the real download URL with scheme+host replaced by $PINCTL_MIRROR, path kept (the URLs src/artifacts.ts
# pins, and the IAM jars' GitHub release paths):
#   /dist/kafka/2.8.1/kafka_2.12-2.8.1.tgz (+ .sha512)                     rebuilt from the Maven Central jars
#   /maven2/software/amazon/msk/aws-msk-iam-auth/2.3.6/aws-msk-iam-auth-2.3.6-all.jar   (and 2.3.4)
#   /aws/aws-msk-iam-auth/releases/download/v2.3.6/aws-msk-iam-auth-2.3.6-all.jar   (and v2.3.4)
#   /archive/7.2/confluent-7.2.0.tar.gz                                    REST proxy stand-in package
#   /api/plugins/confluentinc/kafka-connect-s3/versions/10.0.3/confluentinc-kafka-connect-s3-10.0.3.zip   S3 sink stand-in
# PINCTL_ARTIFACTS_FILE: JSON {"<url path>": "<sha512 lowercase hex>"} for every file served.
set -euo pipefail
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

ARTIFACTS=$PINCTL_CACHE_DIR/artifacts
ROOT=$ARTIFACTS/mirror
FILE=$ARTIFACTS/artifacts.json
PROBE=/dist/kafka/2.8.1/kafka_2.12-2.8.1.tgz

part_up() {
  [ -f "$FILE" ] && [ -f "$ROOT$PROBE" ] || die "no mirror artifacts in $ARTIFACTS: run scripts/setup.sh"
  ensure_ports MIRROR_PORT
  local base=http://127.0.0.1:$MIRROR_PORT

  ensure_daemon mirror mirror "$MIRROR_PORT" 30 python3 -u -m http.server --bind 127.0.0.1 --directory "$ROOT" "$MIRROR_PORT"
  # serving the tree (a HEAD of the Kafka tarball), not just listening
  python3 - "$base$PROBE" <<'PY' || die "mirror at $base does not serve $PROBE"
import sys, urllib.request
req = urllib.request.Request(sys.argv[1], method="HEAD")
with urllib.request.urlopen(req, timeout=10) as r:
    sys.exit(0 if r.status == 200 else 1)
PY

  write_env mirror \
    PINCTL_MIRROR "$base" \
    PINCTL_ARTIFACTS_FILE "$FILE"
}

part_down() { stop_daemon mirror; }

part_status() { is_running mirror; }

part_main "$@"
