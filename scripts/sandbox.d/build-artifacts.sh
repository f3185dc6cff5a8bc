#!/usr/bin/env bash
# build-artifacts.sh — builds the sandbox's mirror artifacts from the Maven jars.
#
# Called by scripts/setup.d/40-kafka-jars.sh after Maven resolved the jars into
#   $PINCTL_CACHE_DIR/maven/kafka-libs   (kafka_2.12 2.8.1 + runtime deps + slf4j-log4j12)
#   $PINCTL_CACHE_DIR/maven/iam          (aws-msk-iam-auth-<ver>-all.jar)
#   $PINCTL_CACHE_DIR/maven/kafka-extras (kafka_2.12 2.8.1's sources/javadoc/test/test-sources jars and .asc
#                                         signatures, which Apache's tarball also has in libs/)
# Produces (only when an input changed; otherwise it says "up to date"):
#   $PINCTL_CACHE_DIR/artifacts/mirror/dist/kafka/2.8.1/kafka_2.12-2.8.1.tgz            rebuilt Kafka tarball
#   $PINCTL_CACHE_DIR/artifacts/mirror/dist/kafka/2.8.1/kafka_2.12-2.8.1.tgz.sha512     (Apache's gpg --print-md format)
#   $PINCTL_CACHE_DIR/artifacts/mirror/maven2/software/amazon/msk/aws-msk-iam-auth/<ver>/aws-msk-iam-auth-<ver>-all.jar (pinned URL)
#   $PINCTL_CACHE_DIR/artifacts/mirror/aws/aws-msk-iam-auth/releases/download/v<ver>/aws-msk-iam-auth-<ver>-all.jar (seed's URL)
#   $PINCTL_CACHE_DIR/artifacts/mirror/archive/7.2/confluent-7.2.0.tar.gz              REST proxy stand-in package
#   $PINCTL_CACHE_DIR/artifacts/mirror/api/plugins/confluentinc/kafka-connect-s3/versions/10.0.3/confluentinc-kafka-connect-s3-10.0.3.zip
#                                                                                      S3 sink stand-in plugin zip
#   $PINCTL_CACHE_DIR/artifacts/artifacts.json   {"<url path>": "<sha512 hex>"} for every mirror file
#   $PINCTL_CACHE_DIR/kafka/kafka_2.12-2.8.1/    the tarball extracted (the sandbox broker runs from it)
# Archives are reproducible: sorted entries, mtime 0, owner 0:0, fixed modes, gzip -n.
#
# Usage: build-artifacts.sh [--force]
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE=${PINCTL_CACHE_DIR:-$HOME/.cache/pinctl}
LIBS=$CACHE/maven/kafka-libs
IAM=$CACHE/maven/iam
EXTRAS=$CACHE/maven/kafka-extras
OUT=$CACHE/artifacts
KAFKA_RUN=$CACHE/kafka
KAFKA_NAME=kafka_2.12-2.8.1
CONFLUENT_NAME=confluent-7.2.0
FORCE=${1:-}

die() { echo "failed: $*" >&2; exit 1; }

for t in java javac jar tar gzip sha512sum sha256sum; do
  command -v "$t" >/dev/null || die "$t not found (Java 17 JDK, tar, gzip and coreutils are needed)"
done
compgen -G "$LIBS/kafka_2.12-2.8.1.jar" >/dev/null || die "Kafka jars missing in $LIBS (run scripts/setup.d/40-kafka-jars.sh)"
compgen -G "$EXTRAS/$KAFKA_NAME-test.jar" >/dev/null || die "Kafka's release extras missing in $EXTRAS (run scripts/setup.d/40-kafka-jars.sh)"
compgen -G "$IAM/aws-msk-iam-auth-*-all.jar" >/dev/null || die "aws-msk-iam-auth jars missing in $IAM (run scripts/setup.d/40-kafka-jars.sh)"

