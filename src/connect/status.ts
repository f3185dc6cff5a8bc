import type {AwsSettings} from '../aws/clients.js'
import {describeConnector, describeCustomPlugin} from '../aws/kafkaconnect.js'
import {summarizePrefix} from '../aws/s3.js'
import {findConnector} from './connector.js'
import {describeCapacity} from './connector-request.js'
import {formatAge, formatBytes} from './format.js'
import {findPlugin} from './plugin.js'
import {type Clock, systemClock} from '../clock.js'

export interface TopicObjects {
  topic: string
  prefix: string
  objects: number
  bytes: number
  /** ISO time of the newest object, absent when there is none. */
  newest?: string
  truncated: boolean
}

export interface ConnectorStatus {
  plugin: {name: string; state: string; arn?: string; reason?: string}
  connector: {
    name: string
    state: string
    arn?: string
    reason?: string
    capacity?: string
    topicsRegex?: string
    bootstrapServers?: string
    created?: string
  }
  bucket: string
  topics: TopicObjects[]
  checkedAt: string
}

export interface StatusOptions {
  aws: AwsSettings
  pluginName: string
  connectorName: string
  bucket: string
  topics: string[]
  /** Stop counting a topic's objects after this many (status stays quick on big buckets). */
  objectLimit?: number
  signal?: AbortSignal
  now?: () => Date
}

export const ABSENT = 'ABSENT'

/** One look at plugin, connector and bucket; each read independently so one missing part does not hide the others. */
export async function connectorStatus(options: StatusOptions): Promise<ConnectorStatus> {
  const [plugin, connector, topics] = await Promise.all([
    pluginStatus(options),
    connectorState(options),
    Promise.all(
      options.topics.map(async (topic) => {
        const prefix = `topics/${topic}/`
        const summary = await summarizePrefix(options.aws, options.bucket, prefix, {limit: options.objectLimit, signal: options.signal})
        return {
          topic,
          prefix,
          objects: summary.objects,
          bytes: summary.bytes,
          newest: summary.newest?.toISOString(),
          truncated: summary.truncated,
        }
      }),
    ),
  ])
  return {plugin, connector, bucket: options.bucket, topics, checkedAt: (options.now?.() ?? new Date()).toISOString()}
}

async function pluginStatus(options: StatusOptions): Promise<ConnectorStatus['plugin']> {
  const found = await findPlugin(options.aws, options.pluginName)
  if (!found?.customPluginArn) return {name: options.pluginName, state: ABSENT}
  const state = found.customPluginState ?? 'UNKNOWN'
  const reason =
    state === 'CREATE_FAILED' ? (await describeCustomPlugin(options.aws, found.customPluginArn)).stateDescription?.message : undefined
  return {name: options.pluginName, state, arn: found.customPluginArn, ...(reason ? {reason} : {})}
}

async function connectorState(options: StatusOptions): Promise<ConnectorStatus['connector']> {
  const found = await findConnector(options.aws, options.connectorName)
  if (!found?.connectorArn) return {name: options.connectorName, state: ABSENT}
  const described = await describeConnector(options.aws, found.connectorArn)
  if (!described) return {name: options.connectorName, state: ABSENT}
  const reason = described.stateDescription?.message
  return {
    name: options.connectorName,
    state: described.connectorState ?? 'UNKNOWN',
    arn: found.connectorArn,
    ...(reason ? {reason} : {}),
    capacity: describeCapacity(described.capacity),
    topicsRegex: described.connectorConfiguration?.['topics.regex'],
    bootstrapServers: described.kafkaCluster?.apacheKafkaCluster?.bootstrapServers,
    created: described.creationTime?.toISOString(),
  }
}

type Paint = (style: 'green' | 'yellow' | 'red' | 'dim' | 'bold', text: string) => string
const plain: Paint = (_style, text) => text

const GOOD = new Set(['ACTIVE', 'RUNNING'])
const BAD = new Set(['FAILED', 'CREATE_FAILED', ABSENT])

/** The human form of a status, one line per fact; `paint` adds colour (the Reporter's, honouring NO_COLOR). */
export function renderStatus(status: ConnectorStatus, paint: Paint = plain): string[] {
  const state = (value: string) => paint(GOOD.has(value) ? 'green' : BAD.has(value) ? 'red' : 'yellow', value)
  const now = new Date(status.checkedAt)
  const lines = [
    `plugin     ${status.plugin.name}  ${state(status.plugin.state)}`,
    ...(status.plugin.reason ? [`           reason: ${status.plugin.reason}`] : []),
    `connector  ${status.connector.name}  ${state(status.connector.state)}`,
    ...(status.connector.reason ? [`           reason: ${status.connector.reason}`] : []),
    ...(status.connector.capacity ? [`           capacity: ${status.connector.capacity}`] : []),
    ...(status.connector.topicsRegex ? [`           topics.regex: ${status.connector.topicsRegex}`] : []),
    `bucket     s3://${status.bucket}/topics/`,
  ]
  const width = Math.max(...status.topics.map((t) => t.topic.length), 5)
  lines.push(paint('dim', `  ${'topic'.padEnd(width)}  ${'objects'.padStart(8)}  ${'size'.padStart(9)}  newest`))
  for (const topic of status.topics) {
    const count = `${topic.objects}${topic.truncated ? '+' : ''}`
    const newest = topic.newest ? `${topic.newest} (${formatAge(new Date(topic.newest), now)})` : '-'
    lines.push(`  ${topic.topic.padEnd(width)}  ${count.padStart(8)}  ${formatBytes(topic.bytes).padStart(9)}  ${newest}`)
  }
  return lines
}

/** `--watch`: a fresh status every interval, each handed to onStatus, until the signal fires (a normal end). */
export async function watchConnectorStatus(
  options: StatusOptions,
  watch: {intervalMs: number; onStatus: (status: ConnectorStatus) => void; clock?: Clock},
): Promise<void> {
  const clock = watch.clock ?? systemClock
  for (;;) {
    watch.onStatus(await connectorStatus(options))
    try {
      await clock.sleep(watch.intervalMs, options.signal)
    } catch (error) {
      if (options.signal?.aborted) return
      throw error
    }
  }
}
