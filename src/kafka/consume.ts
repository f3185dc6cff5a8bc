import {StringDecoder} from 'node:string_decoder'

import {ConfigError, RemoteCommandError} from '../errors.js'
import {shown} from '../ux/printable.js'
import {shellQuote} from '../ssh/quote.js'
import type {HostSession} from '../ssh/session.js'
import {
  connectionArgs,
  failOnPreludeExit,
  KAFKA_TOOL_FUNCTIONS,
  kafkaTool,
  kafkaToolCall,
  requireKafkaTools,
  requireReachableBrokers,
} from './host-tools.js'

/** Separators no JSON record contains raw, so values with tabs or newlines survive the console format. */
export const FIELD_SEPARATOR = '\u001f'
export const RECORD_SEPARATOR = '\u001e'

export interface ConsumeOptions {
  bootstrapServers: string
  topic: string
  /** Absent with a partition: kafka-console-consumer.sh refuses a group together with --partition. */
  group?: string
  partition?: number
  /** Where to start in the partition: "earliest", "latest" or an offset. */
  startOffset?: string
  fromBeginning: boolean
  maxMessages?: number
  timeoutMs?: number
}

/**
 * `kafka-console-consumer.sh --consumer.config client.properties` as in the seed, printing
 * timestamp, partition, offset and key with control-character separators. The consumer never
 * creates the topic (allow.auto.create.topics=false); a missing topic shows in its log as
 * UNKNOWN_TOPIC_OR_PARTITION, which runConsumer watches for (a consumer on a missing topic would
 * otherwise wait for ever). One JVM: no separate topic listing before it.
 */
export function consumeScript(options: ConsumeOptions): string {
  const args = [
    connectionArgs(options.bootstrapServers, '--consumer.config'),
    `--topic ${shellQuote(options.topic)}`,
    options.group === undefined ? '' : `--group ${shellQuote(options.group)}`,
    options.partition === undefined ? '' : `--partition ${Number(options.partition)}`,
    options.startOffset === undefined ? '' : `--offset ${shellQuote(options.startOffset)}`,
    options.fromBeginning ? '--from-beginning' : '',
    options.maxMessages ? `--max-messages ${Number(options.maxMessages)}` : '',
    options.timeoutMs ? `--timeout-ms ${Number(options.timeoutMs)}` : '',
    '--consumer-property allow.auto.create.topics=false',
    '--property print.timestamp=true',
    '--property print.partition=true',
    '--property print.offset=true',
    '--property print.key=true',
    `--property ${shellQuote(`key.separator=${FIELD_SEPARATOR}`)}`,
    `--property ${shellQuote(`line.separator=${RECORD_SEPARATOR}`)}`,
  ].filter(Boolean)
  return `${requireKafkaTools()}
${requireReachableBrokers(options.bootstrapServers)}
${KAFKA_TOOL_FUNCTIONS}
${kafkaToolCall('consumer', `${kafkaTool('kafka-console-consumer.sh')} ${args.join(' ')}`)}`
}

/** How many metadata answers (about 0.1 s apart) must say UNKNOWN_TOPIC_OR_PARTITION before the topic counts as missing. */
export const MISSING_TOPIC_WARNINGS = 5

/** Counts the consumer's "topic unknown" metadata warnings for `topic` in its stderr, across chunks. */
export class MissingTopicWatch {
  private seen = 0
  private partial = ''
  constructor(private readonly topic: string) {}

  /** True once the broker has said often enough that the topic does not exist. */
  push(chunk: string): boolean {
    const lines = (this.partial + chunk).split('\n')
    this.partial = lines.pop() ?? ''
    for (const line of lines) if (line.includes(`{${this.topic}=UNKNOWN_TOPIC_OR_PARTITION}`)) this.seen++
    return this.seen >= MISSING_TOPIC_WARNINGS
  }
}

export interface ConsumedRecord {
  topic: string
  partition: number
  offset: number
  timestamp: number | null
  timestampType: string | null
  key: unknown
  value: unknown
}

/** Values that are JSON come back as JSON (never double-escaped); anything else stays a string. */
export function parseValue(text: string): unknown {
  if (text === 'null') return null
  const trimmed = text.trim()
  if (trimmed.startsWith('{') || trimmed.startsWith('[') || trimmed.startsWith('"')) {
    try {
      return JSON.parse(trimmed)
    } catch {
      return text
    }
  }
  return text
}

export function parseRecord(topic: string, raw: string): ConsumedRecord | undefined {
  const [time, partition, offset, key, ...rest] = raw.split(FIELD_SEPARATOR)
  if (rest.length === 0 || !partition?.startsWith('Partition:')) return undefined
  const timeMatch = /^(\w+):(-?\d+)$/.exec(time ?? '')
  return {
    topic,
    partition: Number(partition.slice('Partition:'.length)),
    offset: Number(offset.slice('Offset:'.length)),
    timestamp: timeMatch ? Number(timeMatch[2]) : null,
    timestampType: timeMatch ? timeMatch[1] : null,
    key: key === 'null' ? null : parseValue(key),
    value: parseValue(rest.join(FIELD_SEPARATOR)),
  }
}

