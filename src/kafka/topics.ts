import {ConfigError, RemoteCommandError} from '../errors.js'
import {shellQuote} from '../ssh/quote.js'
import type {HostSession} from '../ssh/session.js'
import {
  checkTopicName,
  connectionArgs,
  failOnPreludeExit,
  kafkaTool,
  requireKafkaTools,
  KAFKA_TOOL_FUNCTIONS,
  kafkaToolCall,
  requireReachableBrokers,
} from './host-tools.js'

export interface TopicResult {
  topic: string
  status: 'created' | 'exists' | 'failed'
  reason?: string
}

export interface CreateTopicsOptions {
  bootstrapServers: string
  topics: string[]
  partitions?: number
  replicationFactor?: number
  timeoutSeconds?: number
}

/**
 * The seed's `kafka-topics.sh --create` for each topic, with --if-not-exists, all in ONE remote
 * command whose JVMs run side by side: the cost is about one JVM start-up, not one per topic.
 */
export function createTopicsScript(options: CreateTopicsOptions): string {
  const extra = [
    options.partitions ? `--partitions ${Number(options.partitions)}` : '',
    options.replicationFactor ? `--replication-factor ${Number(options.replicationFactor)}` : '',
  ]
    .filter(Boolean)
    .join(' ')
  const timeout = options.timeoutSeconds ?? 120
  const jobs = options.topics.map(
    (topic, index) =>
      `( ${kafkaToolCall('topics', `timeout ${timeout} ${kafkaTool('kafka-topics.sh')}`)} ` +
      `${connectionArgs(options.bootstrapServers, '--command-config')} --create --if-not-exists --topic ` +
      `${shellQuote(checkTopicName(topic))} ${extra} > "$tmp/${index}.out" 2>&1; echo $? > "$tmp/${index}.rc" ) &`,
  )
  const report = options.topics.map((_, index) => `echo "@@topic ${index} rc=$(cat "$tmp/${index}.rc")"; cat "$tmp/${index}.out"`)
  return [
    'set -u',
    requireKafkaTools(),
    requireReachableBrokers(options.bootstrapServers),
    KAFKA_TOOL_FUNCTIONS,
    'tmp=$(mktemp -d)',
    `trap 'rm -rf "$tmp"' EXIT`,
    ...jobs,
    'wait',
    ...report,
  ].join('\n')
}

export function parseCreateTopics(topics: string[], stdout: string): TopicResult[] {
  const sections = stdout.split(/^@@topic /m).slice(1)
  return topics.map((topic, index) => {
    const section = sections.find((text) => text.startsWith(`${index} `)) ?? ''
    const rc = Number(/^\d+ rc=(\d+)/.exec(section)?.[1] ?? -1)
    const body = section.split('\n').slice(1).join('\n')
    if (rc === 0) return {topic, status: /Created topic/.test(body) ? 'created' : 'exists'}
    if (/TopicExistsException|already exists/.test(body)) return {topic, status: 'exists'}
    return {topic, status: 'failed', reason: topicFailureReason(body, rc)}
  })
}

/** The one line of a Kafka tool's output that says why, instead of a stack trace. */
export function topicFailureReason(output: string, rc: number): string {
  if (rc === 124) return 'timed out waiting for the brokers (security group, bootstrap servers, or --command-config?)'
  const error = output.split('\n').find((line) => /^Error|Exception:|ERROR/.test(line.trim()))
  if (/TopicAuthorizationException|ClusterAuthorizationException|Access denied/i.test(output)) {
    return `access denied: the role needs kafka-cluster:CreateTopic/DescribeTopic permissions (${(error ?? '').trim().slice(0, 200)})`
  }
  if (/InvalidReplicationFactorException/.test(output))
    return `replication factor larger than the number of brokers: pass --replication-factor`
  return (error ?? output.trim().split('\n').at(-1) ?? `exit ${rc}`).trim().slice(0, 300)
}

export async function createTopics(session: HostSession, options: CreateTopicsOptions): Promise<TopicResult[]> {
  const result = await session.exec(createTopicsScript(options))
  failOnPreludeExit(result.code, result.stderr, options.bootstrapServers)
  return parseCreateTopics(options.topics, result.stdout)
}

export async function listTopics(session: HostSession, bootstrapServers: string): Promise<string[]> {
  const output = await runTopicsTool(
    session,
    bootstrapServers,
    `${connectionArgs(bootstrapServers, '--command-config')} --list --exclude-internal`,
    'listing topics',
  )
  return output
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
}

export interface TopicDescription {
  topic: string
  partitionCount: number
  replicationFactor: number
  configs: string
  partitions: Array<{partition: number; leader: number | null; replicas: number[]; isr: number[]}>
}

export async function describeTopics(session: HostSession, bootstrapServers: string, topic?: string): Promise<TopicDescription[]> {
  const filter = topic ? ` --topic ${shellQuote(checkTopicName(topic))}` : ''
  const output = await runTopicsTool(
    session,
    bootstrapServers,
    `${connectionArgs(bootstrapServers, '--command-config')} --describe${filter}`,
    'describing topics',
  )
  const described = parseDescribe(output)
  if (topic && described.length === 0) throw new ConfigError(`topic ${topic} does not exist`, 'create it with `pinctl topics create`')
  return described
}

/** Parses `kafka-topics.sh --describe` (2.8 layout: a summary line, then one line per partition). */
export function parseDescribe(output: string): TopicDescription[] {
  const topics: TopicDescription[] = []
  for (const line of output.split('\n')) {
    const fields = Object.fromEntries([...line.matchAll(/(\w+):\s*(\S*)/g)].map((match) => [match[1], match[2]]))
    if (fields.Topic === undefined) continue
    if (fields.Partition === undefined) {
      topics.push({
        topic: fields.Topic,
        partitionCount: Number(fields.PartitionCount),
        replicationFactor: Number(fields.ReplicationFactor),
        configs: fields.Configs ?? '',
        partitions: [],
      })
      continue
    }
    const ids = (text: string | undefined) => (text ? text.split(',').filter(Boolean).map(Number) : [])
    topics
      .find((entry) => entry.topic === fields.Topic)
      ?.partitions.push({
        partition: Number(fields.Partition),
        leader: fields.Leader === 'none' || fields.Leader === undefined ? null : Number(fields.Leader),
        replicas: ids(fields.Replicas),
        isr: ids(fields.Isr),
      })
  }
  return topics
}

async function runTopicsTool(session: HostSession, bootstrapServers: string, args: string, what: string): Promise<string> {
  const result = await session.exec(
    `${requireKafkaTools()}\n${requireReachableBrokers(bootstrapServers)}\n${KAFKA_TOOL_FUNCTIONS}\n` +
      kafkaToolCall('topics', `timeout 120 ${kafkaTool('kafka-topics.sh')} ${args}`),
  )
  failOnPreludeExit(result.code, result.stderr, bootstrapServers)
  if (result.code !== 0) {
    throw new RemoteCommandError(
      `${what} failed: ${topicFailureReason(`${result.stdout}\n${result.stderr}`, result.code ?? -1)}`,
      'check the bootstrap servers and client.properties; `pinctl doctor` checks each layer',
      {code: result.code, stderr: result.stderr},
    )
  }
  return result.stdout
}

export function failedTopicsMessage(failed: number, total: number): string {
  return `${failed} of ${total} topics could not be created`
}
