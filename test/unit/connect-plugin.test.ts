import {
  CreateCustomPluginCommand,
  DescribeCustomPluginCommand,
  KafkaConnectClient,
  ListCustomPluginsCommand,
} from '@aws-sdk/client-kafkaconnect'
import {HeadBucketCommand, HeadObjectCommand, PutObjectCommand, S3Client} from '@aws-sdk/client-s3'
import {mockClient} from 'aws-sdk-client-mock'
import {createHash, randomBytes} from 'node:crypto'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {createServer, type Server} from 'node:http'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest'

import {PINNED} from '../../src/artifacts.js'
import {resolvePluginArtifact, S3_SINK_ZIP} from '../../src/connect/plugin-zip.js'
import {createPlugin, listPlugins} from '../../src/connect/plugin.js'
import {ConfigError, VerifyError} from '../../src/errors.js'
import {fakeClock, recorder} from './fake-clock.js'
import {PLUGIN_ARN, pluginSummary} from './fixtures/msk.js'

const s3 = mockClient(S3Client)
const kc = mockClient(KafkaConnectClient)
const aws = {region: 'us-east-1'}
const KEY = 'kafka-connect-s3/confluentinc-kafka-connect-s3-10.0.3.zip'

const zip = Buffer.concat([Buffer.from('PK\u0003\u0004', 'latin1'), randomBytes(2048)])
const sha = (algorithm: string) => createHash(algorithm).update(zip).digest('hex')
let dir: string
let zipFile: string

function notFound(name = 'NotFound') {
  return Object.assign(new Error(name), {name, $metadata: {httpStatusCode: 404}})
}

function options(overrides: Record<string, unknown> = {}) {
  return {
    aws,
    bucket: 'user-12b287eedf6d-bucket',
    pluginName: '12b287eedf6d-plugin',
    artifact: resolvePluginArtifact(),
    file: zipFile,
    cacheDir: join(dir, 'cache'),
    clock: fakeClock(),
    progress: recorder(),
    ...overrides,
  }
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pinctl-plugin-'))
  zipFile = join(dir, S3_SINK_ZIP.name)
  writeFileSync(zipFile, zip)
  s3.reset()
  kc.reset()
  s3.on(HeadBucketCommand).resolves({})
  s3.on(PutObjectCommand).resolves({ETag: `"${sha('md5')}"`})
})
afterEach(() => {
  s3.reset()
  kc.reset()
})

