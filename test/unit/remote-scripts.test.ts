import {execFileSync} from 'node:child_process'
import {describe, expect, it} from 'vitest'

import {doctorProbeScript, hostProbeScript} from '../../src/doctor/host-probe.js'
import {brokerProbeScript} from '../../src/doctor/network.js'
import {FACTS_SCRIPT} from '../../src/host/facts.js'
import {HOST_SHELL_PATHS, REST_PROXY_STATE} from '../../src/host/layout.js'
import {PROBE_FUNCTIONS} from '../../src/host/probe.js'
import {consumeScript, FIELD_SEPARATOR, RECORD_SEPARATOR} from '../../src/kafka/consume.js'
import {requireProxyBrokersReachable, requireReachableBrokers} from '../../src/kafka/host-tools.js'
import {createTopicsScript} from '../../src/kafka/topics.js'
import {restProxyStartScript, verifyScript} from '../../src/provision/remote-scripts.js'
import {hostLockScript} from '../../src/ssh/host-lock.js'

const BROKERS = 'b-1.example:9098,b-2.example:9098'

/** Every script pinctl sends to a host, with hostile-looking values where it takes any. */
const SCRIPTS: Record<string, string> = {
  facts: FACTS_SCRIPT,
  'doctor probe': hostProbeScript(8082),
  'rest-proxy state': `${PROBE_FUNCTIONS}\n${REST_PROXY_STATE}`,
  'host lock': hostLockScript(`pid 1 on x: pinctl setup-client 'quoted' $(id)`, 60),
  verify: verifyScript(BROKERS, 8082),
  'rest-proxy start': restProxyStartScript({
    confluentDir: '/home/ec2-user/confluent-7.2.0',
    bootstrapServers: BROKERS,
    restProperties: '/home/ec2-user/confluent-7.2.0/etc/kafka-rest/kafka-rest.properties',
    port: 8082,
    appliedFile: '/home/ec2-user/.pinctl/kafka-rest.applied',
    appliedHash: '0123456789abcdef',
    systemd: false,
    envFile: '/home/ec2-user/.pinctl/kafka-rest.env',
    pidFile: '/home/ec2-user/.pinctl/kafka-rest.pid',
    logFile: '/home/ec2-user/.pinctl/kafka-rest.log',
    waitSeconds: 90,
  }),
  consume: consumeScript({bootstrapServers: BROKERS, topic: 'u.pin', group: "g'; rm -rf ~", fromBeginning: true, maxMessages: 5}),
  'topics create': createTopicsScript({bootstrapServers: BROKERS, topics: ['u.pin', 'u.geo', 'u.user']}),
  'broker probe': brokerProbeScript(BROKERS),
  'brokers reachable': requireReachableBrokers(BROKERS),
  "the proxy's brokers reachable": requireProxyBrokersReachable(HOST_SHELL_PATHS.restProperties),
}

describe('remote scripts', () => {
  it.each(Object.entries(SCRIPTS))('%s parses as POSIX sh (sh -n)', (_name, script) => {
    expect(() => execFileSync('sh', ['-n', '-c', script], {stdio: 'pipe'})).not.toThrow()
  })

  it("none holds a control character but newline, tab and the consumer's quoted field and record separators", () => {
    for (const [name, script] of Object.entries(SCRIPTS)) {
      const rest = name === 'consume' ? script.replaceAll(FIELD_SEPARATOR, '').replaceAll(RECORD_SEPARATOR, '') : script
      // eslint-disable-next-line no-control-regex -- the assertion is that none is there
      expect([name, /[\u0000-\u0008\u000B-\u001F]/.test(rest)]).toEqual([name, false])
    }
  })

  it("doctor's wget branch reads the HTTP status out of wget -S", () => {
    const sed = /sed -n ('[^']*') "\$dtmp\.err"/.exec(doctorProbeScript(8082))?.[1]
    expect(sed).toBeDefined()
    const status = execFileSync('sh', ['-c', `printf '  HTTP/1.1 301 Moved\\n  HTTP/1.1 200 OK\\n' | sed -n ${sed} | tail -n 1`])
      .toString()
      .trim()
    expect(status).toBe('200')
  })
})
