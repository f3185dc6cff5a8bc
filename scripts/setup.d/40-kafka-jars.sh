#!/usr/bin/env bash
# 40-kafka-jars.sh — sandbox data plane jars and artifacts (idempotent; fast when cached).
#
# 1. Maven (scripts/sandbox.d/maven/pom.xml, maven-dependency-plugin) resolves from Maven Central:
#      org.apache.kafka:kafka_2.12:2.8.1 + runtime deps, org.slf4j:slf4j-log4j12:1.7.30
#        -> $PINCTL_CACHE_DIR/maven/kafka-libs/
#      software.amazon.msk:aws-msk-iam-auth:2.3.6:all (Java 17+), 2.3.4:all (Java 8/11)
#        -> $PINCTL_CACHE_DIR/maven/iam/
#      kafka_2.12:2.8.1's sources, javadoc, test, test-sources jars and .asc signatures (in Apache's libs/ too)
#        -> $PINCTL_CACHE_DIR/maven/kafka-extras/
#    Skipped when the pom is unchanged since the last successful run.
# 2. scripts/sandbox.d/build-artifacts.sh builds the rebuilt Kafka tarball, the REST proxy
#    stand-in package, the mirror tree and the artifacts file (skipped when no input changed).
#
# Env: PINCTL_CACHE_DIR (default $HOME/.cache/pinctl), PINCTL_FORCE_REBUILD=1 to redo both steps.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CACHE=${PINCTL_CACHE_DIR:-$HOME/.cache/pinctl}
POM=$repo/scripts/sandbox.d/maven/pom.xml
MAVEN_DIR=$CACHE/maven

die() { echo "failed: $*" >&2; exit 1; }

# A JDK (javac, jar: the REST proxy stand-in is compiled here) and Maven; apt only when missing.
missing=()
command -v javac >/dev/null 2>&1 && command -v jar >/dev/null 2>&1 || missing+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || missing+=(maven)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || die "apt-get install ${missing[*]}"
fi
command -v javac >/dev/null 2>&1 || die "javac not found (a JDK is needed)"
command -v mvn >/dev/null 2>&1 || die "mvn not found (apt-get install maven)"
echo "ok: JDK $(javac -version 2>&1 | cut -d' ' -f2), Maven ($(command -v mvn))"

mkdir -p "$CACHE"
# one build at a time per cache (a lock on an open descriptor: nothing to clean up)
exec 8>"$CACHE/.kafka-jars.lock"
flock -w 600 8 || die "another 40-kafka-jars.sh holds $CACHE/.kafka-jars.lock"
stamp=$MAVEN_DIR/stamp
want=$(sha256sum < "$POM" | cut -d' ' -f1)
if [ "${PINCTL_FORCE_REBUILD:-}" != 1 ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] \
   && compgen -G "$MAVEN_DIR/kafka-libs/kafka_2.12-2.8.1.jar" >/dev/null \
   && [ -f "$MAVEN_DIR/kafka-extras/kafka_2.12-2.8.1-test.jar" ] \
   && [ -f "$MAVEN_DIR/iam/aws-msk-iam-auth-2.3.6-all.jar" ] && [ -f "$MAVEN_DIR/iam/aws-msk-iam-auth-2.3.4-all.jar" ]; then
  echo "ok: Kafka 2.8.1 and aws-msk-iam-auth 2.3.6/2.3.4 jars ($MAVEN_DIR)"
else
  echo "installing: Kafka 2.8.1 and aws-msk-iam-auth 2.3.6/2.3.4 jars from Maven Central"
  tmp=$(mktemp -d "$CACHE/.maven.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  if ! mvn -B -q -Dstyle.color=never -f "$POM" \
        -Dlibs.dir="$tmp/kafka-libs" -Diam.dir="$tmp/iam" -Dextras.dir="$tmp/kafka-extras" package >"$tmp/mvn.log" 2>&1; then
    tail -n 40 "$tmp/mvn.log" >&2
    die "Maven failed (log above)"
  fi
  [ -f "$tmp/iam/aws-msk-iam-auth-2.3.6-all.jar" ] || die "aws-msk-iam-auth-2.3.6-all.jar not resolved"
  [ -f "$tmp/iam/aws-msk-iam-auth-2.3.4-all.jar" ] || die "aws-msk-iam-auth-2.3.4-all.jar not resolved"
  mkdir -p "$MAVEN_DIR"
  [ -f "$tmp/kafka-extras/kafka_2.12-2.8.1-test.jar" ] || die "kafka_2.12-2.8.1-test.jar not resolved"
  rm -rf "$MAVEN_DIR/kafka-libs" "$MAVEN_DIR/iam" "$MAVEN_DIR/kafka-extras"
  mv "$tmp/kafka-libs" "$MAVEN_DIR/kafka-libs"
  mv "$tmp/iam" "$MAVEN_DIR/iam"
  mv "$tmp/kafka-extras" "$MAVEN_DIR/kafka-extras"
  echo "$want" > "$stamp"
  echo "ok: $(ls "$MAVEN_DIR/kafka-libs" | wc -l) Kafka jars, $(ls "$MAVEN_DIR/iam" | tr '\n' ' ')($MAVEN_DIR)"
fi
rm -rf "$repo/scripts/sandbox.d/maven/target"

if [ "${PINCTL_FORCE_REBUILD:-}" = 1 ]; then
  PINCTL_CACHE_DIR=$CACHE bash "$repo/scripts/sandbox.d/build-artifacts.sh" --force
else
  PINCTL_CACHE_DIR=$CACHE bash "$repo/scripts/sandbox.d/build-artifacts.sh"
fi
