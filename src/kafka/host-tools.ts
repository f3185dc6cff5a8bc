import {ConfigError, RemoteCommandError} from '../errors.js'
import {KAFKA_DIR} from '../artifacts.js'
import {HOST_SHELL_PATHS} from '../host/layout.js'
import {shellQuote} from '../ssh/quote.js'
import {shown} from '../ux/printable.js'

/** Kafka's tools and client.properties where setup-client put them ($HOME expands on the host). */
export const KAFKA_HOME = HOST_SHELL_PATHS.kafka
export const CLIENT_PROPERTIES = HOST_SHELL_PATHS.clientProperties

export function kafkaTool(name: 'kafka-topics.sh' | 'kafka-console-consumer.sh'): string {
  return `${KAFKA_HOME}/bin/${name}`
}

/**
 * JVM settings for one-shot admin tools (kafka-topics.sh): client compiler only, serial GC, a small
 * heap. Start-up is most of their run time; on 2 cores three of them side by side finish about a
 * third sooner than with the broker-style defaults (bench/RESULTS.md). Valid on Java 8 to 21.
 */
export const SHORT_LIVED_JVM =
  `KAFKA_JVM_PERFORMANCE_OPTS='-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData' ` + `KAFKA_HEAP_OPTS='-Xms32m -Xmx256m'`

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
