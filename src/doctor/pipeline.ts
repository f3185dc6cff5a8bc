import type {ObjectEntry} from '../aws/s3.js'
import type {Check} from './checks.js'

/** Plugin or connector as MSK Connect reports it; ABSENT when there is none by that name. */
export interface ConnectState {
  name: string
  state: string
  reason?: string
  topicsRegex?: string
}

const SETTLING = new Set(['CREATING', 'UPDATING', 'DELETING'])

export function evaluatePlugin(plugin: ConnectState): Check {
  const base = {layer: 'connector' as const, name: 'plugin'}
  switch (plugin.state) {
    case 'ACTIVE':
      return {...base, status: 'ok', detail: `${plugin.name} ACTIVE`}
    case 'ABSENT':
      return {
        ...base,
        status: 'warn',
        detail: `no custom plugin named ${plugin.name} yet`,
        fix: '`pinctl connector plugin create` uploads the S3 sink zip and creates it',
      }
    case 'CREATE_FAILED':
      return {
        ...base,
        status: 'fail',
        detail: `${plugin.name} CREATE_FAILED${plugin.reason ? `: ${plugin.reason}` : ''}`,
        fix:
          'check the zip in the bucket (kafka-connect-s3/…), delete the plugin in the MSK console and run `pinctl connector plugin ' +
          'create` again',
      }
    default:
      if (SETTLING.has(plugin.state))
        return {...base, status: 'warn', detail: `${plugin.name} ${plugin.state}`, fix: 'wait a minute and run `pinctl connector status`'}
      return {...base, status: 'warn', detail: `${plugin.name} ${plugin.state}`}
  }
}

export function evaluateConnector(connector: ConnectState, userId: string): Check {
  const base = {layer: 'connector' as const, name: 'connector'}
  switch (connector.state) {
    case 'RUNNING': {
      const want = `${userId}.*`
      if (connector.topicsRegex !== undefined && connector.topicsRegex !== want) {
        return {
          ...base,
          status: 'warn',
          detail: `${connector.name} RUNNING but topics.regex=${connector.topicsRegex}, not ${want}: some topics are not sunk to S3`,
          fix: "`pinctl connector create --replace` recreates it with the seed's configuration",
        }
      }
      return {...base, status: 'ok', detail: `${connector.name} RUNNING (topics.regex=${connector.topicsRegex ?? want})`}
    }
    case 'ABSENT':
      return {
        ...base,
        status: 'warn',
        detail: `no connector named ${connector.name} yet`,
        fix: '`pinctl connector create` (after the plugin is ACTIVE)',
      }
    case 'FAILED':
      return {
        ...base,
        status: 'fail',
        detail: `${connector.name} FAILED${connector.reason ? `: ${connector.reason}` : ''}`,
        fix: 'fix the cause named above (role, bucket, network), then `pinctl connector create --replace`',
      }
    default:
      if (SETTLING.has(connector.state))
        return {
          ...base,
          status: 'warn',
          detail: `${connector.name} ${connector.state}`,
          fix: 'MSK Connect takes 5–10 minutes: `pinctl connector status --watch`',
        }
      return {...base, status: 'warn', detail: `${connector.name} ${connector.state}`}
  }
}

/** Object counts per topic under topics/<uid>.*, from one listing of the bucket's topics/<uid>. prefix. */
export function countObjectsByTopic(objects: ObjectEntry[]): Map<string, {objects: number; newest?: ObjectEntry}> {
  const counts = new Map<string, {objects: number; newest?: ObjectEntry}>()
  for (const object of objects) {
    const topic = object.key.split('/')[1]
    if (!topic) continue
    const entry = counts.get(topic) ?? {objects: 0}
    entry.objects++
    if (!entry.newest || (object.lastModified ?? 0) > (entry.newest.lastModified ?? 0)) entry.newest = object
    counts.set(topic, entry)
  }
  return counts
}

export function evaluateObjects(bucket: string, topics: string[], counts: Map<string, {objects: number}>, truncated: boolean): Check {
  const base = {layer: 's3' as const, name: 'objects'}
  const summary = topics.map((topic) => `${topic} ${counts.get(topic)?.objects ?? 0}${truncated ? '+' : ''}`).join(', ')
  const empty = topics.filter((topic) => !counts.get(topic)?.objects)
  if (empty.length === topics.length) {
    return {
      ...base,
      status: 'warn',
      detail: `no objects under s3://${bucket}/topics/ for ${topics.join(', ')} yet`,
      fix:
        'the connector writes one object per record (flush.size=1): send records with `pinctl produce pin`, then `pinctl connector ' +
        'status`',
    }
  }
  if (empty.length > 0) {
    return {
      ...base,
      status: 'warn',
      detail: `${summary} — nothing yet for ${empty.join(', ')}`,
      fix: 'check that records reach those topics (`pinctl consume <topic> --max-messages 1`) and that topics.regex covers them',
    }
  }
  return {...base, status: 'ok', detail: `s3://${bucket}/topics/: ${summary}`}
}

/**
 * A sampled object's records: JSON objects as sent, or JSON text inside a JSON string — the
 * "values arriving string-escaped" case, when the producer serialised the value twice.
 */
export function evaluateSampleValues(samples: Array<{key: string; text: string}>): Check {
  const base = {layer: 's3' as const, name: 'values'}
  for (const sample of samples) {
    const first = sample.text.split('\n').find((line) => line.trim() !== '')
    if (first === undefined) continue
    let value: unknown
    try {
      value = JSON.parse(first)
    } catch {
      return {
        ...base,
        status: 'warn',
        detail: `${sample.key} does not hold JSON records: ${first.slice(0, 80)}`,
        fix:
          'the connector must use format.class=…JsonFormat and value.converter=…JsonConverter with schemas.enable=false (`pinctl ' +
          'connector create` sets them)',
      }
    }
    if (typeof value === 'string') {
      let inner: unknown
      try {
        inner = JSON.parse(value)
      } catch {
        inner = undefined
      }
      if (inner !== null && typeof inner === 'object') {
        return {
          ...base,
          status: 'warn',
          detail: `${sample.key}: values arrive string-escaped (JSON inside a JSON string: ${first.slice(0, 60)}…)`,
          fix:
            'the producer serialised each value twice (json.dumps of the value, then of the body): send {"records":[{"value": {…}}]} ' +
            'with the object itself — `pinctl produce` does',
        }
      }
    }
  }
  if (samples.length === 0) return {...base, status: 'skip', detail: 'no objects to sample'}
  return {...base, status: 'ok', detail: `newest object of ${samples.length} topic(s) holds JSON objects`}
}
