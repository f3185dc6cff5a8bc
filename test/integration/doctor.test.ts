import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {ensureProvisioned, onHost, pinctl, sandboxEnv} from './harness.js'

interface Check {
  layer: string
  name: string
  status: 'ok' | 'warn' | 'fail' | 'skip'
  detail: string
  fix?: string
}

const REST_PROPERTIES = '~/confluent-7.2.0/etc/kafka-rest/kafka-rest.properties'
const LIBS = '~/kafka_2.12-2.8.1/libs'

async function doctor(...args: string[]) {
  const result = await pinctl(['doctor', '--json', ...args])
  const report = JSON.parse(String(result.stdout) || '{}') as {checks: Check[]; ok: boolean}
  const check = (id: string) => {
    const found = report.checks.find((entry) => `${entry.layer}/${entry.name}` === id)
    if (!found) throw new Error(`no check ${id} in: ${report.checks.map((entry) => `${entry.layer}/${entry.name}`).join(', ')}`)
    return found
  }
  return {result, report, check}
}

/** Puts the host back the way setup-client leaves it; the sandbox host is shared. */
async function restore(): Promise<void> {
  const result = await pinctl(['setup-client', '--yes'])
  if (result.exitCode !== 0) throw new Error(`setup-client could not restore the host (${result.exitCode}):\n${result.stderr}`)
}

beforeAll(async () => {
  sandboxEnv()
  await ensureProvisioned()
}, 600_000)

afterAll(async () => {
  // Whatever a failed test left broken is repaired here too.
  await onHost(
    `mkdir -p ${LIBS} && for f in ~/.pinctl/doctor-test-*.jar; do [ -e "$f" ] && mv "$f" ${LIBS}/"$(basename "$f" | sed ` +
      `'s/^doctor-test-//')"; done; true`,
  )
  await restore()
}, 300_000)

