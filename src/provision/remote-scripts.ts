import {shellQuote} from '../ssh/quote.js'
import type {Artifact} from '../artifacts.js'
import {HOST_SHELL_PATHS} from '../host/layout.js'
import {PROBE_FUNCTIONS} from '../host/probe.js'
import {KAFKA_TOOL_FUNCTIONS, requireReachableBrokers} from '../kafka/host-tools.js'

/** Exit code a download script uses for a checksum mismatch, so the runner can name it. */
export const CHECKSUM_EXIT = 42
export const CHECKSUM_MARK = 'PINCTL_CHECKSUM_MISMATCH'
export const UNVERIFIED_MARK = 'PINCTL_UNVERIFIED_SHA512'

/**
 * Shell functions for remote scripts: fetch with curl or wget, verify SHA-512, HTTP GET, and stop
 * the process group named in a pid file (TERM, up to 15 s, then KILL; status 0 if it was running).
 * No `set` here: scripts that must go on after a failing command use these too.
 */
export const SHELL_FUNCTIONS = String.raw`fetch_to() {
  if command -v curl >/dev/null 2>&1; then curl -fsSL --retry 2 --connect-timeout 20 -o "$2" "$1"
  else wget -q -T 20 -O "$2" "$1"; fi
}
verify_sha512() {
  actual=$(sha512sum "$1" | cut -d ' ' -f 1)
  if [ -z "$2" ]; then echo "${UNVERIFIED_MARK} $actual" >&2; return 0; fi
  if [ "$actual" != "$2" ]; then echo "${CHECKSUM_MARK} expected=$2 actual=$actual" >&2; exit ${CHECKSUM_EXIT}; fi
}
http_get() {
  if command -v curl >/dev/null 2>&1; then curl -fsS --max-time 5 "$1"
  else wget -q -T 5 -O - "$1"; fi
}
stop_pid_file() {
  [ -f "$1" ] || return 1
  pid=$(cat "$1")
  if ! kill -0 "$pid" 2>/dev/null; then rm -f "$1"; return 1; fi
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  i=0; while kill -0 "$pid" 2>/dev/null && [ $i -lt 30 ]; do sleep 0.5; i=$((i+1)); done
  kill -KILL -- "-$pid" 2>/dev/null || true
  rm -f "$1"
}
`

const PRELUDE = `set -eu\n${SHELL_FUNCTIONS}`

/** Files of an archive not to install: those in `dir` (relative to its top directory) whose names match `names`, a shell case pattern. */
export interface LeftOut {
  dir: string
  names: string
}

/**
 * Download, verify and unpack an archive into a temp dir under $HOME, then move its top
 * directory into place in one rename. A failure anywhere leaves no partial directory behind.
 */
export function installArchiveScript(artifact: Artifact, topDir: string, dest: string, mustContain: string, leftOut?: LeftOut): string {
  const leaveOut = leftOut
    ? `for f in "$tmp/unpacked/${topDir}/${leftOut.dir}/"*; do
  case "$f" in ${leftOut.names}) rm -f "$f" ;; esac
done
`
    : ''
  return `${PRELUDE}
dest=${shellQuote(dest)}
tmp=$(mktemp -d "$HOME/.pinctl-download.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fetch_to ${shellQuote(artifact.url)} "$tmp/archive"
verify_sha512 "$tmp/archive" ${shellQuote(artifact.sha512 ?? '')}
mkdir "$tmp/unpacked"
tar -xzf "$tmp/archive" -C "$tmp/unpacked"
if [ ! -e "$tmp/unpacked/${topDir}/${mustContain}" ]; then
  echo "the archive has no ${topDir}/${mustContain}: not the expected package" >&2; exit 43
fi
${leaveOut}if [ -e "$dest" ]; then mv "$dest" "$tmp/previous"; fi
mv "$tmp/unpacked/${topDir}" "$dest"
`
}

/** Puts exactly one IAM auth jar into libs/: the new one atomically, then the others removed. */
export function installJarScript(artifact: Artifact, libs: string): string {
  return `${PRELUDE}
libs=${shellQuote(libs)}
tmp=$(mktemp "$libs/.pinctl-tmp.XXXXXX")
trap 'rm -f "$tmp"' EXIT
fetch_to ${shellQuote(artifact.url)} "$tmp"
verify_sha512 "$tmp" ${shellQuote(artifact.sha512 ?? '')}
chmod 0644 "$tmp"
mv -f "$tmp" "$libs/${artifact.name}"
for jar in "$libs"/aws-msk-iam-auth-*.jar; do
  [ "$jar" = "$libs/${artifact.name}" ] || rm -f "$jar"
done
`
}

export const CLASSPATH_PATTERN = String.raw`^[[:space:]]*export[[:space:]]+CLASSPATH=.*aws-msk-iam-auth`

/** Replaces every CLASSPATH export of an IAM jar in ~/.bashrc with the one line wanted (atomic, .bak kept). */
export function classpathScript(line: string): string {
  return `set -eu
f="$HOME/.bashrc"
touch "$f"
tmp=$(mktemp "$HOME/.bashrc.pinctl.XXXXXX")
trap 'rm -f "$tmp"' EXIT
grep -v -E '${CLASSPATH_PATTERN}' "$f" > "$tmp" || true
printf '%s\\n' ${shellQuote(line)} >> "$tmp"
chmod 0644 "$tmp"
cp -p "$f" "$f.bak"
mv -f "$tmp" "$f"
`
}