describe('connector plugin create', () => {
  it('when absent: uploads the zip with its checksums, creates the plugin from that object and waits for ACTIVE', async () => {
    s3.on(HeadObjectCommand).rejects(notFound())
    kc.on(ListCustomPluginsCommand).resolves({customPlugins: []})
    kc.on(CreateCustomPluginCommand).resolves({
      customPluginArn: PLUGIN_ARN,
      customPluginState: 'CREATING',
      name: '12b287eedf6d-plugin',
      revision: 1,
    })
    kc.on(DescribeCustomPluginCommand).resolvesOnce({customPluginState: 'CREATING'}).resolves({customPluginState: 'ACTIVE'})
    const progress = recorder()
    const result = await createPlugin(options({progress}))

    const put = s3.commandCalls(PutObjectCommand)[0].args[0].input
    expect(put).toMatchObject({
      Bucket: 'user-12b287eedf6d-bucket',
      Key: KEY,
      ContentType: 'application/zip',
      Metadata: {sha256: sha('sha256'), sha512: sha('sha512')},
    })
    expect(Buffer.from(put.Body as Uint8Array).equals(zip)).toBe(true)
    expect(kc.commandCalls(CreateCustomPluginCommand)[0].args[0].input).toEqual({
      name: '12b287eedf6d-plugin',
      contentType: 'ZIP',
      description: 'Confluent S3 sink 10.0.3 (pinctl)',
      location: {s3Location: {bucketArn: 'arn:aws:s3:::user-12b287eedf6d-bucket', fileKey: KEY}},
    })
    expect(result).toMatchObject({
      plugin: 'created',
      state: 'ACTIVE',
      pluginArn: PLUGIN_ARN,
      object: {status: 'uploaded', uri: `s3://user-12b287eedf6d-bucket/${KEY}`},
    })
    expect(result.artifact).toMatchObject({verified: false, sha512: sha('sha512'), source: 'file'})
    expect(progress.text()).toContain(`NOT verified: no SHA-512 is published for it. Computed SHA-512: ${sha('sha512')}`)
    expect(progress.text()).toContain('custom plugin 12b287eedf6d-plugin is ACTIVE')
  })

  it('when present: no upload (same SHA-256 in the metadata) and no CreateCustomPlugin', async () => {
    s3.on(HeadObjectCommand).resolves({ETag: '"0123"', ContentLength: zip.length, Metadata: {sha256: sha('sha256')}})
    kc.on(ListCustomPluginsCommand).resolves({customPlugins: [pluginSummary('ACTIVE')]})
    const result = await createPlugin(options())
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0)
    expect(kc.commandCalls(CreateCustomPluginCommand)).toHaveLength(0)
    expect(result).toMatchObject({plugin: 'exists', state: 'ACTIVE', object: {status: 'unchanged'}})
  })

  it("treats an object whose ETag is the zip's MD5 as the same (the seed's aws s3 cp)", async () => {
    s3.on(HeadObjectCommand).resolves({ETag: `"${sha('md5')}"`, Metadata: {}})
    kc.on(ListCustomPluginsCommand).resolves({customPlugins: [pluginSummary('ACTIVE')]})
    const result = await createPlugin(options())
    expect(result.object).toMatchObject({status: 'unchanged', reason: 'ETag equals the MD5'})
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0)
  })

  it('replaces an object with different content', async () => {
    s3.on(HeadObjectCommand).resolves({ETag: '"abc-2"', Metadata: {sha256: 'f'.repeat(64)}})
    kc.on(ListCustomPluginsCommand).resolves({customPlugins: [pluginSummary('ACTIVE')]})
    const result = await createPlugin(options())
    expect(result.object.status).toBe('replaced')
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(1)
  })

  it('reports CREATE_FAILED with the reason MSK Connect gives (exit 6)', async () => {
    s3.on(HeadObjectCommand).rejects(notFound())
    kc.on(ListCustomPluginsCommand).resolves({customPlugins: []})
    kc.on(CreateCustomPluginCommand).resolves({customPluginArn: PLUGIN_ARN, customPluginState: 'CREATING'})
    kc.on(DescribeCustomPluginCommand)
      .resolvesOnce({customPluginState: 'CREATING'})
      .resolves({
        customPluginState: 'CREATE_FAILED',
        stateDescription: {code: 'INVALID_PLUGIN', message: 'The plugin file is not a valid ZIP or JAR file.'},
      })
    const error = await createPlugin(options()).catch((e) => e)
    expect(error).toBeInstanceOf(VerifyError)
    expect(error.exitCode).toBe(6)
    expect(error.message).toBe('custom plugin 12b287eedf6d-plugin is CREATE_FAILED: The plugin file is not a valid ZIP or JAR file.')
    expect(error.hint).toContain('delete-custom-plugin')
  })

  it('reports an existing CREATE_FAILED plugin at once, with its reason', async () => {
    s3.on(HeadObjectCommand).resolves({Metadata: {sha256: sha('sha256')}})
    kc.on(ListCustomPluginsCommand).resolves({customPlugins: [pluginSummary('CREATE_FAILED')]})
    kc.on(DescribeCustomPluginCommand).resolves({
      customPluginState: 'CREATE_FAILED',
      stateDescription: {message: 'Access denied to S3 object'},
    })
    const error = await createPlugin(options()).catch((e) => e)
    expect(error.message).toMatch(/CREATE_FAILED: Access denied to S3 object/)
    expect(kc.commandCalls(CreateCustomPluginCommand)).toHaveLength(0)
  })

  it('refuses a plugin of the same name made from another location', async () => {
    s3.on(HeadObjectCommand).resolves({Metadata: {sha256: sha('sha256')}})
    const other = pluginSummary('ACTIVE', {
      latestRevision: {revision: 1, location: {s3Location: {bucketArn: 'arn:aws:s3:::someone-else', fileKey: 'x.zip'}}},
    })
    kc.on(ListCustomPluginsCommand).resolves({customPlugins: [other]})
    const error = await createPlugin(options()).catch((e) => e)
    expect(error).toBeInstanceOf(ConfigError)
    expect(error.message).toContain('already exists with another location (s3://someone-else/x.zip)')
  })

  it('stops at the time bound with a clear message', async () => {
    s3.on(HeadObjectCommand).resolves({Metadata: {sha256: sha('sha256')}})
    kc.on(ListCustomPluginsCommand).resolves({customPlugins: [pluginSummary('CREATING')]})
    kc.on(DescribeCustomPluginCommand).resolves({customPluginState: 'CREATING'})
    const error = await createPlugin(options({timeoutMs: 120_000})).catch((e) => e)
    expect(error).toBeInstanceOf(VerifyError)
    expect(error.message).toBe('custom plugin 12b287eedf6d-plugin is still CREATING after 2m (the limit)')
  })

  it('rejects a file that is not a zip before touching AWS', async () => {
    writeFileSync(zipFile, '<!DOCTYPE html><html>Access denied</html>')
    const error = await createPlugin(options()).catch((e) => e)
    expect(error).toBeInstanceOf(VerifyError)
    expect(error.message).toMatch(/is not a zip file \(it starts with "<!DO"\)/)
    expect(s3.calls()).toHaveLength(0)
  })
})

