import {PinctlError} from '../errors.js'

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip'

/** One finding of `pinctl doctor`: what was looked at, what was found, and how to fix it. */
export interface Check {
  layer: LayerName
  name: string
  status: CheckStatus
  detail: string
  fix?: string
}

export const LAYER_NAMES = ['local', 'aws', 'ssh', 'host', 'network', 'auth', 'rest-proxy', 'connector', 's3', 'source'] as const
export type LayerName = (typeof LAYER_NAMES)[number]

export interface LayerSpec {
  name: LayerName
  title: string
  /** Layers whose results this one uses: run first, even when only this layer was asked for. */
  after: LayerName[]
  /**
   * Checks that must have passed (ok or warn) for this layer to run, as `layer/name`; `layer/*`
   * matches every check of a layer, and then one passing check is enough (one reachable broker).
   */
  needs: string[]
}

/** The layers in the order they run, each with what it depends on. */
export const LAYERS: LayerSpec[] = [
  {name: 'local', title: 'this machine: config, AWS credentials, key file', after: [], needs: []},
  {name: 'aws', title: 'AWS: MSK cluster, bootstrap servers, IAM role', after: ['local'], needs: ['local/config', 'local/credentials']},
  {name: 'ssh', title: 'SSH to the client host', after: ['local'], needs: ['local/config', 'local/key-file']},
  {name: 'host', title: 'client host: Java, Kafka, IAM jar, properties files', after: ['ssh'], needs: ['ssh/login']},
  {name: 'network', title: 'brokers reachable from the host', after: ['ssh', 'aws'], needs: ['ssh/login']},
  {
    name: 'auth',
    title: 'Kafka authentication (list topics with client.properties)',
    after: ['host', 'network'],
    needs: ['host/kafka', 'host/client-properties', 'network/*'],
  },
  {name: 'rest-proxy', title: 'REST proxy on the host', after: ['host'], needs: ['host/confluent']},
  {name: 'connector', title: 'MSK Connect plugin and connector', after: ['local'], needs: ['local/config', 'local/credentials']},
  {name: 's3', title: 'objects in the bucket', after: ['local'], needs: ['local/config', 'local/credentials']},
  {name: 'source', title: 'source database (db_creds.yaml of emulate --source db)', after: ['local'], needs: ['local/config']},
]

export function layerSpec(name: LayerName): LayerSpec {
  return LAYERS.find((layer) => layer.name === name)!
}

/** The asked-for layers plus every layer they depend on, in run order. */
export function layersToRun(asked?: LayerName[]): LayerName[] {
  if (!asked || asked.length === 0) return LAYERS.map((layer) => layer.name)
  const wanted = new Set<LayerName>()
  const add = (name: LayerName) => {
    if (wanted.has(name)) return
    wanted.add(name)
    for (const dependency of layerSpec(name).after) add(dependency)
  }
  for (const name of asked) add(name)
  return LAYERS.map((layer) => layer.name).filter((name) => wanted.has(name))
}

const passed = (check: Check) => check.status === 'ok' || check.status === 'warn'

function matches(check: Check, pattern: string): boolean {
  const id = `${check.layer}/${check.name}`
  return pattern.endsWith('*') ? id.startsWith(pattern.slice(0, -1)) : id === pattern
}

/**
 * Why a layer cannot run given the checks so far, or undefined when it can. A layer is skipped
 * when a check it needs failed or was itself skipped: its own checks would only repeat that cause.
 */
export function unmetNeeds(layer: LayerName, checks: Check[]): string | undefined {
  const reasons: string[] = []
  for (const pattern of layerSpec(layer).needs) {
    const found = checks.filter((check) => matches(check, pattern))
    if (found.length === 0) {
      const layer = pattern.split('/')[0]
      const skipped = checks.some((check) => check.layer === layer && check.name === layer && check.status === 'skip')
      reasons.push(skipped ? `${layer} was skipped` : `${pattern.replace(/\/\*$/, '')} was not checked`)
      continue
    }
    if (found.some(passed)) continue
    const failed = found.find((check) => check.status === 'fail') ?? found[0]
    reasons.push(`${failed.layer}/${failed.name} ${failed.status === 'skip' ? 'was skipped' : 'failed'}`)
  }
  return reasons.length > 0 ? [...new Set(reasons)].join(', ') : undefined
}

export function skipLayer(layer: LayerName, reason: string): Check {
  return {layer, name: layer, status: 'skip', detail: reason}
}

/** A failed check from an error pinctl raised (message and hint), or from anything else thrown. */
export function checkFromError(layer: LayerName, name: string, error: unknown): Check {
  if (error instanceof PinctlError) return {layer, name, status: 'fail', detail: error.message, ...(error.hint ? {fix: error.hint} : {})}
  return {layer, name, status: 'fail', detail: error instanceof Error ? error.message.split('\n')[0] : String(error)}
}

export interface DoctorReport {
  checks: Check[]
  ok: boolean
}

export function summarize(checks: Check[]): DoctorReport & {counts: Record<CheckStatus, number>} {
  const counts: Record<CheckStatus, number> = {ok: 0, warn: 0, fail: 0, skip: 0}
  for (const check of checks) counts[check.status]++
  return {checks, ok: counts.fail === 0, counts}
}

/** "2 check(s) failed: ssh/connect, host/java": the one line that sums up a failed doctor run. */
export function failedChecksMessage(report: DoctorReport): string {
  const failed = report.checks.filter((check) => check.status === 'fail')
  return `${failed.length} check(s) failed: ${failed.map((check) => `${check.layer}/${check.name}`).join(', ')}`
}