# ---- input fingerprint: our sources (content + mode), the jars, the JDK that compiles
fingerprint() {
  {
    echo "format 1"
    javac -version 2>&1
    jar --version 2>&1 || true
    tar --version | head -1
    (cd "$here" && find build-artifacts.sh kafka-dist rest-proxy connect/standin_plugin_zip.py -type f | LC_ALL=C sort | while read -r f; do
      printf '%s %s %s\n' "$f" "$(stat -c %a "$f")" "$(sha256sum < "$f" | cut -d' ' -f1)"
    done)
    (cd "$LIBS" && ls -1 | LC_ALL=C sort | xargs sha256sum)
    (cd "$IAM" && ls -1 | LC_ALL=C sort | xargs sha256sum)
    (cd "$EXTRAS" && ls -1 | LC_ALL=C sort | xargs sha256sum)
  } | sha256sum | cut -d' ' -f1
}
fp=$(fingerprint)
if [ "$FORCE" != "--force" ] && [ -f "$OUT/stamp" ] && [ "$(cat "$OUT/stamp")" = "$fp" ] \
   && [ -f "$OUT/artifacts.json" ] && [ -x "$KAFKA_RUN/$KAFKA_NAME/bin/kafka-run-class.sh" ]; then
  echo "ok: sandbox artifacts: rebuilt Kafka tarball, REST proxy stand-in, mirror ($OUT)"
  exit 0
fi

echo "installing: sandbox artifacts (rebuilt $KAFKA_NAME.tgz, $CONFLUENT_NAME.tar.gz stand-in, mirror) into $OUT"
mkdir -p "$CACHE"
work=$(mktemp -d "$CACHE/.build-artifacts.XXXXXX")
trap 'rm -rf "$work"' EXIT

# reproducible tar.gz of $2 (a top directory under $1) into $3
repro_tgz() {
  local parent=$1 top=$2 dest=$3
  # fixed modes: directories and executables 755, everything else 644
  find "$parent/$top" -type d -exec chmod 755 {} +
  find "$parent/$top" -type f -perm /111 -exec chmod 755 {} +
  find "$parent/$top" -type f ! -perm /111 -exec chmod 644 {} +
  tar -C "$parent" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner \
      --format=gnu -cf - "$top" | gzip -n -9 > "$dest"
}

mirror=$work/mirror
mkdir -p "$mirror/dist/kafka/2.8.1" "$mirror/archive/7.2"

