import {ConfigError} from '../errors.js'
import {KAFKA_DIR} from '../provision/artifacts.js'
import {shellQuote} from '../ssh/quote.js'

/** Kafka's tools and client.properties where setup-client put them ($HOME expands on the host). */
export const KAFKA_HOME = `"$HOME"/${KAFKA_DIR}`
export const CLIENT_PROPERTIES = `${KAFKA_HOME}/bin/client.properties`

export function kafkaTool(name: 'kafka-topics.sh' | 'kafka-console-consumer.sh'): string {
  return `${KAFKA_HOME}/bin/${name}`
}

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
