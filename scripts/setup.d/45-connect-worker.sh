#!/usr/bin/env bash
# 45-connect-worker.sh — a real Kafka Connect worker for the sandbox's MSK Connect stand-in (idempotent; fast
# when cached).
#
# 1. Maven (scripts/sandbox.d/maven/connect-worker-pom.xml) resolves from Maven Central
#      org.apache.kafka:connect-runtime:2.8.1 (+ connect-json, connect-transforms, runtime deps, slf4j-log4j12)
#        -> $PINCTL_CACHE_DIR/connect-worker/libs/
#    (Confluent's kafka-connect-s3 is not on Maven Central, and Apache Camel's S3 sink connector package is
#    not served here either: see scripts/sandbox.d/connect/README.md.)
# 2. javac compiles the sandbox S3 sink (scripts/sandbox.d/connect/s3sink/, Confluent's key layout and keys)
#      -> $PINCTL_CACHE_DIR/connect-worker/plugins/pinctl-sandbox-s3-sink/pinctl-sandbox-s3-sink.jar
# Each step is skipped when its inputs are unchanged since its last successful run.
#
# Env: PINCTL_CACHE_DIR (default $HOME/.cache/pinctl), PINCTL_FORCE_REBUILD=1 to redo both steps.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CACHE=${PINCTL_CACHE_DIR:-$HOME/.cache/pinctl}
POM=$repo/scripts/sandbox.d/maven/connect-worker-pom.xml
SRC=$repo/scripts/sandbox.d/connect/s3sink
OUT=$CACHE/connect-worker
PLUGIN=$OUT/plugins/pinctl-sandbox-s3-sink

die() { echo "failed: $*" >&2; exit 1; }

command -v javac >/dev/null 2>&1 && command -v jar >/dev/null 2>&1 || die "javac/jar not found (40-kafka-jars.sh installs a JDK)"
command -v mvn >/dev/null 2>&1 || die "mvn not found (40-kafka-jars.sh installs Maven)"

mkdir -p "$CACHE"
exec 8>"$CACHE/.connect-worker.lock"
flock -w 600 8 || die "another 45-connect-worker.sh holds $CACHE/.connect-worker.lock"

tmp=$(mktemp -d "$CACHE/.connect-worker.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

want=$(sha256sum <"$POM" | cut -d' ' -f1)
if [ "${PINCTL_FORCE_REBUILD:-}" != 1 ] && [ "$(cat "$OUT/libs.stamp" 2>/dev/null)" = "$want" ] \
   && compgen -G "$OUT/libs/connect-runtime-2.8.1.jar" >/dev/null; then
  echo "ok: Kafka Connect 2.8.1 worker jars ($OUT/libs)"
else
  echo "installing: Kafka Connect 2.8.1 worker jars from Maven Central"
  if ! mvn -B -q -Dstyle.color=never -f "$POM" -Dworker.dir="$tmp/libs" package >"$tmp/mvn.log" 2>&1; then
    tail -n 40 "$tmp/mvn.log" >&2
    die "Maven failed (log above)"
  fi
  compgen -G "$tmp/libs/connect-runtime-2.8.1.jar" >/dev/null || die "connect-runtime-2.8.1.jar not resolved"
  mkdir -p "$OUT"
  rm -rf "$OUT/libs"
  mv "$tmp/libs" "$OUT/libs"
  echo "$want" >"$OUT/libs.stamp"
  echo "ok: $(ls "$OUT/libs" | wc -l) Kafka Connect worker jars ($OUT/libs)"
fi
rm -rf "$repo/scripts/sandbox.d/maven/target"

want=$( (cd "$SRC" && find . -name '*.java' -print0 | sort -z | xargs -0 sha256sum; cat "$OUT/libs.stamp") | sha256sum | cut -d' ' -f1)
if [ "${PINCTL_FORCE_REBUILD:-}" != 1 ] && [ "$(cat "$OUT/plugin.stamp" 2>/dev/null)" = "$want" ] && [ -f "$PLUGIN/pinctl-sandbox-s3-sink.jar" ]; then
  echo "ok: sandbox S3 sink plugin ($PLUGIN)"
else
  mkdir -p "$tmp/classes"
  find "$SRC" -name '*.java' >"$tmp/sources"
  javac --release 11 -nowarn -d "$tmp/classes" -cp "$OUT/libs/*" @"$tmp/sources" || die "javac (scripts/sandbox.d/connect/s3sink)"
  jar cf "$tmp/pinctl-sandbox-s3-sink.jar" -C "$tmp/classes" .
  rm -rf "$PLUGIN"
  mkdir -p "$PLUGIN"
  mv "$tmp/pinctl-sandbox-s3-sink.jar" "$PLUGIN/"
  echo "$want" >"$OUT/plugin.stamp"
  echo "ok: built sandbox S3 sink plugin ($PLUGIN)"
fi