describe('pinctl doctor on the provisioned sandbox host', () => {
  it('reports no failed check, and each host-side layer passes', async () => {
    const {result, report, check} = await doctor()
    expect(result.exitCode, String(result.stderr)).toBe(0)
    expect(report.checks.filter((entry) => entry.status === 'fail')).toEqual([])
    expect(report.ok).toBe(true)
    for (const id of [
      'local/config',
      'local/credentials',
      'local/key-file',
      'aws/cluster',
      'aws/role',
      'aws/role-trust',
      'ssh/reachable',
      'ssh/host-key',
      'ssh/login',
      'host/java',
      'host/kafka',
      'host/iam-jar',
      'host/client-properties',
      'host/classpath',
      'host/confluent',
      'host/rest-properties',
      'host/rest-classpath',
      'auth/list-topics',
      'rest-proxy/service',
      'rest-proxy/http',
    ]) {
      expect(check(id).status, `${id}: ${check(id).detail}`).toBe('ok')
    }
    expect(check(`network/broker ${sandboxEnv().PINCTL_BOOTSTRAP_SERVERS.split(',')[0]}`).status).toBe('ok')
    // MSK Connect in the sandbox is a stand-in without a worker: these layers may warn or skip, never fail.
    for (const entry of report.checks.filter((candidate) => candidate.layer === 'connector' || candidate.layer === 's3')) {
      expect(['ok', 'warn', 'skip']).toContain(entry.status)
    }
  })

  it('prints the table on stderr, one line per check, and keeps stdout empty', async () => {
    const result = await pinctl(['doctor', '--layer', 'ssh'])
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toBe('')
    expect(result.stderr).toMatch(/^ssh — SSH to the client host$/m)
    expect(result.stderr).toMatch(/^ {2}✓ login +logged in as ec2-user$/m)
    expect(result.stderr).toMatch(/✓ \d+ ok, \d+ warning\(s\), 0 failed, 0 skipped/)
  })

  it('a misspelt bootstrap.servers in kafka-rest.properties (as in the seed) fails host/rest-properties with its fix', async () => {
    await onHost(`sed -i 's/^bootstrap.servers=/booststrap.servers=/' ${REST_PROPERTIES}`)
    const {result, check} = await doctor('--layer', 'host')
    expect(result.exitCode).toBe(6)
    expect(check('host/rest-properties')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('no bootstrap.servers — found "booststrap.servers" instead (misspelt, as in the seed)'),
      fix: expect.stringContaining('`pinctl rest-proxy start` rewrites it'),
    })
    const human = await pinctl(['doctor', '--layer', 'host'])
    expect(human.exitCode).toBe(6)
    expect(human.stderr).toMatch(/✗ rest-properties +.*booststrap\.servers/)
    expect(human.stderr).toMatch(/fix: `pinctl rest-proxy start` rewrites it/)
    // The table comes first, then the one-line error.
    const stderr = String(human.stderr)
    expect(stderr.indexOf('✗ rest-properties')).toBeLessThan(stderr.indexOf('error: 1 check(s) failed: host/rest-properties'))

    await restore()
    expect((await doctor('--layer', 'host')).result.exitCode).toBe(0)
  })

  it('the IAM jar moved away: the jar and both CLASSPATH checks say so', async () => {
    await onHost(`for f in ${LIBS}/aws-msk-iam-auth-*.jar; do mv "$f" ~/.pinctl/doctor-test-"$(basename "$f")"; done`)
    const {result, check} = await doctor('--layer', 'host')
    // auth=iam needs the jar (fail); the sandbox's plaintext listener does not (warn).
    const expected = sandboxEnv().PINCTL_AUTH === 'iam' ? 'fail' : 'warn'
    expect(result.exitCode).toBe(expected === 'fail' ? 6 : 0)
    expect(check('host/iam-jar')).toMatchObject({
      status: expected,
      detail: expect.stringContaining('no aws-msk-iam-auth jar in ~/kafka_2.12-2.8.1/libs'),
      fix: expect.stringContaining('setup-client --only iam-jar'),
    })
    expect(check('host/rest-classpath')).toMatchObject({status: expected, detail: expect.stringContaining('names no existing IAM jar')})
    expect(check('host/classpath').status).toBe(expected)

    await restore()
    await onHost('rm -f ~/.pinctl/doctor-test-*.jar')
    expect((await doctor('--layer', 'host')).check('host/iam-jar').status).toBe('ok')
  })

  it('the REST proxy stopped: rest-proxy/service fails naming the SSH-session case, and setup-client brings it back', async () => {
    await onHost(
      'pid=$(cat ~/.pinctl/kafka-rest.pid) && kill "$pid" && for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || exit 0; sleep 0.2; ' +
        'done; exit 1',
    )
    const {result, check} = await doctor('--layer', 'rest-proxy')
    expect(result.exitCode).toBe(6)
    expect(check('rest-proxy/service')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('dies with the SSH session'),
      fix: '`pinctl rest-proxy start` runs it as a service',
    })
    expect(check('rest-proxy/http')).toMatchObject({status: 'fail', detail: expect.stringContaining('nothing answers GET :8082/topics')})

    await restore()
    const after = await doctor('--layer', 'rest-proxy')
    expect(after.result.exitCode).toBe(0)
    expect(after.check('rest-proxy/http').status).toBe('ok')
  })

  it('a wrong SSH port: ssh/reachable fails and every host-side layer is skipped with the reason', async () => {
    const {result, check, report} = await doctor('--ssh-port', '1', '--layer', 'auth,rest-proxy')
    expect(result.exitCode).toBe(6)
    expect(check('ssh/reachable')).toMatchObject({status: 'fail', detail: '127.0.0.1:1 refused the connection'})
    expect(check('host/host')).toMatchObject({status: 'skip', detail: 'ssh/login was skipped'})
    expect(report.checks.filter((entry) => ['network', 'auth', 'rest-proxy'].includes(entry.layer)).map((entry) => entry.status)).toEqual([
      'skip',
      'skip',
      'skip',
    ])
  })
})