export function javaInstallScript(packageManager: 'dnf' | 'yum' | 'apt-get', pkg: string): string {
  if (packageManager === 'apt-get') {
    return (
      `set -eu\nexport DEBIAN_FRONTEND=noninteractive\nsudo -n apt-get update -q\nsudo -n -E apt-get install -y -q ` +
      `${shellQuote(pkg)}\n`
    )
  }
  return `set -eu\nsudo -n ${packageManager} install -y -q ${shellQuote(pkg)}\n`
}

export interface ServiceScriptInput {
  confluentDir: string
  /** Checked from the host first: with no broker reachable the proxy could never answer GET /topics. */
  bootstrapServers: string
  restProperties: string
  port: number
  appliedFile: string
  appliedHash: string
  /** systemd: unit already written; start/restart it. Fallback: env file + pid file. */
  systemd: boolean
  envFile: string
  pidFile: string
  logFile: string
  waitSeconds: number
}

/** (Re)starts the REST proxy and waits until GET /topics answers; prints the log tail if it dies. */
export function restProxyStartScript(input: ServiceScriptInput): string {
  const start = input.systemd
    ? `sudo -n systemctl daemon-reload
sudo -n systemctl enable --quiet kafka-rest
sudo -n systemctl restart kafka-rest
alive() { systemctl is-active --quiet kafka-rest; }
show_log() { sudo -n journalctl -u kafka-rest -n 25 --no-pager >&2 || true; }`
    : `pidfile=${shellQuote(input.pidFile)}
logfile=${shellQuote(input.logFile)}
mkdir -p "$(dirname "$pidfile")"
stop_pid_file "$pidfile" || true
set -a; . ${shellQuote(input.envFile)}; set +a
nohup setsid ${shellQuote(`${input.confluentDir}/bin/kafka-rest-start`)} ${shellQuote(input.restProperties)} > "$logfile" 2>&1 < /dev/null &
echo $! > "$pidfile"
alive() { kill -0 "$(cat "$pidfile")" 2>/dev/null; }
show_log() { tail -n 25 "$logfile" >&2 || true; }`
  return `${PRELUDE}
${requireReachableBrokers(input.bootstrapServers)}
${start}
i=0
until http_get http://127.0.0.1:${input.port}/topics >/dev/null 2>&1; do
  if ! alive; then echo "the REST proxy exited during start-up:" >&2; show_log; exit 1; fi
  i=$((i+1))
  if [ $i -gt ${input.waitSeconds * 10} ]; then
    echo "the REST proxy did not answer GET /topics within ${input.waitSeconds}s:" >&2; show_log; exit 1
  fi
  sleep 0.1
done
mkdir -p "$(dirname ${shellQuote(input.appliedFile)})"
printf '%s\\n' ${shellQuote(input.appliedHash)} > ${shellQuote(input.appliedFile)}
`
}

/**
 * Read-only checks after provisioning: the broker answers with client.properties, the proxy answers
 * GET /topics. Paths are the home-relative shell words, so the script needs no facts and can start
 * as soon as the connection is open. The proxy is asked while the listing's JVM starts (into a temp
 * file, removed at exit; in sequence where mktemp is missing). The listing uses the tool's CDS archive
 * but does not wait to write one: a missing archive is written afterwards in the background (see
 * KAFKA_TOOL_FUNCTIONS).
 */
export function verifyScript(bootstrapServers: string, port: number): string {
  const list =
    `timeout 120 ${HOST_SHELL_PATHS.kafka}/bin/kafka-topics.sh --bootstrap-server ${shellQuote(bootstrapServers)} ` +
    `--command-config ${HOST_SHELL_PATHS.clientProperties} --list`
  const get = `http_get http://127.0.0.1:${Number(port)}/topics`
  return `${PRELUDE}
${PROBE_FUNCTIONS}
${requireReachableBrokers(bootstrapServers)}
${KAFKA_TOOL_FUNCTIONS}
set +e
proxy_file=$(mktemp 2>/dev/null) || proxy_file=
if [ -n "$proxy_file" ]; then
  trap 'rm -f "$proxy_file"' EXIT
  ${get} > "$proxy_file" 2>&1 &
  proxy_pid=$!
fi
PINCTL_CDS_DUMP=no pinctl_jvm topics
out=$(${list} 2>&1)
rc=$?
kv kafka-topics.rc "$rc"
[ "$rc" = 0 ] && pinctl_cds_later topics pinctl_idle ${list}
kv kafka-topics.out "$(printf '%s\\n' "$out" | tail -n 40 | b64s)"
if [ -n "$proxy_file" ]; then
  wait "$proxy_pid"
  proxy_rc=$?
  proxy=$(cat "$proxy_file")
else
  proxy=$(${get} 2>&1)
  proxy_rc=$?
fi
kv rest-proxy.rc "$proxy_rc"
kv rest-proxy.out "$(printf '%s' "$proxy" | head -c 2000 | b64s)"
case "$(printf '%s' "$proxy" | tr -d '[:space:]')" in \\[*\\]) kv rest-proxy.array yes ;; *) kv rest-proxy.array no ;; esac
`
}
