import {GetRoleCommand, IAMClient} from '@aws-sdk/client-iam'
import {mockClient} from 'aws-sdk-client-mock'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {iamJarFor, resolveArtifact} from '../../src/artifacts.js'
import {RemoteCommandError, SshError, VerifyError} from '../../src/errors.js'
import {parseFacts} from '../../src/host/facts.js'
import {provisionHost, type ProvisionOptions} from '../../src/provision/runner.js'
import {restProxyHash, type StepContext} from '../../src/provision/steps.js'
import {renderClientProperties} from '../../src/provision/templates.js'
import {ConnectionLostError, type HostSession} from '../../src/ssh/session.js'
import type {HostLockOptions} from '../../src/ssh/host-lock.js'
import {b64, BROKERS, PATHS as paths, probeText, provisionedHostLines} from './fixtures/host.js'
import * as msk from './fixtures/msk.js'

const iam = mockClient(IAMClient)
const TRUSTED = encodeURIComponent(
  JSON.stringify({Statement: [{Effect: 'Allow', Principal: {AWS: msk.ROLE_ARN}, Action: 'sts:AssumeRole'}]}),
)

/** What setup-client's facts probe prints for a Debian host (no systemd) that a previous run provisioned. */
function provisionedFacts(overrides: Record<string, string> = {}): string {
  const lines: Record<string, string> = {
    ...provisionedHostLines(),
    'restproxy.running': 'yes',
    'restproxy.pid': '4242',
    ...overrides,
  }
  const facts = parseFacts(probeText(lines))
  const ctx = {
    facts,
    paths,
    userId: '12b287eedf6d',
    sshUser: 'ec2-user',
    auth: 'plaintext',
    restProxyPort: 8082,
    bootstrapServers: BROKERS,
    role: {name: '12b287eedf6d-ec2-access-role', arn: msk.ROLE_ARN},
    artifacts: {iamJar: resolveArtifact(iamJarFor(17))},
  } as unknown as StepContext
  lines['restproxy.applied'] = restProxyHash(ctx)
  return probeText({...lines, ...overrides})
}

/** A host without sshd: answers the facts probe and the verify step, records everything else. */
function fakeHost(
  facts: string,
  behaviour: {failOn?: RegExp; lostOn?: RegExp; lock?: (options: HostLockOptions) => Promise<{release(): void}>; proxyDown?: boolean} = {},
) {
  const calls: string[] = []
  const writes: Array<{path: string; content: string; backup?: boolean}> = []
  const exec = async (command: string) => {
    if (command.includes('kv home "$h"')) return (calls.push('facts'), {code: 0, stdout: facts, stderr: ''})
    if (command.includes('kv kafka-topics.rc')) {
      calls.push('verify')
      return {
        code: 0,
        stdout: [
          'kafka-topics.rc=0',
          `kafka-topics.out=${b64('12b287eedf6d.pin\n')}`,
          `rest-proxy.rc=${behaviour.proxyDown ? 7 : 0}`,
          `rest-proxy.out=${b64(behaviour.proxyDown ? 'curl: (7) Failed to connect' : '["12b287eedf6d.pin"]')}`,
          `rest-proxy.array=${behaviour.proxyDown ? 'no' : 'yes'}`,
          '',
        ].join('\n'),
        stderr: '',
      }
    }
    calls.push(command.split('\n')[0])
    if (behaviour.lostOn?.test(command)) throw new ConnectionLostError('10.0.0.5', 'the connection closed')
    return behaviour.failOn?.test(command) ? {code: 1, stdout: '', stderr: 'boom'} : {code: 0, stdout: '', stderr: ''}
  }
  const session = {
    target: {host: '10.0.0.5', port: 22, user: 'ec2-user', keyFile: '/k.pem', knownHostsFile: '/kh'},
    label: 'ec2-user@10.0.0.5:22',
    stats: {connections: 1, execs: 0},
    exec,
    async run(command: string, what: string) {
      const result = await exec(command)
      if (result.code !== 0) throw new RemoteCommandError(`${what} failed`, undefined, {code: result.code, stderr: result.stderr})
      return result
    },
    async writeFile(path: string, content: string, options: {backup?: boolean} = {}) {
      if (behaviour.lostOn?.test(path)) throw new ConnectionLostError('10.0.0.5', 'the connection closed')
      calls.push(`write ${path}`)
      writes.push({path, content, backup: options.backup})
      return {changed: true}
    },
    async lockHost(lockOptions: HostLockOptions) {
      calls.push('lock')
      return behaviour.lock ? behaviour.lock(lockOptions) : {release() {}}
    },
    async stream() {
      throw new Error('not used by provisioning')
    },
    async forward() {
      throw new Error('not used by provisioning')
    },
    async tunnel() {
      throw new Error('not used by provisioning')
    },
    async dispose() {
      calls.push('dispose')
    },
  } as unknown as HostSession
  return {session, calls, writes}
}

function options(session: HostSession, overrides: Partial<ProvisionOptions> = {}): ProvisionOptions {
  return {
    target: session.target,
    aws: {region: 'us-east-1'},
    userId: '12b287eedf6d',
    roleName: '12b287eedf6d-ec2-access-role',
    auth: 'plaintext',
    restProxyPort: 8082,
    bootstrapServers: async () => ({bootstrapServers: BROKERS}),
    artifacts: {},
    dryRun: false,
    openSession: async () => session,
    ...overrides,
  }
}

