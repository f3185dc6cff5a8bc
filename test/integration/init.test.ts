import {execa} from 'execa'
import {mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {configSchema} from '../../src/config/schema.js'
import {pinctl, sandboxEnv} from './harness.js'

const UID = '12b287eedf6d'
/** No AWS credentials anywhere: only PATH and an empty HOME, no config or credentials file, no instance metadata. */
function offlineEnv(home: string): NodeJS.ProcessEnv {
  return {
    PATH: String(process.env.PATH),
    HOME: home,
    NO_COLOR: '1',
    AWS_CONFIG_FILE: join(home, 'none'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'none'),
    AWS_EC2_METADATA_DISABLED: 'true',
  }
}

const ARGS = ['--yes', '--user', UID, '--cluster', 'pinterest-msk-cluster', '--instance', `${UID}-ec2-client`]

let publicDns: string
beforeAll(async () => {
  sandboxEnv()
  // The instance's address as an independent client (the AWS CLI) sees it in moto.
  const answer = await execa('aws', [
    'ec2',
    'describe-instances',
    '--filters',
    `Name=tag:Name,Values=${UID}-ec2-client`,
    'Name=instance-state-name,Values=running',
    '--query',
    'Reservations[0].Instances[0].PublicDnsName',
    '--output',
    'text',
  ])
  publicDns = answer.stdout.trim()
}, 60_000)

describe('pinctl init against moto', () => {
  it('writes a valid config from the cluster and instance, then finds nothing to change', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'pinctl-init-it-')), 'pinctl.json')
    const result = await pinctl(['init', ...ARGS, '--config', file, '--json'])
    expect(result.exitCode, String(result.stderr)).toBe(0)
    expect(JSON.parse(String(result.stdout))).toMatchObject({
      status: 'created',
      file,
      cluster: {name: 'pinterest-msk-cluster', state: 'ACTIVE'},
    })
    const written = configSchema.parse(JSON.parse(readFileSync(file, 'utf8')))
    expect(written).toEqual({
      userId: UID,
      region: sandboxEnv().AWS_REGION,
      host: publicDns,
      keyPairName: `${UID}-key-pair`,
      clusterName: 'pinterest-msk-cluster',
      roleName: `${UID}-ec2-access-role`,
    })
    const again = await pinctl(['init', ...ARGS, '--config', file])
    expect(again.exitCode).toBe(0)
    expect(again.stderr).toContain(`unchanged: ${file}`)
  })

  it('refuses to replace a differing file without --force, after showing the diff', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'pinctl-init-it-')), 'pinctl.json')
    expect((await pinctl(['init', ...ARGS, '--config', file])).exitCode).toBe(0)
    const before = readFileSync(file, 'utf8')
    const refused = await pinctl(['init', ...ARGS, '--role', 'another-role', '--config', file])
    expect(refused.exitCode).toBe(2)
    expect(refused.stderr).toMatch(/-\s+"roleName": "12b287eedf6d-ec2-access-role"/)
    expect(refused.stderr).toMatch(/\+\s+"roleName": "another-role"/)
    expect(refused.stderr).toContain('hint: rerun with --force to replace it')
    expect(readFileSync(file, 'utf8')).toBe(before)
    const forced = await pinctl(['init', ...ARGS, '--role', 'another-role', '--config', file, '--force'])
    expect(forced.exitCode).toBe(0)
    expect(JSON.parse(readFileSync(file, 'utf8')).roleName).toBe('another-role')
  })

  it('without a terminal and without a user id: exit 2 naming --user', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'pinctl-init-it-')), 'pinctl.json')
    const result = await pinctl(['init', '--config', file], {env: {PINCTL_USER: '', NO_COLOR: '1'}})
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('error: no user id given')
    expect(result.stderr).toContain('pass --user')
  })

  it('an instance that is not running is named with the ones that are', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'pinctl-init-it-')), 'pinctl.json')
    const result = await pinctl([
      'init',
      '--yes',
      '--user',
      UID,
      '--cluster',
      'pinterest-msk-cluster',
      '--instance',
      'i-00000000000000000',
      '--config',
      file,
    ])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('no running EC2 instance "i-00000000000000000"')
    expect(result.stderr).toContain(`${UID}-ec2-client`)
  })

  it('offline: every value as a flag, no AWS credentials: writes the config, and setup-client --dry-run accepts it', async () => {
    const env = sandboxEnv()
    const home = mkdtempSync(join(tmpdir(), 'pinctl-init-home-'))
    const file = join(home, 'pinctl.json')
    const offline = offlineEnv(home)
    const args = [
      'init',
      '--yes',
      '--user',
      UID,
      '--host',
      env.PINCTL_HOST,
      '--key-pair',
      `${UID}-key-pair`,
      '--cluster',
      'pinterest-msk-cluster',
      '--config',
      file,
    ]
    const written = await pinctl(args, {extendEnv: false, env: offline})
    expect(written.exitCode, String(written.stderr)).toBe(0)
    expect(written.stderr).toContain('every value was given: no AWS lookup')
    expect(configSchema.parse(JSON.parse(readFileSync(file, 'utf8')))).toEqual({
      userId: UID,
      region: 'us-east-1',
      host: env.PINCTL_HOST,
      keyPairName: `${UID}-key-pair`,
      clusterName: 'pinterest-msk-cluster',
      roleName: `${UID}-ec2-access-role`,
    })

    // The sandbox's port, key and brokers come from its environment; the user id and host from the file init wrote.
    const plan = await pinctl(['setup-client', '--dry-run', '--config', file], {env: {PINCTL_USER: '', PINCTL_CONFIG: file, NO_COLOR: '1'}})
    expect(plan.exitCode, String(plan.stderr)).toBe(0)
    expect(plan.stderr).toContain(`ec2-user@${env.PINCTL_HOST}`)
  })

  it('offline without --cluster: names the flag it needs (exit 2)', async () => {
    const home = mkdtempSync(join(tmpdir(), 'pinctl-init-home-'))
    const offline = offlineEnv(home)
    const result = await pinctl(['init', '--yes', '--user', UID, '--host', 'h.example', '--config', join(home, 'pinctl.json')], {
      extendEnv: false,
      env: offline,
    })
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toMatch(/error: no MSK cluster given, and AWS could not be asked: .*no AWS credentials/)
    expect(result.stderr).toContain('hint: pass --cluster')
  })
})
