import {
  APIGatewayClient,
  CreateRestApiCommand,
  GetDeploymentsCommand,
  GetIntegrationCommand,
  GetResourcesCommand,
} from '@aws-sdk/client-api-gateway'
import {DeleteCustomPluginCommand, KafkaConnectClient} from '@aws-sdk/client-kafkaconnect'
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  S3Client,
} from '@aws-sdk/client-s3'
import {randomBytes} from 'node:crypto'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {ensureProvisioned, pinctl} from './harness.js'

/**
 * pinctl's connector and API commands against the sandbox: moto for S3, IAM, MSK and API Gateway, and the
 * sandbox's MSK Connect stand-in (AWS_ENDPOINT_URL_KAFKACONNECT) for kafkaconnect. Everything the test makes
 * has its own names, so the demo's plugin, connector and API are left alone.
 */
const REQUIRED = ['AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_KAFKACONNECT', 'PINCTL_USER', 'PINCTL_CLUSTER'] as const

function sandboxEnv(): Record<(typeof REQUIRED)[number], string> {
  const missing = REQUIRED.filter((name) => !process.env[name])
  if (missing.length > 0) {
    throw new Error(
      `sandbox environment missing (${missing.join(', ')}): run the tests with \`npm test\`, or \`eval "$(scripts/sandbox env)"\` first`,
    )
  }
  return process.env as never
}

const run = `it${randomBytes(3).toString('hex')}`
const bucket = `pinctl-${run}-bucket`
const pluginName = `${run}-plugin`
const connectorName = `${run}-connector`
const key = 'kafka-connect-s3/confluentinc-kafka-connect-s3-10.0.3.zip'
let s3: S3Client
let apigw: APIGatewayClient
let pluginArn: string | undefined

function json(result: {stdout?: unknown; stderr?: unknown; exitCode?: number}) {
  if (result.exitCode !== 0) throw new Error(`pinctl exited ${result.exitCode}: ${String(result.stdout)} ${String(result.stderr)}`)
  return JSON.parse(String(result.stdout))
}

beforeAll(async () => {
  sandboxEnv()
  s3 = new S3Client({forcePathStyle: true})
  apigw = new APIGatewayClient({})
  await s3.send(new CreateBucketCommand({Bucket: bucket}))
  // Versioning makes every PutObject a new version: the proof that a second run uploaded nothing.
  await s3.send(new PutBucketVersioningCommand({Bucket: bucket, VersioningConfiguration: {Status: 'Enabled'}}))
})

afterAll(async () => {
  await pinctl(['connector', 'delete', '--yes', '--connector-name', connectorName])
  if (pluginArn) await new KafkaConnectClient({}).send(new DeleteCustomPluginCommand({customPluginArn: pluginArn})).catch(() => undefined)
})

describe('connector plugin create (moto S3 + MSK Connect stand-in)', () => {
  it('uploads and creates the plugin, then on the second run uploads nothing (same object) and creates nothing', async () => {
    // Downloaded from the sandbox mirror and verified against the artifacts file, as in the demo.
    const args = ['connector', 'plugin', 'create', '--json', '--bucket', bucket, '--plugin-name', pluginName]
    const first = json(await pinctl(args))
    expect(first).toMatchObject({plugin: 'created', state: 'ACTIVE', object: {status: 'uploaded', uri: `s3://${bucket}/${key}`}})
    pluginArn = first.pluginArn

    const again = json(await pinctl(args))
    expect(again).toMatchObject({
      plugin: 'exists',
      state: 'ACTIVE',
      pluginArn,
      object: {status: 'unchanged', reason: 'same SHA-256 (object metadata)'},
    })

    const versions = await s3.send(new ListObjectVersionsCommand({Bucket: bucket, Prefix: key}))
    expect(versions.Versions?.map((v) => v.Key)).toEqual([key])
  })

  it('lists the plugin with the object it was made from', async () => {
    const list = json(await pinctl(['connector', 'plugin', 'list', '--json']))
    expect(list.plugins).toContainEqual(expect.objectContaining({name: pluginName, state: 'ACTIVE', location: `s3://${bucket}/${key}`}))
  })
})