beforeEach(() => {
  iam.reset()
  iam.on(GetRoleCommand).resolves({
    Role: {
      RoleName: '12b287eedf6d-ec2-access-role',
      Arn: msk.ROLE_ARN,
      AssumeRolePolicyDocument: TRUSTED,
      Path: '/',
      RoleId: 'AROA1',
      CreateDate: new Date(),
    },
  })
})
afterEach(() => iam.reset())

describe('provisionHost with a fake session', () => {
  it('changes nothing on a provisioned host: the verify checks beside the lock, one facts probe', async () => {
    const host = fakeHost(provisionedFacts())
    const report = await provisionHost(options(host.session))
    expect(report.changed).toBe(0)
    expect(Object.fromEntries(report.steps.map((step) => [step.name, step.status]))).toMatchObject({
      kafka: 'ok',
      'rest-proxy': 'ok',
      verify: 'verified',
    })
    expect(host.calls).toEqual(['lock', 'verify', 'facts', 'dispose'])
    expect(host.writes).toEqual([])
  })

  it('takes no lock and runs nothing but the probe in a dry run', async () => {
    const host = fakeHost(provisionedFacts({'file.clientProperties': b64('security.protocol=SASL_SSL\n')}))
    const report = await provisionHost(options(host.session, {dryRun: true}))
    expect(report.steps.find((step) => step.name === 'client-properties')).toMatchObject({
      status: 'would-change',
      diff: expect.stringContaining('-security.protocol=SASL_SSL'),
    })
    expect(host.calls).toEqual(['facts', 'dispose'])
  })

  it('rewrites a drifted client.properties (keeping a .bak) and nothing else', async () => {
    const host = fakeHost(provisionedFacts({'file.clientProperties': b64('security.protocol=SASL_SSL\n')}))
    const report = await provisionHost(options(host.session))
    expect(report.changed).toBe(1)
    expect(host.writes).toEqual([{path: paths.clientProperties, content: renderClientProperties({auth: 'plaintext'}), backup: true}])
    // The checks started with the connection end before the change; verify runs again after it.
    expect(host.calls).toEqual(['lock', 'verify', 'facts', `write ${paths.clientProperties}`, 'verify', 'dispose'])
  })

  it('judges the checks started beside the facts probe when nothing changes (one verify, its failure reported)', async () => {
    const host = fakeHost(provisionedFacts(), {proxyDown: true})
    const error = await provisionHost(options(host.session)).catch((e) => e)
    expect(error).toBeInstanceOf(VerifyError)
    expect(error.message).toMatch(/the REST proxy did not answer GET :8082\/topics: curl: \(7\)/)
    expect(host.calls).toEqual(['lock', 'verify', 'facts', 'dispose'])
  })

  it('runs no checks when verify is not selected', async () => {
    const host = fakeHost(provisionedFacts())
    await provisionHost(options(host.session, {skip: ['verify']}))
    expect(host.calls).toEqual(['lock', 'facts', 'dispose'])
  })

  it('names the step when the connection drops during it (exit 4)', async () => {
    const host = fakeHost(provisionedFacts({'file.clientProperties': b64('x=1\n')}), {lostOn: /client\.properties/})
    const error = await provisionHost(options(host.session)).catch((e) => e)
    expect(error).toBeInstanceOf(SshError)
    expect(error.message).toBe(
      'SSH connection to 10.0.0.5 lost during step client-properties; the step leaves the host as it was; run again',
    )
    expect(host.calls.at(-1)).toBe('dispose')
  })

  it('takes its IAM client from the injected provider when there is one', async () => {
    const sent: string[] = []
    const fakeIam = {
      async send(command: unknown) {
        sent.push((command as object).constructor.name)
        return {Role: {RoleName: '12b287eedf6d-ec2-access-role', Arn: msk.ROLE_ARN, AssumeRolePolicyDocument: TRUSTED}}
      },
    }
    const host = fakeHost(provisionedFacts())
    const report = await provisionHost(
      options(host.session, {aws: {region: 'us-east-1', clients: (service) => (service === 'IAM' ? fakeIam : undefined)}}),
    )
    expect(report.changed).toBe(0)
    expect(sent).toEqual(['GetRoleCommand'])
    expect(iam.calls()).toHaveLength(0)
  })

  it('reads no facts when the host lock is not had', async () => {
    const host = fakeHost(provisionedFacts(), {
      lock: async () => Promise.reject(new RemoteCommandError('10.0.0.5 is locked by pid 7 on x: pinctl setup-client')),
    })
    await expect(provisionHost(options(host.session))).rejects.toThrow(/is locked by pid 7/)
    // The read-only checks had started with the connection; the run waits for them before it closes.
    expect(host.calls).toEqual(['lock', 'verify', 'dispose'])
  })

  it('checks again after the changes of a run whose lock it waited for, even when it changes nothing itself', async () => {
    const host = fakeHost(provisionedFacts(), {
      lock: async (options) => {
        options.onWait?.('pid 7 on x: pinctl setup-client', 0)
        return {release() {}}
      },
    })
    const waits: string[] = []
    const report = await provisionHost(options(host.session, {onLockWait: (holder) => waits.push(holder)}))
    expect(report.changed).toBe(0)
    expect(waits).toEqual(['pid 7 on x: pinctl setup-client'])
    expect(host.calls).toEqual(['lock', 'verify', 'facts', 'verify', 'dispose'])
  })
})
