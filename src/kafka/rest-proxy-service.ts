import {CONFLUENT_DIR} from '../artifacts.js'
import {SHELL_FUNCTIONS} from '../provision/remote-scripts.js'
import {shellQuote} from '../ssh/quote.js'
import type {HostLockOptions} from '../ssh/host-lock.js'
import type {SshSession} from '../ssh/session.js'

export interface RestProxyStatus {
  manager: 'systemd' | 'process'
  running: boolean
  pid?: number
  installed: boolean
  answers: boolean
  topics?: string[]
  detail?: string
}

const STATE = '"$HOME"/.pinctl'

/** One remote command: how the proxy is run, whether it runs, and whether GET /topics answers. */
export async function restProxyStatus(session: SshSession, port: number): Promise<RestProxyStatus> {
  const script = `${SHELL_FUNCTIONS}
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1 && [ -f /etc/systemd/system/kafka-rest.service ]; then
  echo manager=systemd
  systemctl is-active --quiet kafka-rest && echo running=yes
  echo "pid=$(systemctl show -p MainPID --value kafka-rest 2>/dev/null)"
else
  echo manager=process
  if [ -f ${STATE}/kafka-rest.pid ] && kill -0 "$(cat ${STATE}/kafka-rest.pid)" 2>/dev/null; then echo running=yes; echo "pid=$(cat ${STATE}/kafka-rest.pid)"; fi
fi
[ -x "$HOME"/${CONFLUENT_DIR}/bin/kafka-rest-start ] && echo installed=yes
body=$(http_get http://127.0.0.1:${port}/topics 2>&1)
echo "http.rc=$?"
printf 'http.body=%s\\n' "$body" | head -c 4000
`
  const result = await session.exec(script)
  const value = (key: string) => new RegExp(`^${key.replace('.', '\\.')}=(.*)$`, 'm').exec(result.stdout)?.[1]
  const body = value('http.body') ?? ''
  let topics: string[] | undefined
  try {
    const parsed = JSON.parse(body)
    if (Array.isArray(parsed)) topics = parsed as string[]
  } catch {
    topics = undefined
  }
  const pid = Number(value('pid'))
  return {
    manager: value('manager') === 'systemd' ? 'systemd' : 'process',
    running: value('running') === 'yes',
    pid: pid > 0 ? pid : undefined,
    installed: value('installed') === 'yes',
    answers: value('http.rc') === '0' && topics !== undefined,
    topics,
    detail: topics === undefined ? body.slice(0, 300) : undefined,
  }
}

/** The proxy's log: journald for the systemd unit, ~/.pinctl/kafka-rest.log for the background process. */
/** The logs script's exit status when the host has no proxy log at all (never started there). */
export const NO_LOG_EXIT = 66

export function restProxyLogsCommand(lines: number, follow: boolean): string {
  const n = Number(lines)
  return `if [ -d /run/systemd/system ] && [ -f /etc/systemd/system/kafka-rest.service ]; then
  exec sudo -n journalctl -u kafka-rest -n ${n} --no-pager ${follow ? '-f' : ''}
elif [ -f ${STATE}/kafka-rest.log ]; then
  exec tail -n ${n} ${follow ? '-F' : ''} ${STATE}/kafka-rest.log
else
  exit ${NO_LOG_EXIT}
fi`
}

/** Stops the proxy and forgets the configuration it ran with, so the next setup-client starts it again. */
export async function stopRestProxy(session: SshSession, lock: HostLockOptions): Promise<{wasRunning: boolean}> {
  await session.lockHost(lock)
  const script = `${SHELL_FUNCTIONS}
rm -f ${STATE}/kafka-rest.applied
if [ -d /run/systemd/system ] && [ -f /etc/systemd/system/kafka-rest.service ]; then
  if systemctl is-active --quiet kafka-rest; then sudo -n systemctl stop kafka-rest && echo was-running; fi
  exit 0
fi
if stop_pid_file ${STATE}/kafka-rest.pid; then echo was-running; fi
`
  const result = await session.run(`sh -c ${shellQuote(script)}`, 'stopping the REST proxy')
  return {wasRunning: result.stdout.includes('was-running')}
}
