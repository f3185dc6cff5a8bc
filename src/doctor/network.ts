import {parseProbe, PROBE_FUNCTIONS} from '../host/probe.js'
import {shellQuote} from '../ssh/quote.js'
import type {Check} from './checks.js'

export interface BrokerProbe {
  broker: string
  /** 0 connected; 124 timed out; anything else refused / unresolvable (see output). */
  rc: number
  output: string
}

export const BROKER_TIMEOUT_SECONDS = 5

/**
 * One TCP connection attempt per bootstrap broker from the host, side by side (bash's /dev/tcp,
 * the same one-liner as requireReachableBrokers, but reported per broker).
 */
export function brokerProbeScript(bootstrapServers: string): string {
  const brokers = bootstrapServers
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
  const jobs = brokers.map((hostPort, index) => {
    const host = hostPort.slice(0, hostPort.lastIndexOf(':'))
    const port = hostPort.slice(hostPort.lastIndexOf(':') + 1)
    return (
      `( out=$(timeout ${BROKER_TIMEOUT_SECONDS} bash -c 'exec 3<>"/dev/tcp/$0/$1"' ${shellQuote(host)} ${shellQuote(port)} 2>&1); ` +
      `rc=$?; kv broker.${index}.rc "$rc"; kv broker.${index}.out "$(printf '%s' "$out" | b64s)" ) &`
    )
  })
  return [
    PROBE_FUNCTIONS,
    'if ! command -v bash >/dev/null 2>&1 || ! command -v timeout >/dev/null 2>&1; then kv probe unavailable; exit 0; fi',
    ...jobs,
    'wait',
  ].join('\n')
}

export function parseBrokerProbe(bootstrapServers: string, stdout: string): BrokerProbe[] | 'unavailable' {
  const answer = parseProbe(stdout)
  if (answer.get('probe') === 'unavailable') return 'unavailable'
  const brokers = bootstrapServers
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
  return brokers.map((broker, index) => {
    const rc = answer.int(`broker.${index}.rc`)
    if (rc === undefined) return {broker, rc: -1, output: 'no answer from the probe'}
    return {broker, rc, output: (answer.text(`broker.${index}.out`) ?? '').trim()}
  })
}

/** Per broker: reachable, or why not — a timeout is the security group, a refusal the port, a name error the VPC. */
export function evaluateBrokers(
  probes: BrokerProbe[] | 'unavailable',
  context: {securityGroups?: string[]; auth: 'iam' | 'plaintext'},
): Check[] {
  if (probes === 'unavailable') {
    return [{layer: 'network', name: 'brokers', status: 'skip', detail: 'the host has no bash or timeout to test TCP connections with'}]
  }
  const groups = context.securityGroups && context.securityGroups.length > 0 ? ` (${context.securityGroups.join(', ')})` : ''
  const port = context.auth === 'iam' ? '9098' : '9092'
  return probes.map((probe): Check => {
    const base = {layer: 'network' as const, name: `broker ${probe.broker}`}
    if (probe.rc === 0) return {...base, status: 'ok', detail: `TCP connection from the host to ${probe.broker} works`}
    if (probe.rc === 124) {
      return {
        ...base,
        status: 'fail',
        detail: `no answer from ${probe.broker} within ${BROKER_TIMEOUT_SECONDS}s: packets are dropped`,
        fix:
          `the cluster's security group${groups} must allow inbound TCP ${probe.broker.split(':').pop()} from the client host's ` +
          `security group (or its VPC CIDR)`,
      }
    }
    if (/Name or service not known|not known|No address|resolve/i.test(probe.output)) {
      return {
        ...base,
        status: 'fail',
        detail: `${probe.broker} does not resolve on the host: ${probe.output.split('\n')[0]}`,
        fix: "MSK broker names resolve only inside the cluster's VPC: the client host must be in it; check bootstrapServers",
      }
    }
    if (/refused/i.test(probe.output)) {
      return {
        ...base,
        status: 'fail',
        detail: `${probe.broker} refused the connection`,
        fix:
          `nothing listens there: check the port for auth=${context.auth} (IAM 9098, plaintext 9092; expected :${port}) and that the ` +
          `broker is up`,
      }
    }
    return {
      ...base,
      status: 'fail',
      detail: `cannot connect to ${probe.broker} (exit ${probe.rc}): ${probe.output.split('\n')[0] || 'no output'}`,
      fix: `check the bootstrap servers and the cluster's security group${groups}`,
    }
  })
}