describe('connector create / status / delete (MSK Connect stand-in)', () => {
  // The test's own user id gives its connector its own topics.regex (<run>.*): the sandbox's real Connect
  // worker then copies only the records this test produces. The role is the sandbox account's.
  beforeAll(async () => {
    // The topics exist before the connector, as in the seed; the REST proxy on the host carries the records.
    await ensureProvisioned()
    expect((await pinctl(['topics', 'create', '--user', run])).exitCode).toBe(0)
  }, 300_000)

  const names = () => [
    '--user',
    run,
    '--role',
    `${sandboxEnv().PINCTL_USER}-ec2-access-role`,
    '--bucket',
    bucket,
    '--plugin-name',
    pluginName,
    '--connector-name',
    connectorName,
  ]

  it("creates the connector with the cluster's brokers and network, and a second run changes nothing", async () => {
    const created = json(await pinctl(['connector', 'create', '--json', ...names()]))
    expect(created).toMatchObject({status: 'created', state: 'RUNNING'})
    expect(created.request.connectorConfiguration).toMatchObject({'topics.regex': `${run}.*`, 's3.bucket.name': bucket})
    expect(created.request.kafkaCluster.apacheKafkaCluster.vpc.subnets.length).toBeGreaterThan(0)

    const again = json(await pinctl(['connector', 'create', '--json', ...names()]))
    expect(again).toMatchObject({status: 'exists', connectorArn: created.connectorArn, differences: []})

    const different = await pinctl(['connector', 'create', ...names(), '--workers', '2'])
    expect(different.exitCode).toBe(2)
    expect(String(different.stderr)).toContain('capacity: 1 worker × 1 MCU → 2 workers × 1 MCU')
  })

  it('records produced to the topics reach S3 through the Connect worker, and status counts them', async () => {
    const records = [
      {index: 1, title: 'first'},
      {index: 2, title: 'tab\there'},
      {index: 3, title: '"quoted"'},
    ]
    const produced = await pinctl(['produce', `${run}.pin`, '--file', '-'], {
      input: records.map((record) => JSON.stringify(record)).join('\n'),
    })
    expect(produced.exitCode, String(produced.stderr)).toBe(0)
    expect((await pinctl(['produce', `${run}.geo`, '--data', '{"ind": 1, "country": "Albania"}'])).exitCode).toBe(0)

    // flush.size=1: one object per record, written by the worker shortly after it reads them (bounded wait).
    const counts = async () => {
      const status = json(
        await pinctl([
          'connector',
          'status',
          '--json',
          ...names().slice(0, 2),
          '--bucket',
          bucket,
          '--plugin-name',
          pluginName,
          '--connector-name',
          connectorName,
        ]),
      )
      return Object.fromEntries(status.topics.map((t: {topic: string; objects: number}) => [t.topic, t.objects]))
    }
    let seen = await counts()
    for (let i = 0; i < 60 && (seen[`${run}.pin`] < 3 || seen[`${run}.geo`] < 1); i++) {
      await new Promise((resolve) => setTimeout(resolve, 1000))
      seen = await counts()
    }
    expect(seen).toEqual({[`${run}.pin`]: 3, [`${run}.geo`]: 1, [`${run}.user`]: 0})

    const listed = await s3.send(new ListObjectsV2Command({Bucket: bucket, Prefix: `topics/${run}.pin/`}))
    const keys = (listed.Contents ?? []).map((object) => object.Key).sort()
    expect(keys).toEqual([0, 1, 2].map((offset) => `topics/${run}.pin/partition=0/${run}.pin+0+${String(offset).padStart(10, '0')}.json`))
    const first = await s3.send(new GetObjectCommand({Bucket: bucket, Key: keys[1]}))
    expect(JSON.parse(await first.Body!.transformToString())).toEqual(records[1])
  }, 180_000)

  it('delete refuses without a terminal or --yes, and deletes with --yes', async () => {
    const refused = await pinctl(['connector', 'delete', '--connector-name', connectorName])
    expect(refused.exitCode).toBe(2)
    expect(String(refused.stderr)).toContain('pass --yes')
    expect(json(await pinctl(['connector', 'delete', '--yes', '--json', '--connector-name', connectorName]))).toMatchObject({
      status: 'deleted',
    })
    const status = json(
      await pinctl(['connector', 'status', '--json', '--bucket', bucket, '--plugin-name', pluginName, '--connector-name', connectorName]),
    )
    expect(status.connector.state).toBe('ABSENT')
  })
})

describe('api wire (moto API Gateway)', () => {
  it('run twice leaves one {proxy+} resource with one ANY method, and the second run changes nothing', async () => {
    const api = await apigw.send(new CreateRestApiCommand({name: `${run}-api`}))
    const args = ['api', 'wire', '--json', '--api-id', api.id!, '--host', 'ec2-54-81-124-13.compute-1.amazonaws.com']
    const first = json(await pinctl(args))
    expect(first).toMatchObject({
      changed: true,
      invokeUrl: `https://${api.id}.execute-api.${process.env.AWS_REGION ?? 'us-east-1'}.amazonaws.com/test`,
    })
    const second = json(await pinctl(args))
    expect(second).toMatchObject({
      changed: false,
      deploymentId: first.deploymentId,
      steps: {resource: 'ok', method: 'ok', integration: 'ok', deployment: 'ok'},
    })

    const resources = (await apigw.send(new GetResourcesCommand({restApiId: api.id!}))).items ?? []
    const proxies = resources.filter((r) => r.path === '/{proxy+}')
    expect(proxies).toHaveLength(1)
    expect(resources).toHaveLength(2)
    expect(Object.keys(proxies[0].resourceMethods ?? {})).toEqual(['ANY'])
    const integration = await apigw.send(new GetIntegrationCommand({restApiId: api.id!, resourceId: proxies[0].id!, httpMethod: 'ANY'}))
    expect(integration).toMatchObject({
      type: 'HTTP_PROXY',
      uri: 'http://ec2-54-81-124-13.compute-1.amazonaws.com:8082/{proxy}',
      requestParameters: {'integration.request.path.proxy': 'method.request.path.proxy'},
    })
    expect((await apigw.send(new GetDeploymentsCommand({restApiId: api.id!}))).items).toHaveLength(1)
  })
})
