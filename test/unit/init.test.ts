import {DescribeInstancesCommand, EC2Client} from '@aws-sdk/client-ec2'
import {GetRoleCommand, IAMClient} from '@aws-sdk/client-iam'
import {KafkaClient, ListClustersV2Command} from '@aws-sdk/client-kafka'
import {mockClient} from 'aws-sdk-client-mock'
import {existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {listRunningInstances} from '../../src/aws/ec2.js'
import {listClusters} from '../../src/aws/kafka.js'
import {resolveConfig} from '../../src/config/resolve.js'
import {configSchema} from '../../src/config/schema.js'
import {configFilePath, renderConfig} from '../../src/config/write.js'
import {ConfigError} from '../../src/errors.js'
import {type Prompter, runInit} from '../../src/init/init.js'
import * as msk from './fixtures/msk.js'

const kafka = mockClient(KafkaClient)
const ec2 = mockClient(EC2Client)
const iam = mockClient(IAMClient)
const UID = '12b287eedf6d'

/** DescribeInstances as EC2 answers it: reservations of instances with tags, DNS names and the launch key pair. */
function instance(id: string, name: string | undefined, extra: Record<string, unknown> = {}) {
  return {
    InstanceId: id,
    InstanceType: 't2.micro' as const,
    State: {Code: 16, Name: 'running' as const},
    KeyName: `${UID}-key-pair`,
    PublicDnsName: `ec2-3-80-1-${id.length}.compute-1.amazonaws.com`,
    PublicIpAddress: '3.80.1.2',
    PrivateDnsName: 'ip-172-31-1-2.ec2.internal',
    PrivateIpAddress: '172.31.1.2',
    LaunchTime: new Date('2024-05-01T09:00:00Z'),
    Tags: name ? [{Key: 'Name', Value: name}] : [],
    ...extra,
  }
}

let dir: string
let destination: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pinctl-init-'))
  destination = join(dir, 'pinctl.json')
  kafka.reset()
  ec2.reset()
  iam.reset()
  kafka.on(ListClustersV2Command).resolves(msk.listClustersV2)
  ec2.on(DescribeInstancesCommand).resolves({Reservations: [{Instances: [instance('i-0abc1234def567890', `${UID}-ec2-client`)]}]})
  iam.on(GetRoleCommand).resolves(msk.getRole)
})
afterEach(() => {
  kafka.reset()
  ec2.reset()
  iam.reset()
})

const env = {} as NodeJS.ProcessEnv

describe('AWS lookups for init', () => {
  it('listClusters reads every ListClustersV2 page', async () => {
    kafka.reset()
    kafka
      .on(ListClustersV2Command)
      .resolvesOnce({ClusterInfoList: [{ClusterArn: 'arn:a', ClusterName: 'a', State: 'CREATING'}], NextToken: 't'})
      .resolves(msk.listClustersV2)
    expect(await listClusters({region: 'us-east-1'})).toEqual([
      {arn: 'arn:a', name: 'a', state: 'CREATING'},
      {arn: msk.CLUSTER_ARN, name: 'pinterest-msk-cluster', state: 'ACTIVE'},
    ])
    expect(kafka.commandCalls(ListClustersV2Command)[1].args[0].input).toEqual({NextToken: 't'})
  })

  it('listRunningInstances asks for running ones and keeps Name tag, DNS and key pair', async () => {
    const [found] = await listRunningInstances({region: 'us-east-1'})
    expect(found).toMatchObject({
      id: 'i-0abc1234def567890',
      name: `${UID}-ec2-client`,
      publicDns: expect.stringMatching(/compute-1\.amazonaws\.com$/),
      keyName: `${UID}-key-pair`,
    })
    expect(ec2.commandCalls(DescribeInstancesCommand)[0].args[0].input.Filters).toEqual([
      {Name: 'instance-state-name', Values: ['running']},
    ])
  })
})

