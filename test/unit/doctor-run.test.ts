import {GetCallerIdentityCommand, STSClient} from '@aws-sdk/client-sts'
import {mockClient} from 'aws-sdk-client-mock'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {createServer, type Server} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest'

import {resolveConfig} from '../../src/config/resolve.js'
import {runDoctor} from '../../src/doctor/run.js'
import type {HostSession} from '../../src/ssh/session.js'
import {b64, BROKERS, JAR, PATHS as paths, probeText, provisionedHostLines} from './fixtures/host.js'

const sts = mockClient(STSClient)

/** The host probe's answer (setup-client's facts plus doctor's lines) of a provisioned Debian host without systemd. */
function probeOutput(proxyRunning: boolean): string {
  const lines: Record<string, string> = {
    ...provisionedHostLines(),
    'doctor.iamjarpaths': b64(`${paths.libs}/${JAR}\n`),
    'doctor.restproxy.logsource': 'file',
  }
  if (proxyRunning) {
    Object.assign(lines, {
      'restproxy.running': 'yes',
      'restproxy.pid': '4242',
      'doctor.restproxy.procs': '4242:4242',
      'doctor.restproxy.http.rc': '0',
      'doctor.restproxy.http.code': '200',
      'doctor.restproxy.http.body': b64('["12b287eedf6d.pin"]'),
    })
  } else {
    Object.assign(lines, {
      'doctor.restproxy.http.rc': '7',
      'doctor.restproxy.http.error': b64('curl: (7) Failed to connect to 127.0.0.1 port 8082'),
    })
  }
  return probeText(lines)
}

function fakeSession(output: string) {
  const commands: string[] = []
  let disposed = false
  const session = {
    stats: {connections: 1, execs: 0},
    async exec(command: string) {
      commands.push(command)
      return {code: 0, stdout: output, stderr: ''}
    },
    async dispose() {
      disposed = true
    },
  } as unknown as HostSession
  return {session, commands, disposed: () => disposed}
}

let server: Server
let port: number
let keyFile: string

beforeAll(async () => {
  // The ssh layer first checks that the port accepts TCP connections: something must listen.
  server = createServer((socket) => socket.destroy())
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  port = (server.address() as {port: number}).port
  const dir = mkdtempSync(join(tmpdir(), 'pinctl-doctor-'))
  keyFile = join(dir, 'kp.pem')
  writeFileSync(keyFile, '-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n', {mode: 0o400})
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))
beforeEach(() => {
  sts.reset()
  sts.on(GetCallerIdentityCommand).resolves({Account: '584739742957', Arn: 'arn:aws:iam::584739742957:user/op', UserId: 'AIDA1'})
})

function config() {
  return resolveConfig({
    env: {AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y'},
    home: mkdtempSync(join(tmpdir(), 'pinctl-home-')),
    cwd: mkdtempSync(join(tmpdir(), 'pinctl-cwd-')),
    flags: {userId: '12b287eedf6d', host: '127.0.0.1', sshPort: port, keyFile, auth: 'plaintext', bootstrapServers: BROKERS},
  })
}

describe('runDoctor with a fake session', () => {
  it('reads the host in one remote command and finds a provisioned host and its proxy healthy', async () => {
    const host = fakeSession(probeOutput(true))
    const report = await runDoctor({config: config(), layers: ['host', 'rest-proxy'], openSession: async () => host.session})
    const failing = report.checks.filter((check) => check.status === 'fail')
    expect(failing).toEqual([])
    expect(report.checks.filter((check) => check.layer === 'host').every((check) => check.status === 'ok')).toBe(true)
    expect(report.checks.find((check) => check.layer === 'rest-proxy' && check.name === 'service')).toMatchObject({
      status: 'ok',
      detail: expect.stringContaining('pid 4242'),
    })
    expect(host.commands).toHaveLength(1)
    expect(host.disposed()).toBe(true)
  })

  it('asks STS through the injected AWS client provider when there is one', async () => {
    const host = fakeSession(probeOutput(true))
    const sent: string[] = []
    const fakeSts = {
      async send(command: unknown) {
        sent.push((command as object).constructor.name)
        return {Account: '111122223333', Arn: 'arn:aws:iam::111122223333:user/fake', UserId: 'AIDA2'}
      },
    }
    const report = await runDoctor({
      config: config(),
      layers: ['local'],
      openSession: async () => host.session,
      awsClients: (service) => (service === 'STS' ? fakeSts : undefined),
    })
    expect(sent).toEqual(['GetCallerIdentityCommand'])
    expect(sts.calls()).toHaveLength(0)
    expect(report.checks.find((check) => check.name === 'credentials')).toMatchObject({
      status: 'ok',
      detail: expect.stringContaining('111122223333'),
    })
  })

  it('names the fix when the REST proxy is not running', async () => {
    const host = fakeSession(probeOutput(false))
    const report = await runDoctor({config: config(), layers: ['rest-proxy'], openSession: async () => host.session})
    expect(report.ok).toBe(false)
    expect(report.checks.find((check) => check.layer === 'rest-proxy' && check.name === 'service')).toMatchObject({
      status: 'fail',
      fix: '`pinctl rest-proxy start` runs it as a service',
    })
    expect(report.checks.find((check) => check.layer === 'rest-proxy' && check.name === 'http')).toMatchObject({status: 'fail'})
  })
})
