import type {HostFacts} from '../host/facts.js'
import type {Check} from './checks.js'
import type {HostContext} from './host.js'
import type {DoctorProbe} from './host-probe.js'
import {diagnoseKafkaOutput} from './trip-ups.js'

function restCheck(name: string, status: Check['status'], detail: string, fix?: string): Check {
  return {layer: 'rest-proxy', name, status, detail, ...(fix ? {fix} : {})}
}

/** The REST proxy layer: runs as a service, answers GET /topics, and what its log says. */
export function evaluateRestProxy(facts: HostFacts, probe: DoctorProbe, ctx: HostContext): Check[] {
  const {restProxy} = probe
  const servicePid = facts.restProxy.pid
  const how = facts.systemd
    ? 'the systemd unit kafka-rest'
    : 'the background service (pid file ~/.pinctl/kafka-rest.pid; no systemd on this host)'
  const strays = restProxy.processes.filter((process) => process.pid !== servicePid && process.sid !== servicePid)
  const start = '`pinctl rest-proxy start` runs it as a service'
  const checks: Check[] = []
  if (facts.restProxy.running) {
    checks.push(
      strays.length > 0
        ? restCheck(
            'service',
            'warn',
            `running as ${how} (pid ${servicePid ?? '?'}), and another REST proxy (pid ${strays.map((p) => p.pid).join(', ')}) was ` +
              `started by hand: it dies with its SSH session and may hold the port`,
            `stop it: \`pinctl ssh -- kill ${strays.map((p) => p.pid).join(' ')}\``,
          )
        : restCheck('service', 'ok', `running as ${how} (pid ${servicePid ?? '?'})`),
    )
  } else if (strays.length > 0) {
    checks.push(
      restCheck(
        'service',
        'warn',
        `a REST proxy runs (pid ${strays.map((p) => p.pid).join(', ')}) but not as the service: started by hand in an SSH session, it ` +
          `dies when that session ends`,
        `stop it (\`pinctl ssh -- kill ${strays.map((p) => p.pid).join(' ')}\`), then ${start}`,
      ),
    )
  } else {
    checks.push(
      restCheck(
        'service',
        'fail',
        `not running: ${how} is not active; a proxy started by hand with kafka-rest-start dies with the SSH session that started it`,
        start,
      ),
    )
  }

  const {http} = restProxy
  let answered = false
  if (http.code === 200) {
    let topics: unknown
    try {
      topics = JSON.parse(http.body ?? '')
    } catch {
      topics = undefined
    }
    if (Array.isArray(topics)) {
      answered = true
      checks.push(restCheck('http', 'ok', `GET :${ctx.restProxyPort}/topics → 200, ${topics.length} topic(s)`))
    } else {
      checks.push(
        restCheck(
          'http',
          'fail',
          `GET :${ctx.restProxyPort}/topics → 200 but not a JSON list: ${(http.body ?? '').slice(0, 120)}`,
          'is something else listening on the port? `pinctl ssh -- ss -ltnp`',
        ),
      )
    }
  } else if (http.rc === 127) {
    checks.push(restCheck('http', 'skip', 'neither curl nor wget on the host'))
  } else if (!http.code) {
    checks.push(
      restCheck(
        'http',
        'fail',
        `nothing answers GET :${ctx.restProxyPort}/topics on the host${http.error ? ` (${http.error.split('\n')[0]})` : ''}`,
        facts.restProxy.running ? 'the proxy runs but does not listen: see the log check below and `pinctl rest-proxy logs`' : start,
      ),
    )
  } else {
    checks.push(
      restCheck(
        'http',
        'fail',
        `GET :${ctx.restProxyPort}/topics → ${http.code}: ${(http.body ?? '').slice(0, 160)}`,
        'the proxy answers but cannot list topics: see the log check, `pinctl rest-proxy logs` and the auth layer',
      ),
    )
  }

  if (restProxy.logSource !== 'none') {
    const tripUps = diagnoseKafkaOutput(restProxy.log ?? '').filter((tripUp) => tripUp.id !== 'topic-exists')
    const source = restProxy.logSource === 'journal' ? 'journalctl -u kafka-rest' : '~/.pinctl/kafka-rest.log'
    if (tripUps.length > 0) {
      const [first] = tripUps
      checks.push(
        restCheck(
          'log',
          answered ? 'warn' : 'fail',
          `${source} since the last start: ${tripUps.map((t) => t.cause).join('; ')} — "${first.evidence}"`,
          first.fix,
        ),
      )
    } else {
      checks.push(restCheck('log', 'ok', `${source}: no known error since the last start`))
    }
  }
  return checks
}