describe('downloading the zip', () => {
  let server: Server
  let base: string
  let requests: string[]
  beforeAll(async () => {
    requests = []
    server = createServer((req, res) => {
      requests.push(req.url!)
      if (req.url?.endsWith('.zip')) res.end(zip)
      else res.writeHead(404).end('not found')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as {port: number}).port}`
  })
  afterAll(() => new Promise((resolve) => server.close(resolve)))
  beforeEach(() => {
    requests.length = 0
    s3.on(HeadObjectCommand).resolves({Metadata: {sha256: sha('sha256')}})
    kc.on(ListCustomPluginsCommand).resolves({customPlugins: [pluginSummary('ACTIVE')]})
  })

  it('keeps the path under a mirror, verifies a known SHA-512 and reuses the cached file', async () => {
    const artifact = resolvePluginArtifact({mirror: `${base}/`, sha512: sha('sha512').toUpperCase()})
    expect(artifact.url).toBe(`${base}/api/plugins/confluentinc/kafka-connect-s3/versions/10.0.3/confluentinc-kafka-connect-s3-10.0.3.zip`)
    const first = await createPlugin(options({artifact, file: undefined}))
    expect(first.artifact).toMatchObject({verified: true, source: 'download', url: artifact.url})
    const second = await createPlugin(options({artifact, file: undefined}))
    expect(second.artifact.source).toBe('cache')
    expect(requests).toEqual(['/api/plugins/confluentinc/kafka-connect-s3/versions/10.0.3/confluentinc-kafka-connect-s3-10.0.3.zip'])
  })

  it('fails on a SHA-512 mismatch and keeps nothing', async () => {
    const artifact = resolvePluginArtifact({mirror: base, sha512: 'a'.repeat(128)})
    const error = await createPlugin(options({artifact, file: undefined})).catch((e) => e)
    expect(error).toBeInstanceOf(VerifyError)
    expect(error.message).toContain(`expected ${'a'.repeat(128)}, got ${sha('sha512')}`)
    const again = await createPlugin(options({artifact, file: undefined})).catch((e) => e)
    expect(again).toBeInstanceOf(VerifyError)
    expect(requests).toHaveLength(2)
  })

  it('says which URL failed and how to point elsewhere', async () => {
    const artifact = resolvePluginArtifact({url: `${base}/missing.tgz`})
    const error = await createPlugin(options({artifact, file: undefined})).catch((e) => e)
    expect(error).toBeInstanceOf(ConfigError)
    expect(error.message).toBe(`cannot download ${base}/missing.tgz: HTTP 404 Not Found`)
    expect(error.hint).toMatch(/--url|--file/)
  })

  it('takes the checksum from the artifacts file by upstream path', () => {
    const file = join(dir, 'artifacts.json')
    writeFileSync(file, JSON.stringify({[new URL(PINNED['s3-sink'].url).pathname]: sha('sha512')}))
    expect(resolvePluginArtifact({mirror: base, artifactsFile: file}).sha512).toBe(sha('sha512'))
    expect(resolvePluginArtifact().sha512).toBeNull()
    expect(() => resolvePluginArtifact({sha512: 'abc'})).toThrow(/not 128 hex/)
  })
})

describe('connector plugin list', () => {
  it('lists name, state, revision and location, sorted', async () => {
    kc.on(ListCustomPluginsCommand)
      .resolvesOnce({customPlugins: [pluginSummary('ACTIVE')], nextToken: 'page2'})
      .resolves({customPlugins: [pluginSummary('CREATING', {name: 'aaa-plugin', latestRevision: undefined})]})
    const rows = await listPlugins(aws)
    expect(rows.map((r) => [r.name, r.state, r.revision, r.location])).toEqual(
      [
        ['aaa-plugin', 'CREATING', undefined, undefined],
        ['12b287eedf6d-plugin', 'ACTIVE', 1, `s3://user-12b287eedf6d-bucket/${KEY}`],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    )
    expect(kc.commandCalls(ListCustomPluginsCommand)[1].args[0].input).toMatchObject({nextToken: 'page2'})
  })
})
