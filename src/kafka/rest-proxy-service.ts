import {HOST_SHELL_PATHS, REST_PROXY_STATE, restProxyState, SYSTEMD_UNIT_TEST} from '../host/layout.js'
import {parseProbe, PROBE_BODY_LIMIT, PROBE_FUNCTIONS} from '../host/probe.js'
import {SHELL_FUNCTIONS} from '../provision/remote-scripts.js'
import {shellQuote} from '../ssh/quote.js'
import type {HostLockOptions} from '../ssh/host-lock.js'
import type {HostSession} from '../ssh/session.js'

export interface RestProxyStatus {
  manager: 'systemd' | 'process'
  running: boolean
  pid?: number
  installed: boolean
  answers: boolean
  topics?: string[]
  detail?: string
}

/** One remote command: how the proxy is run, whether it runs, and whether GET /topics answers. */
export async function restProxyStatus(session: HostSession, port: number): Promise<RestProxyStatus> {
  const script = `${PROBE_FUNCTIONS}
${SHELL_FUNCTIONS}
${REST_PROXY_STATE}
if [ -x ${HOST_SHELL_PATHS.confluent}/bin/kafka-rest-start ]; then kv installed yes; fi
body=$(http_get http://127.0.0.1:${Number(port)}/topics 2>&1)
kv http.rc "$?"
kv http.body "$(printf '%s' "$body" | head -c ${PROBE_BODY_LIMIT} | b64s)"
`
  const answer = parseProbe((await session.exec(script)).stdout)
  const body = answer.text('http.body') ?? ''
  let topics: string[] | undefined
  try {
    const parsed = JSON.parse(body)
    if (Array.isArray(parsed)) topics = parsed as string[]
  } catch {
    topics = undefined
  }
  const state = restProxyState(answer)
  return {
    manager: state.manager,
    running: state.running,
    pid: state.pid,
    installed: answer.yes('installed'),
    answers: answer.get('http.rc') === '0' && topics !== undefined,
    topics,
    detail: topics === undefined ? body.slice(0, 300) : undefined,
  }
}

/** The proxy's log: journald for the systemd unit, ~/.pinctl/kafka-rest.log for the background process. */
/** The logs script's exit status when the host has no proxy log at all (never started there). */
export const NO_LOG_EXIT = 66

export function restProxyLogsCommand(lines: number, follow: boolean): string {
  const n = Number(lines)
  return `if ${SYSTEMD_UNIT_TEST}; then
  exec sudo -n journalctl -u kafka-rest -n ${n} --no-pager ${follow ? '-f' : ''}
elif [ -f ${HOST_SHELL_PATHS.serviceLog} ]; then
  exec tail -n ${n} ${follow ? '-F' : ''} ${HOST_SHELL_PATHS.serviceLog}
else
  exit ${NO_LOG_EXIT}
fi`
}

/** Stops the proxy and forgets the configuration it ran with, so the next setup-client starts it again. */
export async function stopRestProxy(session: HostSession, lock: HostLockOptions): Promise<{wasRunning: boolean}> {
  await session.lockHost(lock)
  const script = `${SHELL_FUNCTIONS}
rm -f ${HOST_SHELL_PATHS.serviceApplied}
if ${SYSTEMD_UNIT_TEST}; then
  if systemctl is-active --quiet kafka-rest; then sudo -n systemctl stop kafka-rest && echo was-running; fi
  exit 0
fi
if stop_pid_file ${HOST_SHELL_PATHS.servicePid}; then echo was-running; fi
`
  const result = await session.run(`sh -c ${shellQuote(script)}`, 'stopping the REST proxy')
  return {wasRunning: result.stdout.includes('was-running')}
}