# ---- 1. the rebuilt Kafka tarball
stage=$work/kafka
mkdir -p "$stage/$KAFKA_NAME/libs"
cp -R "$here/kafka-dist/bin" "$here/kafka-dist/config" "$here/kafka-dist/SANDBOX-REBUILD.txt" "$stage/$KAFKA_NAME/"
cp "$LIBS"/*.jar "$stage/$KAFKA_NAME/libs/"
# As in Apache's tarball (its releaseTarGz copies the core project's published artifacts into libs/): the
# sources, javadoc, test and test-sources jars and the signatures, which kafka-run-class.sh leaves off the class path.
cp "$EXTRAS"/* "$stage/$KAFKA_NAME/libs/"
repro_tgz "$stage" "$KAFKA_NAME" "$mirror/dist/kafka/2.8.1/$KAFKA_NAME.tgz"
# Apache publishes "<name>: HEX" (gpg --print-md SHA512: upper case, groups of 8, wrapped at 79 columns)
python3 - "$mirror/dist/kafka/2.8.1/$KAFKA_NAME.tgz" <<'PY'
import hashlib, os, sys
path = sys.argv[1]
name = os.path.basename(path)
h = hashlib.sha512(open(path, "rb").read()).hexdigest().upper()
groups = [h[i:i + 8] for i in range(0, len(h), 8)]
prefix = name + ": "
lines, cur = [], prefix
for g in groups:
    if cur != prefix and cur.strip() and len(cur) + 1 + len(g) > 79:
        lines.append(cur)
        cur = " " * len(prefix)
    cur += ("" if cur.endswith(" ") else " ") + g
lines.append(cur)
open(path + ".sha512", "w").write("\n".join(lines) + "\n")
PY

# ---- 2. the REST proxy stand-in package (confluent-7.2.0 layout)
cls=$work/classes
mkdir -p "$cls"
javac --release 8 -nowarn -encoding UTF-8 -d "$cls" -cp "$LIBS/*" "$here/rest-proxy/RestProxyStandIn.java"
rstage=$work/confluent
pkg=$rstage/$CONFLUENT_NAME
mkdir -p "$pkg/share/java/kafka-rest" "$pkg/share/doc/kafka-rest-standin"
cp -R "$here/rest-proxy/dist/." "$pkg/"
cp "$here/rest-proxy/RestProxyStandIn.java" "$pkg/share/doc/kafka-rest-standin/"
jar_args=()
while read -r f; do jar_args+=(-C "$cls" "$f"); done < <(cd "$cls" && find . -name '*.class' | LC_ALL=C sort | sed 's|^\./||')
printf 'Implementation-Title: pinctl sandbox REST proxy stand-in (not Confluent software)\nMain-Class: pinctl.sandbox.RestProxyStandIn\n' > "$work/manifest.txt"
jar --create --date=1980-01-01T00:00:02Z --file "$pkg/share/java/kafka-rest/pinctl-rest-proxy-standin.jar" \
    --manifest "$work/manifest.txt" "${jar_args[@]}"
# the Kafka 2.8.1 client jars it runs on (unmodified, from Maven Central)
for pat in kafka-clients- jackson-databind- jackson-core- jackson-annotations- slf4j-api- slf4j-log4j12- log4j- lz4-java- snappy-java- zstd-jni-; do
  compgen -G "$LIBS/${pat}[0-9]*.jar" >/dev/null || die "missing $pat*.jar in $LIBS"
  cp "$LIBS/${pat}"[0-9]*.jar "$pkg/share/java/kafka-rest/"
done
repro_tgz "$rstage" "$CONFLUENT_NAME" "$mirror/archive/7.2/$CONFLUENT_NAME.tar.gz"

# ---- 3. the IAM jars at their Maven Central paths (what pinctl pins) and GitHub release paths (the seed's)
for j in "$IAM"/aws-msk-iam-auth-*-all.jar; do
  base=$(basename "$j")
  ver=${base#aws-msk-iam-auth-}; ver=${ver%-all.jar}
  for d in "$mirror/maven2/software/amazon/msk/aws-msk-iam-auth/$ver" "$mirror/aws/aws-msk-iam-auth/releases/download/v$ver"; do
    mkdir -p "$d"
    cp "$j" "$d/$base"
    chmod 644 "$d/$base"
  done
done

# ---- 3b. the S3 sink plugin zip: Confluent's is on no reachable registry, so a reproducible stand-in
#          (no connector classes; see connect/README.md) at the real URL's path, with a recorded SHA-512
zipdir=$mirror/api/plugins/confluentinc/kafka-connect-s3/versions/10.0.3
mkdir -p "$zipdir"
python3 "$here/connect/standin_plugin_zip.py" "$zipdir/confluentinc-kafka-connect-s3-10.0.3.zip"
chmod 644 "$zipdir/confluentinc-kafka-connect-s3-10.0.3.zip"

# ---- 4. artifacts file: every mirror file's URL path -> sha512 (lowercase hex)
( cd "$mirror" && find . -type f | LC_ALL=C sort | while read -r f; do
    printf '%s\t%s\n' "${f#.}" "$(sha512sum "$f" | cut -d' ' -f1)"
  done ) | python3 -c '
import json, sys
d = {}
for line in sys.stdin:
    p, h = line.rstrip("\n").split("\t")
    d[p] = h
json.dump(d, sys.stdout, indent=2, sort_keys=True)
sys.stdout.write("\n")
' > "$work/artifacts.json"

# ---- 5. extracted Kafka for the sandbox broker
mkdir -p "$work/run"
tar -C "$work/run" -xzf "$mirror/dist/kafka/2.8.1/$KAFKA_NAME.tgz"

# ---- install (swap directories; the previous ones are removed)
mkdir -p "$OUT" "$KAFKA_RUN"
rm -rf "$OUT/mirror.old" "$KAFKA_RUN/$KAFKA_NAME.old"
[ -d "$OUT/mirror" ] && mv "$OUT/mirror" "$OUT/mirror.old"
mv "$mirror" "$OUT/mirror"
mv "$work/artifacts.json" "$OUT/artifacts.json"
[ -d "$KAFKA_RUN/$KAFKA_NAME" ] && mv "$KAFKA_RUN/$KAFKA_NAME" "$KAFKA_RUN/$KAFKA_NAME.old"
mv "$work/run/$KAFKA_NAME" "$KAFKA_RUN/$KAFKA_NAME"
rm -rf "$OUT/mirror.old" "$KAFKA_RUN/$KAFKA_NAME.old"
echo "$fp" > "$OUT/stamp"

echo "ok: sandbox artifacts ($OUT/artifacts.json); $KAFKA_NAME.tgz sha512 $(sha512sum "$OUT/mirror/dist/kafka/2.8.1/$KAFKA_NAME.tgz" | cut -d' ' -f1)"