/**
 * Where records go, a batch per SSH chunk (one write instead of one per record). A returned promise
 * means the output is full (a pipe whose reader is slower than the consumer): nothing more is read
 * from the host until it settles, so memory stays flat however many records go through.
 */
export type RecordSink = (records: ConsumedRecord[]) => void | Promise<unknown>

/** Splits the consumer's stdout into records as chunks arrive (a record may span chunks). */
export class RecordSplitter {
  private buffer = ''
  // SSH packets cut the stream anywhere, a UTF-8 character too: the decoder keeps a split character's bytes.
  private readonly decoder = new StringDecoder('utf8')
  constructor(private readonly topic: string) {}

  /** The records this chunk completes. */
  push(chunk: Buffer | string): ConsumedRecord[] {
    const text = this.buffer + (typeof chunk === 'string' ? chunk : this.decoder.write(chunk))
    const records: ConsumedRecord[] = []
    let start = 0
    let index: number
    while ((index = text.indexOf(RECORD_SEPARATOR, start)) >= 0) {
      const record = parseRecord(this.topic, text.slice(start, index))
      start = index + 1
      if (record) records.push(record)
    }
    this.buffer = text.slice(start)
    return records
  }
}

/** The tail of the consumer's stderr kept for the error message. */
const STDERR_KEPT = 64 * 1024

export type OutputFormat = 'raw' | 'json' | 'pretty'

/** --offset as kafka-console-consumer.sh takes it: beginning → earliest, end → latest, or a non-negative number. */
export function parseStartOffset(text: string | undefined): string | undefined {
  if (text === undefined) return undefined
  if (text === 'beginning' || text === 'earliest') return 'earliest'
  if (text === 'end' || text === 'latest') return 'latest'
  if (/^\d{1,18}$/.test(text)) return String(Number(text))
  throw new ConfigError(`"${shown(text, 60)}" is not beginning, end or an offset number`, 'e.g. --partition 0 --offset 3')
}

function plainText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value)
}

export function formatRecord(record: ConsumedRecord, format: OutputFormat, options: {printKey?: boolean} = {}): string {
  if (format === 'json') return JSON.stringify(record)
  const value = typeof record.value === 'string' ? record.value : JSON.stringify(record.value, null, format === 'pretty' ? 2 : undefined)
  if (format === 'raw') return options.printKey ? `${plainText(record.key)}\t${value}` : value
  const when = record.timestamp === null ? '' : ` ${new Date(record.timestamp).toISOString()}`
  const key = record.key === null ? '' : ` key=${JSON.stringify(record.key)}`
  return `── ${record.topic} [${record.partition}] @${record.offset}${when}${key}\n${value}`
}

/**
 * Streams the consumer; records go to `onRecords` as they arrive. Ctrl-C (the signal) stops
 * the remote JVM's process group, so no consumer is left running on the host.
 */
export async function runConsumer(
  session: HostSession,
  options: ConsumeOptions,
  onRecords: RecordSink,
  signal?: AbortSignal,
  onNote: (line: string) => void = () => {},
): Promise<{count: number; interrupted: boolean}> {
  let count = 0
  const splitter = new RecordSplitter(options.topic)
  let stderr = ''
  const missing = new MissingTopicWatch(options.topic)
  const stop = new AbortController()
  let topicMissing = false
  const result = await session.stream(consumeScript(options), {
    onStdout: (chunk) => {
      const records = splitter.push(chunk)
      if (records.length === 0) return
      count += records.length
      return onRecords(records)
    },
    onStderr: (chunk) => {
      const text = chunk.toString()
      stderr = (stderr + text).slice(-STDERR_KEPT)
      for (const line of text.split('\n')) {
        if (/^(ERROR|WARN)|Exception/.test(line) && !/TimeoutException/.test(line)) onNote(line)
      }
      if (!topicMissing && missing.push(text)) {
        topicMissing = true
        stop.abort()
      }
    },
    signal: signal ? AbortSignal.any([signal, stop.signal]) : stop.signal,
  })
  if (topicMissing)
    throw new ConfigError(
      `topic ${options.topic} does not exist`,
      'create it with `pinctl topics create`; `pinctl topics list` shows what exists',
    )
  if (result.interrupted) return {count, interrupted: true}
  failOnPreludeExit(result.code, stderr, options.bootstrapServers)
  if (result.code !== 0 && result.code !== null) {
    // With no topic listing before it, the consumer is the first to meet a refused login or a missing permission.
    throw new RemoteCommandError(
      `kafka-console-consumer.sh exited ${result.code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`,
      "check client.properties and the role's kafka-cluster:* permissions; `pinctl doctor` checks each layer",
    )
  }
  return {count, interrupted: false}
}
