import {connectionArgs, KAFKA_TOOL_FUNCTIONS, kafkaTool, kafkaToolCall, requireKafkaTools} from '../kafka/host-tools.js'
import type {Check} from './checks.js'
import {diagnoseKafkaOutput, lastErrorLine} from './trip-ups.js'

export const LIST_TIMEOUT_SECONDS = 60

/** kafka-topics.sh --list with client.properties, bounded by `timeout` so a hung client cannot hang doctor. */
export function listTopicsScript(bootstrapServers: string, timeoutSeconds = LIST_TIMEOUT_SECONDS): string {
  return (
    `${requireKafkaTools()}\n${KAFKA_TOOL_FUNCTIONS}\n` +
    kafkaToolCall(
      'topics',
      `timeout ${Math.trunc(timeoutSeconds)} ${kafkaTool('kafka-topics.sh')} ` +
        `${connectionArgs(bootstrapServers, '--command-config')} --list --exclude-internal`,
    )
  )
}

const TOPIC_LINE = /^[A-Za-z0-9._-]{1,249}$/

/** Lists topics as the operator would, then says whether the pipeline's three topics are there. */
export function evaluateTopicListing(
  result: {code: number | null; stdout: string; stderr: string},
  context: {topics?: string[]; timeoutSeconds?: number},
): Check[] {
  const output = `${result.stdout}\n${result.stderr}`
  const base = {layer: 'auth' as const, name: 'list-topics'}
  if (result.code === 64 && result.stderr.includes('PINCTL_NO_KAFKA')) {
    return [{...base, status: 'fail', detail: 'Kafka tools or client.properties missing on the host', fix: 'run `pinctl setup-client`'}]
  }
  if (result.code !== 0) {
    const tripUps = diagnoseKafkaOutput(output).filter((tripUp) => tripUp.id !== 'topic-exists')
    const timedOut = result.code === 124
    const [first] = tripUps
    const detail = timedOut
      ? `kafka-topics.sh --list did not finish within ${context.timeoutSeconds ?? LIST_TIMEOUT_SECONDS}s` +
        (first ? `: ${first.cause} — "${first.evidence}"` : ': timed out waiting for the brokers')
      : first
        ? `kafka-topics.sh --list failed: ${first.cause} — "${first.evidence}"`
        : `kafka-topics.sh --list failed (exit ${result.code}): ${lastErrorLine(output) ?? 'no output'}`
    const fix =
      first?.fix ?? (timedOut ? diagnoseKafkaOutput('TimeoutException')[0].fix : 'see the output with `pinctl topics list --debug`')
    return [
      {...base, status: 'fail', detail, fix},
      {layer: 'auth', name: 'topics', status: 'skip', detail: 'needs auth/list-topics'},
    ]
  }
  const listed = result.stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => TOPIC_LINE.test(line))
  const checks: Check[] = [{...base, status: 'ok', detail: `${listed.length} topic(s) listed with --command-config client.properties`}]
  const wanted = context.topics ?? []
  if (wanted.length === 0) return checks
  const missing = wanted.filter((topic) => !listed.includes(topic))
  if (missing.length === 0) {
    checks.push({layer: 'auth', name: 'topics', status: 'ok', detail: `${wanted.join(', ')} exist`})
  } else {
    checks.push({
      layer: 'auth',
      name: 'topics',
      status: 'warn',
      detail: `missing: ${missing.join(', ')}`,
      fix:
        '`pinctl topics create` creates them with --if-not-exists, so re-running it is safe (a plain kafka-topics.sh --create fails ' +
        'with TopicExistsException on a re-run)',
    })
  }
  return checks
}
