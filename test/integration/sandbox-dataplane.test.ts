// Self-tests of the sandbox data plane (scripts/sandbox.d/parts/30-kafka.sh, 40-mirror.sh, build-artifacts.sh):
// the Kafka 2.8.1 broker with the rebuilt tools, the artifact mirror and its artifacts file, and the REST proxy
// stand-in package. Needs the sandbox up and its env (eval "$(scripts/sandbox env)"); fails, never skips, without.
import {execa, type ResultPromise} from 'execa'
import {createHash, randomBytes} from 'node:crypto'
import {chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {freePort, requireSandboxEnv} from './harness.js'

const KAFKA_TGZ = '/dist/kafka/2.8.1/kafka_2.12-2.8.1.tgz'
const CONFLUENT_TGZ = '/archive/7.2/confluent-7.2.0.tar.gz'
const IAM_JARS = {
  '2.3.6': '/aws/aws-msk-iam-auth/releases/download/v2.3.6/aws-msk-iam-auth-2.3.6-all.jar',
  '2.3.4': '/aws/aws-msk-iam-auth/releases/download/v2.3.4/aws-msk-iam-auth-2.3.4-all.jar',
}
const V2 = 'application/vnd.kafka.v2+json'
const JSON_V2 = 'application/vnd.kafka.json.v2+json'

const sha512 = (data: Uint8Array) => createHash('sha512').update(data).digest('hex')

async function download(url: string): Promise<Buffer> {
  const res = await fetch(url)
  if (res.status !== 200) throw new Error(`GET ${url}: HTTP ${res.status}`)
  return Buffer.from(await res.arrayBuffer())
}

let env: Record<'PINCTL_BOOTSTRAP_SERVERS' | 'PINCTL_ZOOKEEPER' | 'PINCTL_MIRROR' | 'PINCTL_ARTIFACTS_FILE', string>
let artifacts: Record<string, string>
let work: string
let kafkaHome: string
let confluentHome: string
let clientProps: string
const topic = `dataplane-selftest.${randomBytes(4).toString('hex')}`

/** Runs one of the rebuilt Kafka tools; never throws on a non-zero exit. */
function kafkaTool(tool: string, args: string[], input?: string) {
  return execa(join(kafkaHome, 'bin', tool), args, {
    reject: false,
    timeout: 90_000,
    input,
    stdin: input === undefined ? 'ignore' : undefined,
  })
}

beforeAll(async () => {
  env = requireSandboxEnv(['PINCTL_BOOTSTRAP_SERVERS', 'PINCTL_ZOOKEEPER', 'PINCTL_MIRROR', 'PINCTL_ARTIFACTS_FILE'])
  artifacts = JSON.parse(readFileSync(env.PINCTL_ARTIFACTS_FILE, 'utf8'))
  work = mkdtempSync(join(tmpdir(), 'pinctl-dataplane-'))
  // The host's view: download from the mirror, check the recorded SHA-512, extract.
  for (const [path, dest] of [
    [KAFKA_TGZ, 'kafka.tgz'],
    [CONFLUENT_TGZ, 'confluent.tgz'],
  ] as const) {
    const body = await download(env.PINCTL_MIRROR + path)
    expect(sha512(body), `sha512 of ${path}`).toBe(artifacts[path])
    writeFileSync(join(work, dest), body)
    await execa('tar', ['-xzf', dest], {cwd: work})
  }
  kafkaHome = join(work, 'kafka_2.12-2.8.1')
  confluentHome = join(work, 'confluent-7.2.0')
  clientProps = join(work, 'client.properties')
  writeFileSync(clientProps, 'security.protocol=PLAINTEXT\n')
})

afterAll(async () => {
  if (kafkaHome && env)
    await kafkaTool('kafka-topics.sh', ['--bootstrap-server', env.PINCTL_BOOTSTRAP_SERVERS, '--delete', '--topic', topic])
  if (work) rmSync(work, {recursive: true, force: true})
})

describe('artifact mirror (PINCTL_MIRROR, PINCTL_ARTIFACTS_FILE)', () => {
  it('records a lowercase SHA-512 for the Kafka tarball, both IAM jars and the REST proxy package', () => {
    for (const path of [KAFKA_TGZ, CONFLUENT_TGZ, ...Object.values(IAM_JARS)]) {
      expect(artifacts[path], path).toMatch(/^[0-9a-f]{128}$/)
    }
    for (const [path, hex] of Object.entries(artifacts)) {
      expect(path).toMatch(/^\//)
      expect(hex, path).toMatch(/^[0-9a-f]{128}$/)
    }
  })

  it('serves every recorded file with its recorded SHA-512', async () => {
    for (const [path, hex] of Object.entries(artifacts)) {
      const body = await download(env.PINCTL_MIRROR + path)
      expect(sha512(body), path).toBe(hex)
    }
  })

  it('serves the IAM jars built for Java 17 (2.3.6) and Java 8 (2.3.4)', async () => {
    const classVersion = async (path: string) => {
      const jar = join(work, `iam-${randomBytes(3).toString('hex')}.jar`)
      writeFileSync(jar, await download(env.PINCTL_MIRROR + path))
      const cls = await execa('unzip', ['-p', jar, 'software/amazon/msk/auth/iam/IAMLoginModule.class'], {encoding: 'buffer'})
      return (cls.stdout as Uint8Array)[7] // major version byte of the class file
    }
    expect(await classVersion(IAM_JARS['2.3.6'])).toBe(61)
    expect(await classVersion(IAM_JARS['2.3.4'])).toBe(52)
  })

  it('answers 404 for a file it does not have', async () => {
    const res = await fetch(`${env.PINCTL_MIRROR}/dist/kafka/2.8.1/kafka_2.13-2.8.1.tgz`)
    expect(res.status).toBe(404)
  })
})

describe('rebuilt kafka_2.12-2.8.1 tarball', () => {
  it('has the layout the host expects: bin/, libs/ from Maven Central, config/, SANDBOX-REBUILD.txt', () => {
    for (const tool of [
      'kafka-run-class.sh',
      'kafka-topics.sh',
      'kafka-console-consumer.sh',
      'kafka-console-producer.sh',
      'kafka-server-start.sh',
      'zookeeper-server-start.sh',
    ]) {
      expect(statSync(join(kafkaHome, 'bin', tool)).mode & 0o111, tool).toBe(0o111)
    }
    for (const jar of [
      'kafka_2.12-2.8.1.jar',
      'kafka-clients-2.8.1.jar',
      'slf4j-log4j12-1.7.30.jar',
      'log4j-1.2.17.jar',
      'zookeeper-3.5.9.jar',
    ]) {
      expect(existsSync(join(kafkaHome, 'libs', jar)), jar).toBe(true)
    }
    // As in Apache's tarball: the core project's extra artifacts and signatures, which kafka-run-class.sh leaves off.
    for (const extra of ['-test.jar', '-test-sources.jar', '-javadoc.jar', '-sources.jar', '.jar.asc', '-test.jar.asc']) {
      expect(existsSync(join(kafkaHome, 'libs', `kafka_2.12-2.8.1${extra}`)), extra).toBe(true)
    }
    expect(readFileSync(join(kafkaHome, 'config', 'zookeeper.properties'), 'utf8')).toMatch(/^admin\.enableServer=false$/m)
    expect(readFileSync(join(kafkaHome, 'config', 'tools-log4j.properties'), 'utf8')).toMatch(/Target=System\.err/)
    expect(readFileSync(join(kafkaHome, 'SANDBOX-REBUILD.txt'), 'utf8')).toMatch(/REBUILT FOR THE PINCTL SANDBOX/)
  })

  it('creates a topic with --if-not-exists twice, lists and describes it', async () => {
    const b = env.PINCTL_BOOTSTRAP_SERVERS
    for (let i = 0; i < 2; i++) {
      const created = await kafkaTool('kafka-topics.sh', [
        '--bootstrap-server',
        b,
        '--command-config',
        clientProps,
        '--create',
        '--if-not-exists',
        '--topic',
        topic,
      ])
      expect(created.exitCode, String(created.stderr)).toBe(0)
      expect(String(created.stderr)).not.toMatch(/SLF4J|ERROR/)
    }
    const list = await kafkaTool('kafka-topics.sh', ['--bootstrap-server', b, '--command-config', clientProps, '--list'])
    expect(list.exitCode, String(list.stderr)).toBe(0)
    expect(String(list.stdout).split('\n')).toContain(topic)
    const described = await kafkaTool('kafka-topics.sh', [
      '--bootstrap-server',
      b,
      '--command-config',
      clientProps,
      '--describe',
      '--topic',
      topic,
    ])
    expect(described.exitCode, String(described.stderr)).toBe(0)
    expect(String(described.stdout)).toMatch(new RegExp(`Topic: ${topic.replace('.', '\\.')}\\s.*PartitionCount: 1`))
  })

  it('produces with kafka-console-producer.sh and consumes with kafka-console-consumer.sh over plaintext', async () => {
    const b = env.PINCTL_BOOTSTRAP_SERVERS
    const produced = await kafkaTool(
      'kafka-console-producer.sh',
      ['--bootstrap-server', b, '--producer.config', clientProps, '--topic', topic],
      '{"source":"console","n":1}\n',
    )
    expect(produced.exitCode, String(produced.stderr)).toBe(0)
    const consumed = await kafkaTool('kafka-console-consumer.sh', [
      '--bootstrap-server',
      b,
      '--consumer.config',
      clientProps,
      '--group',
      `selftest-${randomBytes(3).toString('hex')}`,
      '--topic',
      topic,
      '--from-beginning',
      '--max-messages',
      '1',
      '--timeout-ms',
      '30000',
      '--property',
      'print.timestamp=true',
    ])
    expect(consumed.exitCode, String(consumed.stderr)).toBe(0)
    expect(String(consumed.stdout).trim()).toMatch(/^CreateTime:\d{13}\t\{"source":"console","n":1\}$/)
    expect(String(consumed.stderr)).toMatch(/Processed a total of 1 messages/)
    expect(String(consumed.stderr)).not.toMatch(/SLF4J/)
  })

  it('has topic auto-creation off (as MSK): describing a missing topic fails', async () => {
    const missing = await kafkaTool('kafka-topics.sh', [
      '--bootstrap-server',
      env.PINCTL_BOOTSTRAP_SERVERS,
      '--describe',
      '--topic',
      `${topic}.missing`,
    ])
    expect(missing.exitCode).not.toBe(0)
    expect(String(missing.stderr)).toMatch(/does not exist/)
  })
})

describe('REST proxy package (confluent-7.2.0 layout, stand-in)', () => {
  let proxy: ResultPromise | undefined
  let base = ''

  async function startProxy(props: string, extraEnv: Record<string, string> = {}) {
    const port = await freePort()
    const file = join(work, `kafka-rest-${port}.properties`)
    writeFileSync(file, `${props}listeners=http://127.0.0.1:${port}\n`)
    let out = ''
    const child = execa(join(confluentHome, 'bin', 'kafka-rest-start'), [file], {
      reject: false,
      all: true,
      env: {CLASSPATH: '', ...extraEnv},
      stdin: 'ignore',
    })
    child.all?.on('data', (chunk: Buffer) => {
      out += chunk.toString()
    })
    const deadline = Date.now() + 30_000
    while (!/Server started, listening for requests/.test(out)) {
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill('SIGKILL')
        throw new Error(`kafka-rest-start did not log "Server started, listening for requests":\n${out}`)
      }
      await new Promise((r) => setTimeout(r, 100))
    }
    return {child, base: `http://127.0.0.1:${port}`}
  }

  async function stopProxy(child: ResultPromise) {
    child.kill('SIGTERM')
    return await child
  }

  beforeAll(async () => {
    expect(readFileSync(join(confluentHome, 'README-PINCTL-SANDBOX.md'), 'utf8')).toMatch(/STAND-IN \(not Confluent software\)/)
    expect(existsSync(join(confluentHome, 'etc', 'kafka-rest', 'kafka-rest.properties'))).toBe(true)
    const started = await startProxy(
      [
        `bootstrap.servers=${env.PINCTL_BOOTSTRAP_SERVERS}`,
        `zookeeper.connect=${env.PINCTL_ZOOKEEPER}`,
        'client.security.protocol=PLAINTEXT',
        'client.max.block.ms=4000',
        '',
      ].join('\n'),
    )
    proxy = started.child
    base = started.base
  })

  afterAll(async () => {
    if (proxy) {
      const result = await stopProxy(proxy)
      expect(result.isTerminated || result.exitCode === 143 || result.exitCode === 0, String(result.all ?? '')).toBe(true)
      expect(String(result.all ?? '')).toMatch(/Server stopped/)
    }
  })

  it('GET /topics: 200 JSON array with the topic, internal topics left out', async () => {
    const res = await fetch(`${base}/topics`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe(V2)
    const topics = (await res.json()) as string[]
    expect(Array.isArray(topics)).toBe(true)
    expect(topics).toContain(topic)
    expect(topics.filter((t) => t.startsWith('__'))).toEqual([])
  })

  it('GET /topics/<unknown>: 404 {"error_code":40401,"message":"Topic not found."}', async () => {
    const res = await fetch(`${base}/topics/${topic}.nope`)
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({error_code: 40401, message: 'Topic not found.'})
  })

  it('POST /topics/<t>: 200 with Confluent offsets; the value lands in Kafka as compact JSON text', async () => {
    const value = {index: 7, unique_id: 'abc-123', nested: {ok: true, list: [1, 2]}, text: 'a "quoted" word'}
    const res = await fetch(`${base}/topics/${topic}`, {
      method: 'POST',
      headers: {'Content-Type': JSON_V2, Accept: V2},
      body: JSON.stringify({records: [{value}]}),
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe(V2)
    const body = (await res.json()) as {offsets: Array<Record<string, unknown>>}
    expect(body).toEqual({
      offsets: [{partition: 0, offset: expect.any(Number), error_code: null, error: null}],
      key_schema_id: null,
      value_schema_id: null,
    })
    const offset = body.offsets[0].offset as number
    const consumed = await kafkaTool('kafka-console-consumer.sh', [
      '--bootstrap-server',
      env.PINCTL_BOOTSTRAP_SERVERS,
      '--consumer.config',
      clientProps,
      '--topic',
      topic,
      '--partition',
      '0',
      '--offset',
      String(offset),
      '--max-messages',
      '1',
      '--timeout-ms',
      '30000',
    ])
    expect(consumed.exitCode, String(consumed.stderr)).toBe(0)
    expect(String(consumed.stdout).trim()).toBe(JSON.stringify(value))
  })

  it('a record for a topic that does not exist: still 200, per-record error_code 50003', async () => {
    const res = await fetch(`${base}/topics/${topic}.absent`, {
      method: 'POST',
      headers: {'Content-Type': JSON_V2},
      body: JSON.stringify({records: [{value: {a: 1}}]}),
    })
    expect(res.status).toBe(200)
    const body = (await res.json()) as {offsets: Array<Record<string, unknown>>}
    expect(body.offsets).toHaveLength(1)
    expect(body.offsets[0]).toMatchObject({partition: null, offset: null, error_code: 50003})
    expect(body.offsets[0].error).toEqual(expect.any(String))
  })

  it('wrong Content-Type: 415 {"error_code":415,…}', async () => {
    const res = await fetch(`${base}/topics/${topic}`, {
      method: 'POST',
      headers: {'Content-Type': 'application/json'},
      body: JSON.stringify({records: [{value: 1}]}),
    })
    expect(res.status).toBe(415)
    expect(await res.json()).toMatchObject({error_code: 415})
  })

  it('empty or missing records: 422; malformed JSON: 400', async () => {
    for (const body of ['{"records":[]}', '{}', '']) {
      const res = await fetch(`${base}/topics/${topic}`, {method: 'POST', headers: {'Content-Type': JSON_V2}, body})
      expect(res.status, `body ${JSON.stringify(body)}`).toBe(422)
    }
    const bad = await fetch(`${base}/topics/${topic}`, {method: 'POST', headers: {'Content-Type': JSON_V2}, body: '{"records":[{"value":'})
    expect(bad.status).toBe(400)
  })

  it('takes the IAM jar from CLASSPATH, like the real proxy', async () => {
    const jar = join(work, 'aws-msk-iam-auth-2.3.6-all.jar')
    writeFileSync(jar, await download(env.PINCTL_MIRROR + IAM_JARS['2.3.6']))
    chmodSync(jar, 0o644)
    const iamProps = [
      `bootstrap.servers=${env.PINCTL_BOOTSTRAP_SERVERS}`,
      'client.security.protocol=SASL_SSL',
      'client.sasl.mechanism=AWS_MSK_IAM',
      'client.sasl.jaas.config=software.amazon.msk.auth.iam.IAMLoginModule required;',
      'client.sasl.client.callback.handler.class=software.amazon.msk.auth.iam.IAMClientCallbackHandler',
      'client.default.api.timeout.ms=3000',
      'client.request.timeout.ms=2000',
      '',
    ].join('\n')
    // without the jar: the client configuration names a class that is not there
    const bare = await startProxy(iamProps)
    try {
      const res = await fetch(`${bare.base}/topics`)
      expect(res.status).toBe(500)
      expect(JSON.stringify(await res.json())).toMatch(/IAMClientCallbackHandler could not be found/)
    } finally {
      await stopProxy(bare.child)
    }
    // with CLASSPATH: the classes load; the plaintext broker cannot speak SASL_SSL, so it is a Kafka error instead
    const withJar = await startProxy(iamProps, {CLASSPATH: jar})
    try {
      const res = await fetch(`${withJar.base}/topics`)
      const text = JSON.stringify(await res.json())
      expect(text).not.toMatch(/could not be found|ClassNotFound|No LoginModule/)
      expect(res.status).toBe(500)
      expect(text).toMatch(/"error_code":50002/)
    } finally {
      await stopProxy(withJar.child)
    }
  })
})
