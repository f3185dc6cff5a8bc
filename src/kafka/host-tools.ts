import {ConfigError, RemoteCommandError} from '../errors.js'
import {KAFKA_DIR} from '../artifacts.js'
import {HOST_SHELL_PATHS, JAVA_RELEASE_FUNCTION} from '../host/layout.js'
import {shellQuote} from '../ssh/quote.js'
import {shown} from '../ux/printable.js'

/** Kafka's tools and client.properties where setup-client put them ($HOME expands on the host). */
export const KAFKA_HOME = HOST_SHELL_PATHS.kafka
export const CLIENT_PROPERTIES = HOST_SHELL_PATHS.clientProperties

export function kafkaTool(name: 'kafka-topics.sh' | 'kafka-console-consumer.sh'): string {
  return `${KAFKA_HOME}/bin/${name}`
}

/**
 * The files of libs/ that Kafka's kafka-run-class.sh leaves off the class path, as a shell `case` pattern: its
 * test is the regex `(-(test|test-sources|src|scaladoc|javadoc)\.jar|jar.asc)$`, whose names this matches
 * (`?` for the regex's `.` before asc). Apache's tarball has such files in libs/ (the core project's javadoc,
 * test and test-sources jars and the signatures; its sources jar is on the class path); setup-client does not
 * install them (KAFKA_LEFT_OUT).
 */
export const OFF_CLASS_PATH = '*-test.jar|*-test-sources.jar|*-src.jar|*-scaladoc.jar|*-javadoc.jar|*jar?asc'

/**
 * What pinctl_jvm gives kafka-run-class.sh as KAFKA_JMX_OPTS when the host's environment sets none: a system property
 * nothing reads. Left empty, the script passes -Dcom.sun.management.jmxremote (and its authenticate/ssl settings),
 * and with that property set at all the JVM starts its local management agent before the tool runs: about a third of
 * a second of every one-shot tool on the sandbox host (kafka-topics.sh --list with its archive: 314 → 669 ms).
 */
export const NO_JMX_AGENT = '-Dpinctl.kafka.jmx=off'

/** The class-data-sharing archives of the Kafka tools, one per tool, on the host. */
export const CDS_DIR = '"$HOME"/.pinctl/cds'

/**
 * Shell functions that run a one-shot Kafka tool (kafka-topics.sh, the console consumer) with
 * JVM settings for short runs: client compiler only, serial GC, a heap whose young generation is
 * large enough that a short run needs no collection (on 2 cores three side by side finish about a
 * third sooner than with the broker-style defaults), one compiler thread on Java 17 or newer (a
 * kafka-topics.sh --list 15% sooner with the young generation, bench/RESULTS.md), and, on Java 13
 * or newer, an AppCDS archive of the classes the tool loads: the JVM then maps them instead of
 * loading and verifying them, which halves a kafka-topics.sh --list.
 *
 * The first run of a tool without its archive writes it at exit (-XX:ArchiveClassesAtExit, about
 * 0.8 s more, once) under ~/.pinctl/cds, named by the Java version and a checksum of the
 * classpath (libs/ and $CLASSPATH: each jar's name, size and mtime in seconds, what the JVM checks
 * before it maps an archive), so a changed classpath, a jar written again, or a new JDK gets a new one; the file is
 * written beside its name and renamed only after a clean exit, one writer at a time (a lock
 * directory), and older archives of the tool are removed then. With PINCTL_CDS_DUMP=no a run
 * only uses an archive; pinctl_cds_later then writes the missing one in the background, on CPU
 * nothing else wants (pinctl_idle: SCHED_IDLE where chrt exists, else nice 19), so a fresh host is
 * not kept waiting for it and the host's other work is not slowed by it. Java 8 and 11 hosts, a home with
 * blanks, or an unreadable JDK `release` file keep the plain settings. JVM logging is off but for
 * errors, so a mismatched archive is ignored silently instead of printing on stdout.
 *
 * On every Java, the tool runs without the JMX agent kafka-run-class.sh starts by default (NO_JMX_AGENT;
 * JMX_PORT is unset too: a one-shot tool that inherits the broker's port fails with "port already in use"),
 * and pinctl_same_class_path spares it kafka-run-class.sh's test of each file of
 * libs/: Apache's script leaves test and doc jars and signatures off by running egrep on
 * each file name in a command substitution, a subshell and a grep a file (~2.5 ms each here, a
 * quarter of a second for a hundred jars) on every run, and where GNU grep is 3.8 or newer (RHEL 10,
 * Arch; Debian's is patched quiet) each egrep call also writes "egrep: warning: egrep is obsolescent"
 * to stderr (Kafka replaced egrep in 2022, after 2.8.1). Where libs/ holds no such file, the script's
 * own switch INCLUDE_TEST_JARS=true (take every file, no test) gives the same class path; the
 * check is a shell `case` over the names (OFF_CLASS_PATH), so nothing is forked. Apache's tarball has
 * such files, so this holds where setup-client installed Kafka (it leaves them out) and not where
 * the tarball was unpacked whole: there the script tests each jar as before.
 */
