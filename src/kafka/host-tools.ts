import {ConfigError} from '../errors.js'
import {KAFKA_DIR} from '../artifacts.js'
import {shellQuote} from '../ssh/quote.js'

/** Kafka's tools and client.properties where setup-client put them ($HOME expands on the host). */
export const KAFKA_HOME = `"$HOME"/${KAFKA_DIR}`
export const CLIENT_PROPERTIES = `${KAFKA_HOME}/bin/client.properties`

export function kafkaTool(name: 'kafka-topics.sh' | 'kafka-console-consumer.sh'): string {
  return `${KAFKA_HOME}/bin/${name}`
}

/**
 * JVM settings for one-shot admin tools (kafka-topics.sh): client compiler only, serial GC, a small
 * heap. Start-up is most of their run time; on 2 cores three of them side by side finish about a
 * third sooner than with the broker-style defaults (bench/RESULTS.md). Valid on Java 8 to 21.
 */
export const SHORT_LIVED_JVM = `KAFKA_JVM_PERFORMANCE_OPTS='-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData' KAFKA_HEAP_OPTS='-Xms32m -Xmx256m'`

const TOPIC = /^[A-Za-z0-9._-]{1,249}$/

/** Kafka's own rule for topic names; checked before anything reaches the host. */
export function checkTopicName(name: string): string {
  if (!TOPIC.test(name) || name === '.' || name === '..') {
    throw new ConfigError(`invalid topic name ${JSON.stringify(name)}`, 'topic names are 1-249 characters of a-z A-Z 0-9 . _ -')
  }
  return name
}

/** `pin` → `<uid>.pin`; a full topic name passes through. */
export function topicFor(kind: string, topics: {pin: string; geo: string; user: string} | undefined): string {
  if (kind === 'pin' || kind === 'geo' || kind === 'user') {
    if (!topics) throw new ConfigError(`topic "${kind}" needs a user id to name it`, 'pass --user 12b287eedf6d or set PINCTL_USER, or give the full topic name')
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

/**
 * Fails fast (exit 65) when no bootstrap broker accepts a TCP connection from the host, instead of
 * letting a Kafka tool retry for a minute. The list was validated as host:port pairs by the config schema.
 */
export function requireReachableBrokers(bootstrapServers: string): string {
  return `pinctl_reach() {
  for hp in $(printf '%s' "$1" | tr ',' ' '); do
    if timeout 5 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "\${hp%:*}" "\${hp##*:}" 2>/dev/null; then return 0; fi
  done
  return 1
}
if command -v bash >/dev/null 2>&1 && ! pinctl_reach ${shellQuote(bootstrapServers)}; then
  echo "PINCTL_BROKER_UNREACHABLE: no broker of ${bootstrapServers} accepts connections from this host" >&2; exit 65
fi`
}