describe('pinctl init, non-interactive', () => {
  it('takes the lone cluster and instance, writes a valid config that resolveConfig reads back', async () => {
    const result = await runInit({flags: {userId: UID}, destination, env})
    expect(result.status).toBe('created')
    const written = JSON.parse(readFileSync(destination, 'utf8'))
    expect(configSchema.parse(written)).toEqual({
      userId: UID,
      region: 'us-east-1',
      host: 'ec2-3-80-1-19.compute-1.amazonaws.com',
      keyPairName: `${UID}-key-pair`,
      clusterName: 'pinterest-msk-cluster',
      roleName: `${UID}-ec2-access-role`,
    })
    const config = resolveConfig({configFile: destination, env: {}, cwd: dir, home: dir})
    expect(config).toMatchObject({userId: UID, clusterName: 'pinterest-msk-cluster', keyFile: join(dir, '.ssh', `${UID}-key-pair.pem`)})
    expect(readdirSync(dir)).toEqual(['pinctl.json'])
    // The same answers again: nothing to write.
    expect((await runInit({flags: {userId: UID}, destination, env})).status).toBe('unchanged')
  })

  it('a missing user id is a ConfigError naming --user', async () => {
    const error = await runInit({flags: {}, destination, env}).catch((e) => e)
    expect(error).toBeInstanceOf(ConfigError)
    expect(error.message).toBe('no user id given')
    expect(error.hint).toContain('--user')
    expect(existsSync(destination)).toBe(false)
  })

  it('with cluster, host and key pair given makes no AWS call and writes them', async () => {
    const flags = {
      userId: UID,
      cluster: 'pinterest-msk-cluster',
      host: 'ec2-3-80-1-2.compute-1.amazonaws.com',
      keyPairName: `${UID}-key-pair`,
    }
    const result = await runInit({flags, destination, env})
    expect(result.status).toBe('created')
    expect(kafka.calls()).toHaveLength(0)
    expect(ec2.calls()).toHaveLength(0)
    expect(iam.calls()).toHaveLength(0)
    expect(configSchema.parse(JSON.parse(readFileSync(destination, 'utf8')))).toMatchObject({
      clusterName: 'pinterest-msk-cluster',
      host: flags.host,
      keyPairName: flags.keyPairName,
    })
  })

  it('without AWS access, writes a given cluster with a warning, or names the flag it needs', async () => {
    const noCredentials = Object.assign(new Error('Could not load credentials from any providers'), {name: 'CredentialsProviderError'})
    kafka.on(ListClustersV2Command).rejects(noCredentials)
    ec2.on(DescribeInstancesCommand).rejects(noCredentials)
    iam.on(GetRoleCommand).rejects(noCredentials)
    const given = await runInit({flags: {userId: UID, cluster: 'pinterest-msk-cluster', host: 'h.example'}, destination, env})
    expect(given.status).toBe('created')
    expect(given.warnings.join('\n')).toMatch(
      /could not check MSK cluster pinterest-msk-cluster \(kafka:ListClustersV2: no AWS credentials/,
    )
    expect(given.config).toMatchObject({clusterName: 'pinterest-msk-cluster', host: 'h.example', keyPairName: `${UID}-key-pair`})

    const error = await runInit({flags: {userId: UID, host: 'h.example'}, destination: join(dir, 'other.json'), env}).catch((e) => e)
    expect(error).toBeInstanceOf(ConfigError)
    expect(error.message).toMatch(/^no MSK cluster given, and AWS could not be asked/)
    expect(error.hint).toMatch(/^pass --cluster/)
  })

  it('several clusters or instances: the error names the flag and the choices', async () => {
    kafka
      .on(ListClustersV2Command)
      .resolves({ClusterInfoList: [...msk.listClustersV2.ClusterInfoList, {ClusterArn: 'arn:b', ClusterName: 'other', State: 'ACTIVE'}]})
    const cluster = await runInit({flags: {userId: UID}, destination, env}).catch((e) => e)
    expect(cluster).toBeInstanceOf(ConfigError)
    expect(cluster.hint).toMatch(/--cluster \(one of: pinterest-msk-cluster, other\)/)

    ec2.on(DescribeInstancesCommand).resolves({Reservations: [{Instances: [instance('i-01', 'a'), instance('i-02', 'a')]}]})
    const ambiguous = await runInit({flags: {userId: UID, cluster: 'other', instance: 'a'}, destination, env}).catch((e) => e)
    expect(ambiguous.message).toBe('2 running instances are named "a"')
    expect(ambiguous.hint).toBe('pass the instance id: i-01, i-02')
    const byId = await runInit({flags: {userId: UID, cluster: 'other', instance: 'i-02'}, destination, env})
    expect(byId.instance?.id).toBe('i-02')
    expect(byId.config.clusterName).toBe('other')
  })

  it('an unknown cluster lists the ones there are', async () => {
    const error = await runInit({flags: {userId: UID, cluster: 'nope'}, destination, env}).catch((e) => e)
    expect(error.message).toBe('no MSK cluster named "nope" in us-east-1')
    expect(error.hint).toBe('clusters there: pinterest-msk-cluster')
  })

  it('never replaces a differing file without --force; shows the diff first', async () => {
    await runInit({flags: {userId: UID}, destination, env})
    const before = readFileSync(destination, 'utf8')
    const plans: string[] = []
    const error = await runInit({
      flags: {userId: UID, roleName: 'other-role'},
      destination,
      env,
      onPlan: (plan) => plans.push(plan.diff ?? ''),
    }).catch((e) => e)
    expect(error).toBeInstanceOf(ConfigError)
    expect(error.hint).toContain('--force')
    expect(plans[0]).toContain(`-  "roleName": "${UID}-ec2-access-role"`)
    expect(plans[0]).toContain('+  "roleName": "other-role"')
    expect(readFileSync(destination, 'utf8')).toBe(before)

    const forced = await runInit({flags: {userId: UID, roleName: 'other-role'}, destination, env, force: true})
    expect(forced.status).toBe('replaced')
    expect(JSON.parse(readFileSync(destination, 'utf8')).roleName).toBe('other-role')
  })

  it('keeps settings of the existing file init does not ask about, and drops a stale cluster ARN', async () => {
    writeFileSync(
      destination,
      JSON.stringify({
        userId: UID,
        auth: 'plaintext',
        mirror: 'http://10.0.0.5:8000',
        clusterArn: 'arn:aws:kafka:us-east-1:1:cluster/old/x',
      }),
    )
    const result = await runInit({flags: {}, destination, env, force: true})
    expect(result.config).toMatchObject({
      userId: UID,
      auth: 'plaintext',
      mirror: 'http://10.0.0.5:8000',
      clusterName: 'pinterest-msk-cluster',
    })
    expect(result.config.clusterArn).toBeUndefined()
  })

  it('an unreadable existing file is replaced only with --force, with a warning', async () => {
    writeFileSync(destination, '{ not json')
    await expect(runInit({flags: {userId: UID}, destination, env})).rejects.toThrow(ConfigError)
    const result = await runInit({flags: {userId: UID}, destination, env, force: true})
    expect(result.warnings[0]).toMatch(/is not valid JSON .*replaced, not merged/)
    expect(configSchema.safeParse(JSON.parse(readFileSync(destination, 'utf8'))).success).toBe(true)
  })

  it('invalid answers are refused before anything is written', async () => {
    await expect(runInit({flags: {userId: 'Not Valid!'}, destination, env})).rejects.toThrow(/invalid --user/)
    await expect(runInit({flags: {userId: UID, region: 'mars'}, destination, env})).rejects.toThrow(/invalid --region/)
    expect(existsSync(destination)).toBe(false)
  })

  it('an instance without a public address, a missing role: written with warnings', async () => {
    ec2
      .on(DescribeInstancesCommand)
      .resolves({Reservations: [{Instances: [instance('i-0priv', 'p', {PublicDnsName: '', PublicIpAddress: undefined})]}]})
    iam.on(GetRoleCommand).rejects(Object.assign(new Error('role not found'), {name: 'NoSuchEntityException'}))
    const result = await runInit({flags: {userId: UID}, destination, env})
    expect(result.config.host).toBe('ip-172-31-1-2.ec2.internal')
    expect(result.warnings).toEqual([
      'instance i-0priv has no public address: using ip-172-31-1-2.ec2.internal, reachable only from inside its VPC (or pass --host)',
      `IAM role ${UID}-ec2-access-role does not exist (yet): \`pinctl doctor\` will report it`,
    ])
  })

  it('--host skips the instance lookup', async () => {
    const result = await runInit({flags: {userId: UID, host: '10.0.0.9', keyPairName: 'mine'}, destination, env})
    expect(result.config).toMatchObject({host: '10.0.0.9', keyPairName: 'mine'})
    expect(ec2.commandCalls(DescribeInstancesCommand)).toHaveLength(0)
  })

  it('environment values fill in for flags (PINCTL_USER, AWS_REGION)', async () => {
    kafka.on(ListClustersV2Command).resolves(msk.listClustersV2)
    const result = await runInit({flags: {}, destination, env: {PINCTL_USER: UID, AWS_REGION: 'eu-west-1'}})
    expect(result.config).toMatchObject({userId: UID, region: 'eu-west-1'})
    expect(await kafka.call(0).thisValue.config.region()).toBe('eu-west-1')
  })
})

describe('pinctl init, interactive', () => {
  function scripted(answers: Record<string, unknown>) {
    const asked: Array<{message: string; default?: unknown; choices?: string[]}> = []
    const prompter: Prompter = {
      async input(options) {
        asked.push({message: options.message, default: options.default})
        const answer = (answers[options.message] as string | undefined) ?? options.default ?? ''
        const verdict = options.validate?.(answer)
        if (verdict !== undefined && verdict !== true) throw new Error(`validation refused ${answer}: ${verdict}`)
        return answer
      },
      async select(options) {
        asked.push({message: options.message, default: options.default, choices: options.choices.map((choice) => choice.name)})
        const pick = answers[options.message] as number | undefined
        return pick === undefined ? (options.default ?? options.choices[0].value) : options.choices[pick].value
      },
      async confirm(options) {
        asked.push({message: options.message, default: options.default})
        return Boolean(answers[options.message])
      },
    }
    return {prompter, asked}
  }

  it('asks region, profile, user, cluster, instance, key pair and role, with sensible defaults', async () => {
    kafka
      .on(ListClustersV2Command)
      .resolves({ClusterInfoList: [{ClusterArn: 'arn:old', ClusterName: 'old', State: 'DELETING'}, ...msk.listClustersV2.ClusterInfoList]})
    ec2
      .on(DescribeInstancesCommand)
      .resolves({Reservations: [{Instances: [instance('i-0aaa', 'bastion', {KeyName: 'ops'}), instance('i-0bbb', `${UID}-ec2-client`)]}]})
    const {prompter, asked} = scripted({'User id': UID, 'MSK cluster': 1, 'EC2 client instance': 1})
    const result = await runInit({flags: {}, destination, env, prompter})
    expect(asked.map((question) => question.message)).toEqual([
      'AWS region',
      'AWS profile (empty: the default credential chain)',
      'User id',
      'MSK cluster',
      'EC2 client instance',
      'Key pair name',
      'IAM role of the EC2 client',
    ])
    expect(asked[3].choices).toEqual(['old (DELETING)', 'pinterest-msk-cluster (ACTIVE)'])
    expect(asked[4].choices?.[1]).toMatch(new RegExp(`^${UID}-ec2-client {2}i-0bbb {2}ec2-`))
    expect(asked[5].default).toBe(`${UID}-key-pair`)
    expect(asked[6].default).toBe(`${UID}-ec2-access-role`)
    expect(result.config).toMatchObject({clusterName: 'pinterest-msk-cluster', keyPairName: `${UID}-key-pair`})
    expect(result.config.profile).toBeUndefined()
  })

  it('flags answer their questions; a differing file is replaced only on a yes', async () => {
    await runInit({flags: {userId: UID}, destination, env})
    const no = scripted({})
    const kept = await runInit({
      flags: {
        userId: UID,
        region: 'us-east-1',
        profile: 'student',
        cluster: 'pinterest-msk-cluster',
        instance: 'i-0abc1234def567890',
        keyPairName: `${UID}-key-pair`,
        roleName: 'r',
      },
      destination,
      env,
      prompter: no.prompter,
    })
    expect(no.asked.map((question) => question.message)).toEqual([`Replace ${destination}?`])
    expect(kept.status).toBe('kept')
    expect(JSON.parse(readFileSync(destination, 'utf8')).roleName).toBe(`${UID}-ec2-access-role`)
    const yes = scripted({[`Replace ${destination}?`]: true})
    expect(
      (await runInit({flags: {userId: UID, profile: 'student', roleName: 'r'}, destination, env, prompter: yes.prompter})).status,
    ).toBe('replaced')
    expect(JSON.parse(readFileSync(destination, 'utf8'))).toMatchObject({profile: 'student', roleName: 'r'})
  })
})

describe('config file location and rendering', () => {
  it('--config relative to the working directory, --global in the XDG dir, not both', () => {
    expect(configFilePath({config: 'x/p.json', cwd: '/w'})).toBe('/w/x/p.json')
    expect(configFilePath({global: true, env: {XDG_CONFIG_HOME: '/xdg'}, home: '/h'})).toBe('/xdg/pinctl/config.json')
    expect(configFilePath({global: true, env: {}, home: '/h'})).toBe('/h/.config/pinctl/config.json')
    expect(configFilePath({cwd: '/w'})).toBe('/w/pinctl.json')
    expect(() => configFilePath({config: 'a', global: true})).toThrow(ConfigError)
  })

  it('validates with the schema and writes keys in a stable order', () => {
    expect(renderConfig({region: 'us-east-1', userId: UID})).toBe(`{\n  "userId": "${UID}",\n  "region": "us-east-1"\n}\n`)
    expect(() => renderConfig({sshPort: 70_000})).toThrow(/sshPort/)
  })
})