export const KAFKA_TOOL_FUNCTIONS = `${JAVA_RELEASE_FUNCTION}
pinctl_same_class_path() {
  for pinctl_lib in ${KAFKA_HOME}/libs/*; do
    case "$pinctl_lib" in ${OFF_CLASS_PATH}) return 0 ;; esac
  done
  INCLUDE_TEST_JARS=true
  export INCLUDE_TEST_JARS
}
pinctl_jvm() {
  pinctl_same_class_path
  KAFKA_JMX_OPTS=\${KAFKA_JMX_OPTS:-${NO_JMX_AGENT}}
  export KAFKA_JMX_OPTS
  unset JMX_PORT
  KAFKA_HEAP_OPTS='-Xms128m -Xmn96m -Xmx256m'
  KAFKA_JVM_PERFORMANCE_OPTS='-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData'
  export KAFKA_HEAP_OPTS KAFKA_JVM_PERFORMANCE_OPTS
  pinctl_cds_tmp=
  pinctl_cds_state=none
  pinctl_java=$(command -v "\${JAVA_HOME:+$JAVA_HOME/bin/}java" 2>/dev/null) || return 0
  pinctl_java_release "$pinctl_java"
  pinctl_jver=$pinctl_jrel
  case "\${pinctl_jver%%.*}" in ''|*[!0-9]*) return 0 ;; esac
  [ "\${pinctl_jver%%.*}" -ge 13 ] || return 0
  if [ "\${pinctl_jver%%.*}" -ge 17 ]; then KAFKA_JVM_PERFORMANCE_OPTS="$KAFKA_JVM_PERFORMANCE_OPTS -XX:CICompilerCount=1"; fi
  pinctl_cds=${CDS_DIR}
  pinctl_key=$({ echo "$pinctl_jver"; echo "\${CLASSPATH:-}"; pinctl_jars; } 2>/dev/null | cksum)
  pinctl_key=\${pinctl_key%% *}
  pinctl_archive="$pinctl_cds/$1-$pinctl_key.jsa"
  case "$pinctl_archive" in *[[:space:]]*) return 0 ;; esac
  pinctl_quiet='-Xlog:disable -Xlog:all=error:stderr'
  if [ -s "$pinctl_archive" ]; then
    KAFKA_JVM_PERFORMANCE_OPTS="$KAFKA_JVM_PERFORMANCE_OPTS -XX:SharedArchiveFile=$pinctl_archive $pinctl_quiet"
    pinctl_cds_state=use
    return 0
  fi
  pinctl_cds_state=missing
  [ "\${PINCTL_CDS_DUMP:-yes}" = yes ] || return 0
  mkdir -p "$pinctl_cds" 2>/dev/null || return 0
  find "$pinctl_cds" -maxdepth 1 -name '*.lock' -mmin +10 -exec rmdir {} + 2>/dev/null
  mkdir "$pinctl_archive.lock" 2>/dev/null || return 0
  rm -f "$pinctl_cds/$1"-*.jsa.tmp.*
  pinctl_cds_tmp="$pinctl_archive.tmp.$$"
  pinctl_cds_state=dump
  KAFKA_JVM_PERFORMANCE_OPTS="$KAFKA_JVM_PERFORMANCE_OPTS -XX:ArchiveClassesAtExit=$pinctl_cds_tmp $pinctl_quiet"
}
pinctl_jars() {
  stat -c '%n %s %Y' ${KAFKA_HOME}/libs/* 2>/dev/null || ls -l ${KAFKA_HOME}/libs
  (IFS=:; for pinctl_jar in \${CLASSPATH:-}; do [ -f "$pinctl_jar" ] && stat -c '%n %s %Y' "$pinctl_jar"; done) 2>/dev/null
}
pinctl_cds_done() {
  [ -n "$pinctl_cds_tmp" ] || return 0
  pinctl_final=\${pinctl_cds_tmp%.tmp.*}
  if [ "$1" = 0 ] && [ -s "$pinctl_cds_tmp" ]; then
    rm -f "\${pinctl_final%-*}"-*.jsa
    mv -f "$pinctl_cds_tmp" "$pinctl_final"
  fi
  rm -f "$pinctl_cds_tmp"
  rmdir "$pinctl_final.lock" 2>/dev/null
  pinctl_cds_tmp=
}
pinctl_cds_later() {
  [ "$pinctl_cds_state" = missing ] || return 0
  [ -d "$pinctl_archive.lock" ] && return 0
  (PINCTL_CDS_DUMP=yes pinctl_tool "$@" >/dev/null 2>&1 </dev/null) >/dev/null 2>&1 </dev/null &
}
pinctl_idle() {
  if command -v chrt >/dev/null 2>&1; then chrt -i 0 nice -n 19 "$@"; else nice -n 19 "$@"; fi
}
pinctl_tool() {
  pinctl_jvm "$1"; shift
  if "$@"; then pinctl_rc=0; else pinctl_rc=$?; fi
  pinctl_cds_done "$pinctl_rc"
  return "$pinctl_rc"
}`

/** The archive each tool's runs share: the classes kafka-topics.sh and the console consumer load differ. */
export type KafkaToolArchive = 'topics' | 'consumer'

/**
 * `command` (a Kafka tool and its arguments, already quoted) run through pinctl_tool: needs
 * KAFKA_TOOL_FUNCTIONS earlier in the script; its exit status is the tool's.
 */
export function kafkaToolCall(archive: KafkaToolArchive, command: string): string {
  return `pinctl_tool ${archive} ${command}`
}

const TOPIC = /^[A-Za-z0-9._-]{1,249}$/

/** Kafka's own rule for topic names; checked before anything reaches the host. */
export function checkTopicName(name: string): string {
  if (!TOPIC.test(name) || name === '.' || name === '..') {
    throw new ConfigError(`invalid topic name "${shown(name, 100)}"`, 'topic names are 1-249 characters of a-z A-Z 0-9 . _ -')
  }
  return name
}

/** Kafka refuses an empty or blank group id, but only after the consumer has started: refuse it first. */
export function checkGroupName(group: string): string {
  if (group.trim() === '')
    throw new ConfigError('the consumer group cannot be empty', 'pass --group NAME, or leave --group out for the default group "students"')
  return group
}

/** `pin` → `<uid>.pin`; a full topic name passes through. */
export function topicFor(kind: string, topics: {pin: string; geo: string; user: string} | undefined): string {
  if (kind === 'pin' || kind === 'geo' || kind === 'user') {
    if (!topics)
      throw new ConfigError(
        `topic "${kind}" needs a user id to name it`,
        'pass --user 12b287eedf6d or set PINCTL_USER, or give the full topic name',
      )
    return topics[kind]
  }
  return checkTopicName(kind)
}

/** Prelude for scripts that run Kafka tools: fail clearly when setup-client has not run. */
export function requireKafkaTools(): string {
  return `if [ ! -x ${kafkaTool('kafka-topics.sh')} ] || [ ! -f ${CLIENT_PROPERTIES} ]; then
  echo "PINCTL_NO_KAFKA: Kafka tools or client.properties missing under ~/${KAFKA_DIR}" >&2; exit 64
fi`
}

export function connectionArgs(bootstrapServers: string, configFlag: '--command-config' | '--consumer.config'): string {
  return `--bootstrap-server ${shellQuote(bootstrapServers)} ${configFlag} ${CLIENT_PROPERTIES}`
}

const REACH_FUNCTION = `pinctl_reach() {
  for hp in $(printf '%s' "$1" | tr ',' ' '); do
    if timeout 5 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "\${hp%:*}" "\${hp##*:}" 2>/dev/null; then return 0; fi
  done
  return 1
}`

/** `$1` is a broker list; exits 65 with PINCTL_BROKER_UNREACHABLE when none of them accepts a TCP connection. */
function reachOrExit(list: string): string {
  const named = list.startsWith('"') ? list.slice(1, -1) : list
  return `if command -v bash >/dev/null 2>&1 && ! pinctl_reach ${list}; then
  echo "PINCTL_BROKER_UNREACHABLE: no broker of ${named} accepts connections from this host" >&2; exit 65
fi`
}

/**
 * Fails fast (exit 65) when no bootstrap broker accepts a TCP connection from the host, instead of
 * letting a Kafka tool retry for a minute. The list was validated as host:port pairs by the config schema.
 */
export function requireReachableBrokers(bootstrapServers: string): string {
  return `${REACH_FUNCTION}
${reachOrExit(shellQuote(bootstrapServers))}`
}

/**
 * The same check for the brokers the REST proxy talks to, read from its kafka-rest.properties on the
 * host: a stopped broker then fails a produce in a second instead of after the proxy's max.block.ms.
 * Without the file (another proxy setup) there is nothing to check, and the proxy answers for itself.
 */
export function requireProxyBrokersReachable(restProperties: string): string {
  return `${REACH_FUNCTION}
bs=$(sed -n 's/^[[:space:]]*bootstrap\\.servers[[:space:]]*=[[:space:]]*//p' ${restProperties} 2>/dev/null | tail -n 1 | tr -d '[:space:]')
if [ -n "$bs" ]; then
${reachOrExit('"$bs"')}
fi`
}

/** Turns the prelude checks' exit codes (no Kafka on the host, brokers unreachable) into clear errors. */
export function failOnPreludeExit(code: number | null, stderr: string, bootstrapServers = ''): void {
  if (code === 64 && stderr.includes('PINCTL_NO_KAFKA')) {
    throw new ConfigError('Kafka is not installed on the host (or client.properties is missing)', 'run `pinctl setup-client` first')
  }
  if (code === 65 && stderr.includes('PINCTL_BROKER_UNREACHABLE')) {
    const servers = bootstrapServers || /no broker of (\S+) accepts/.exec(stderr)?.[1] || ''
    throw new RemoteCommandError(`cannot reach the brokers ${shown(servers, 300)} from the host`, BROKER_UNREACHABLE_HINT)
  }
}

export const BROKER_UNREACHABLE_HINT =
  "check the bootstrap servers and that the cluster's security group admits the client host; `pinctl doctor` checks each layer"
