import {execFile, execFileSync} from 'node:child_process'
import {chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs'
import {createServer} from 'node:http'
import type {AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'
import {describe, expect, it} from 'vitest'

import {iamJarFor, PINNED, resolveArtifact} from '../../src/artifacts.js'
import {FACTS_SCRIPT, javaMajorOf, parseFacts, parseJavaMajor, type HostFacts} from '../../src/host/facts.js'
import {hostPaths} from '../../src/host/layout.js'
import {javaPackageFor, parseVerifyOutput, restProxyHash, type StepContext, STEPS} from '../../src/provision/steps.js'
import {verifyScript} from '../../src/provision/remote-scripts.js'
import {renderClientProperties, renderKafkaRestProperties, renderServiceEnv, renderServiceUnit} from '../../src/provision/templates.js'

const ROLE_ARN = 'arn:aws:iam::584739742957:role/12b287eedf6d-ec2-access-role'
const GOLDEN = join(import.meta.dirname, 'golden')
const UPDATE = process.env.UPDATE_GOLDEN === '1'

function golden(name: string, actual: string): void {
  const path = join(GOLDEN, name)
  if (UPDATE) writeFileSync(path, actual)
  expect(actual).toBe(readFileSync(path, 'utf8'))
}

const home = '/home/ec2-user'
const paths = hostPaths(home)
const b64 = (text: string) => Buffer.from(text).toString('base64')

function facts(overrides: Partial<HostFacts> = {}): HostFacts {
  return {
    home,
    user: 'ec2-user',
    os: {id: 'amzn', version: '2023'},
    packageManager: 'dnf',
    fetchTool: 'curl',
    hasSha512sum: true,
    sudo: true,
    systemd: true,
    kafkaPresent: false,
    iamJars: [],
    classpathLines: [],
    files: {},
    confluentPresent: false,
    restProxy: {manager: 'process', running: false},
    ...overrides,
  }
}

function context(hostFacts: HostFacts, overrides: Partial<StepContext> = {}): StepContext {
  const javaMajor = hostFacts.javaMajor ?? javaPackageFor(hostFacts)?.major ?? 8
  return {
    facts: hostFacts,
    paths,
    userId: '12b287eedf6d',
    sshUser: 'ec2-user',
    auth: 'iam',
    restProxyPort: 8082,
    bootstrapServers: 'b-1.msk.example:9098,b-2.msk.example:9098',
    role: {
      name: '12b287eedf6d-ec2-access-role',
      arn: ROLE_ARN,
      trustPolicy: readFileSync(join(import.meta.dirname, '..', 'fixtures', 'trust-policy-getrole.txt'), 'utf8').trim(),
    },
    artifacts: {kafka: resolveArtifact('kafka'), iamJar: resolveArtifact(iamJarFor(javaMajor)), confluent: resolveArtifact('confluent')},
    javaMajor,
    updateTrustPolicy: async () => {},
    restProxyWaitSeconds: 90,
    ...overrides,
  }
}

/** The facts of a host that a previous run provisioned completely for `ctx`. */
function provisioned(base: HostFacts): HostFacts {
  const ctx = context(base)
  const done: HostFacts = {
    ...base,
    kafkaPresent: true,
    confluentPresent: true,
    iamJars: [ctx.artifacts.iamJar.name],
    classpathLines: [`export CLASSPATH=${paths.libs}/${ctx.artifacts.iamJar.name}`],
    files: {
      clientProperties: renderClientProperties({auth: 'iam', roleArn: ROLE_ARN}),
      restProperties: renderKafkaRestProperties({
        auth: 'iam',
        roleArn: ROLE_ARN,
        userId: '12b287eedf6d',
        bootstrapServers: ctx.bootstrapServers,
        restProxyPort: 8082,
      }),
      serviceUnit: renderServiceUnit({
        sshUser: 'ec2-user',
        classpath: `${paths.libs}/${ctx.artifacts.iamJar.name}`,
        confluentDir: paths.confluent,
      }),
    },
  }
  const hash = restProxyHash({...ctx, facts: done})
  return {...done, restProxy: {manager: 'systemd', running: true, appliedHash: hash}}
}

function plan(ctx: StepContext): Record<string, string> {
  return Object.fromEntries(STEPS.map((step) => [step.name, step.check(ctx).status]))
}

describe('step checks', () => {
  it('a fresh Amazon Linux 2023 host needs every step', () => {
    expect(plan(context(facts()))).toEqual({
      java: 'change',
      kafka: 'change',
      'iam-jar': 'change',
      classpath: 'change',
      'client-properties': 'change',
      'iam-trust': 'change',
      confluent: 'change',
      'rest-properties': 'change',
      'rest-proxy': 'change',
      verify: 'ok',
    })
    const java = STEPS[0].check(context(facts()))
    expect(java.summary).toContain('java-17-amazon-corretto-headless')
  })

  it('a provisioned host needs nothing (apart from the trust policy in IAM)', () => {
    const ctx = context(provisioned(facts({javaMajor: 17})))
    const trusted = encodeURIComponent(
      JSON.stringify({Statement: [{Effect: 'Allow', Principal: {AWS: [ROLE_ARN]}, Action: ['sts:AssumeRole']}]}),
    )
    const all = plan({...ctx, role: {...ctx.role, trustPolicy: trusted}})
    expect(Object.values(all).every((status) => status === 'ok')).toBe(true)
  })

  it('detects a hand-edited client.properties and shows the diff', () => {
    const host = provisioned(facts({javaMajor: 17}))
    host.files.clientProperties = host.files.clientProperties!.replace('SASL_SSL', 'PLAINTEXT')
    const step = STEPS.find((s) => s.name === 'client-properties')!
    const decision = step.check(context(host))
    expect(decision.status).toBe('change')
    expect(decision.summary).toContain('.bak is kept')
    expect(decision.status === 'change' && decision.diff).toMatch(/-security.protocol=PLAINTEXT\n\+security.protocol=SASL_SSL/)
  })

  it("replaces a jar built for Java 17 on a Java 8 host (Amazon Linux 2), and the seed's 1.1.1 jar", () => {
    const host = facts({
      os: {id: 'amzn', version: '2'},
      packageManager: 'yum',
      javaMajor: 8,
      kafkaPresent: true,
      iamJars: ['aws-msk-iam-auth-2.3.6-all.jar', 'aws-msk-iam-auth-1.1.1-all.jar'],
    })
    const decision = STEPS.find((s) => s.name === 'iam-jar')!.check(context(host))
    expect(decision.status).toBe('change')
    expect(decision.summary).toBe(
      'install aws-msk-iam-auth-2.3.4-all.jar for Java 8; remove aws-msk-iam-auth-2.3.6-all.jar, aws-msk-iam-auth-1.1.1-all.jar',
    )
  })

  it('predicts Java 8 on a fresh Amazon Linux 2 and picks the Java 8 jar', () => {
    const ctx = context(facts({os: {id: 'amzn', version: '2'}, packageManager: 'yum'}))
    expect(ctx.javaMajor).toBe(8)
    expect(ctx.artifacts.iamJar.name).toBe('aws-msk-iam-auth-2.3.4-all.jar')
    expect(STEPS[0].check(ctx).summary).toContain('java-1.8.0-openjdk with yum')
  })

  it("replaces the seed's CLASSPATH line and keeps exactly one", () => {
    const host = provisioned(facts({javaMajor: 17}))
    host.classpathLines = ['export CLASSPATH=/home/ec2-user/kafka_2.12-2.8.1/libs/aws-msk-iam-auth-1.1.1-all.jar']
    const decision = STEPS.find((s) => s.name === 'classpath')!.check(context(host))
    expect(decision).toMatchObject({status: 'change', summary: 'replace 1 CLASSPATH line(s) with one'})
    host.classpathLines = [
      `export CLASSPATH=${paths.libs}/aws-msk-iam-auth-2.3.6-all.jar`,
      `export CLASSPATH=${paths.libs}/aws-msk-iam-auth-2.3.6-all.jar`,
    ]
    expect(STEPS.find((s) => s.name === 'classpath')!.check(context(host)).status).toBe('change')
  })

  it('restarts the REST proxy when its configuration changed, starts it when stopped', () => {
    const host = provisioned(facts({javaMajor: 17}))
    const step = STEPS.find((s) => s.name === 'rest-proxy')!
    expect(step.check(context(host)).status).toBe('ok')
    expect(step.check(context(host, {bootstrapServers: 'other:9098'})).summary).toMatch(/^configuration changed: restart/)
    expect(
      step.check(context({...host, restProxy: {...host.restProxy, running: false, appliedHash: host.restProxy.appliedHash}})).summary,
    ).toMatch(/^not running: start/)
    // kafka-rest.properties edited on the host (and perhaps the proxy restarted on it by hand): restart after restoring it.
    const drifted = {
      ...host,
      files: {...host.files, restProperties: host.files.restProperties!.replace('bootstrap.servers', 'booststrap.servers')},
    }
    expect(step.check(context(drifted)).summary).toMatch(/^configuration changed: restart/)
  })

  it('uses an env file and a background process where there is no systemd', () => {
    const decision = STEPS.find((s) => s.name === 'rest-proxy')!.check(context(facts({systemd: false, javaMajor: 17})))
    expect(decision.summary).toContain('background process (no systemd on this host)')
    expect(decision.status === 'change' && decision.diff).toContain('.pinctl/kafka-rest.env')
  })
})

describe('templates (golden files)', () => {
  it('client.properties for IAM and plaintext', () => {
    golden('client.properties.iam', renderClientProperties({auth: 'iam', roleArn: ROLE_ARN}))
    golden('client.properties.plaintext', renderClientProperties({auth: 'plaintext'}))
  })

  it('kafka-rest.properties for IAM (with ZooKeeper) and plaintext', () => {
    golden(
      'kafka-rest.properties.iam',
      renderKafkaRestProperties({
        auth: 'iam',
        roleArn: ROLE_ARN,
        userId: '12b287eedf6d',
        bootstrapServers: 'b-1.msk.example:9098,b-2.msk.example:9098',
        zookeeper: 'z-1.msk.example:2181,z-2.msk.example:2181',
        restProxyPort: 8082,
      }),
    )
    golden(
      'kafka-rest.properties.plaintext',
      renderKafkaRestProperties({auth: 'plaintext', userId: '12b287eedf6d', bootstrapServers: '127.0.0.1:9092', restProxyPort: 8082}),
    )
  })

  it('the systemd unit and the env file carry CLASSPATH', () => {
    golden(
      'kafka-rest.service',
      renderServiceUnit({sshUser: 'ec2-user', classpath: `${paths.libs}/aws-msk-iam-auth-2.3.6-all.jar`, confluentDir: paths.confluent}),
    )
    expect(renderServiceEnv({classpath: '/x/y.jar'})).toContain('CLASSPATH=/x/y.jar\n')
  })

  it('refuses values that would inject properties', () => {
    expect(() => renderClientProperties({auth: 'iam', roleArn: `${ROLE_ARN}";\nsecurity.protocol=PLAINTEXT`})).toThrow(/ARN/)
    expect(() => renderClientProperties({auth: 'iam'})).toThrow(/needs the EC2 access role/)
    expect(() =>
      renderKafkaRestProperties({auth: 'plaintext', userId: 'u', bootstrapServers: 'a:1\nlisteners=http://0.0.0.0:1', restProxyPort: 8082}),
    ).toThrow(/line break/)
  })
})

describe('facts', () => {
  it('parses the probe output, decoding files', () => {
    const parsed = parseFacts(
      [
        'home=/home/ec2-user',
        'user=ec2-user',
        'os.id=amzn',
        'os.version=2',
        'pkg=yum',
        'java=openjdk version "1.8.0_392"',
        'fetch=curl',
        'sha512sum=yes',
        'sudo=yes',
        'kafka=yes',
        'iamjars=aws-msk-iam-auth-1.1.1-all.jar ',
        `classpath=${b64('export CLASSPATH=/a.jar\n')}`,
        `file.clientProperties=${b64('a=b\n')}`,
        'file.restProperties=',
        'restproxy.applied=',
        '',
      ].join('\n'),
    )
    expect(parsed).toMatchObject({
      os: {id: 'amzn', version: '2'},
      packageManager: 'yum',
      javaMajor: 8,
      fetchTool: 'curl',
      hasSha512sum: true,
      sudo: true,
      systemd: false,
      kafkaPresent: true,
      iamJars: ['aws-msk-iam-auth-1.1.1-all.jar'],
      classpathLines: ['export CLASSPATH=/a.jar'],
      files: {clientProperties: 'a=b\n', restProperties: undefined},
      confluentPresent: false,
      restProxy: {running: false},
    })
  })

  it.each([
    ['openjdk version "1.8.0_392"', 8],
    ['openjdk version "11.0.21" 2023-10-17', 11],
    ['openjdk version "17.0.15" 2025-04-15', 17],
    ['java version "21" 2023-09-19', 21],
    [undefined, undefined],
    ['bash: java: command not found', undefined],
  ])('java major of %j is %j', (line, major) => {
    expect(parseJavaMajor(line)).toBe(major)
  })

  it.each([
    ['1.8.0_392', 8],
    ['11.0.21', 11],
    ['17.0.15', 17],
    ['21', 21],
    ['', undefined],
  ])("java major of the JDK's release version %j is %j", (version, major) => {
    expect(javaMajorOf(version)).toBe(major)
  })

  /** The facts probe run in a local sh, with a fake JDK first on PATH whose java records that it ran. */
  function probeJava(release: string | undefined): {facts: HostFacts; javaRan: boolean} {
    const root = mkdtempSync(join(tmpdir(), 'pinctl-facts-'))
    mkdirSync(join(root, 'jdk', 'bin'), {recursive: true})
    mkdirSync(join(root, 'home'))
    if (release !== undefined) writeFileSync(join(root, 'jdk', 'release'), `IMPLEMENTOR="test"\nJAVA_VERSION="${release}"\n`)
    writeFileSync(join(root, 'jdk', 'bin', 'java'), `#!/bin/sh\ntouch "${root}/ran"\necho 'openjdk version "11.0.22" 2024-01-16' >&2\n`)
    chmodSync(join(root, 'jdk', 'bin', 'java'), 0o755)
    // java reached through a symlink, as /usr/bin/java → /etc/alternatives → the JDK is
    mkdirSync(join(root, 'path'))
    symlinkSync(join(root, 'jdk', 'bin', 'java'), join(root, 'path', 'java'))
    const env = {PATH: `${join(root, 'path')}:${process.env.PATH}`, HOME: join(root, 'home')}
    const output = execFileSync('sh', ['-c', FACTS_SCRIPT], {env, encoding: 'utf8'})
    return {facts: parseFacts(output), javaRan: existsSync(join(root, 'ran'))}
  }

  it("reads the Java version from the JDK's release file, without starting a JVM on the host", () => {
    const {facts, javaRan} = probeJava('17.0.15')
    expect(facts).toMatchObject({javaMajor: 17, javaVersion: '17.0.15'})
    expect(javaRan).toBe(false)
  })

  it('falls back to java -version when the JDK has no release file', () => {
    const {facts, javaRan} = probeJava(undefined)
    expect(facts).toMatchObject({javaMajor: 11, javaVersion: 'openjdk version "11.0.22" 2024-01-16'})
    expect(javaRan).toBe(true)
  })

  it('the probe is read-only POSIX sh (no writes, no bashisms)', () => {
    expect(FACTS_SCRIPT).not.toMatch(/\brm\b|\bmv\b|\bmkdir\b|\btouch\b|\[\[ /)
    // Every redirection goes to /dev/null or another descriptor, never to a file.
    expect(FACTS_SCRIPT.match(/>\s*\S+/g)?.filter((redirect) => !/^>\s*(\/dev\/null|&\d)/.test(redirect))).toEqual([])
  })
})

describe('artifacts', () => {
  it('picks the IAM jar by Java version (2.3.5+ needs 17)', () => {
    expect(iamJarFor(8)).toBe('iam-2.3.4')
    expect(iamJarFor(11)).toBe('iam-2.3.4')
    expect(iamJarFor(17)).toBe('iam-2.3.6')
    expect(iamJarFor(21)).toBe('iam-2.3.6')
  })

  it('keeps the upstream path under a mirror and takes checksums from the artifacts file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'pinctl-artifacts-')), 'artifacts.json')
    writeFileSync(file, JSON.stringify({'/dist/kafka/2.8.1/kafka_2.12-2.8.1.tgz': 'AB'.repeat(64)}))
    const kafka = resolveArtifact('kafka', {mirror: 'http://127.0.0.1:9/', artifactsFile: file})
    expect(kafka).toEqual({
      name: 'kafka_2.12-2.8.1.tgz',
      url: 'http://127.0.0.1:9/dist/kafka/2.8.1/kafka_2.12-2.8.1.tgz',
      sha512: 'ab'.repeat(64),
    })
    expect(resolveArtifact('kafka').sha512).toBe(PINNED.kafka.sha512)
    expect(resolveArtifact('confluent').sha512).toBeNull()
    expect(resolveArtifact('confluent', {sha512: {confluent: 'CD'.repeat(64)}}).sha512).toBe('cd'.repeat(64))
    expect(() => resolveArtifact('confluent', {sha512: {confluent: 'xyz'}})).toThrow(/128 hex/)
  })
})

describe('verify output', () => {
  it('needs both the topic list and a JSON array from the proxy', () => {
    const b64 = (text: string) => Buffer.from(text).toString('base64')
    expect(
      parseVerifyOutput(
        `kafka-topics.rc=0\nkafka-topics.out=${b64('a.pin\nb.geo\n')}\nrest-proxy.rc=0\nrest-proxy.out=${b64('["a.pin"]')}\n` +
          'rest-proxy.array=yes\n',
      ),
    ).toMatchObject({
      kafkaOk: true,
      proxyOk: true,
      topics: ['a.pin', 'b.geo'],
    })
    expect(
      parseVerifyOutput(
        `kafka-topics.rc=1\nkafka-topics.out=${b64('TimeoutException\n')}\nrest-proxy.rc=7\nrest-proxy.out=${b64('refused')}\n`,
      ),
    ).toMatchObject({
      kafkaOk: false,
      proxyOk: false,
      kafkaRc: 1,
      kafkaOut: ['TimeoutException'],
    })
    expect(parseVerifyOutput(`kafka-topics.rc=0\nrest-proxy.rc=0\nrest-proxy.out=${b64('<html>')}\nrest-proxy.array=no\n`).proxyOk).toBe(
      false,
    )
  })

  /** The whole verify script in a local sh: a fake kafka-topics.sh in a temp home, a local HTTP server as the proxy and broker. */
  async function runVerify(proxyUp: boolean) {
    const root = mkdtempSync(join(tmpdir(), 'pinctl-verify-'))
    const bin = join(root, 'home', 'kafka_2.12-2.8.1', 'bin')
    mkdirSync(bin, {recursive: true})
    mkdirSync(join(root, 'tmp'))
    writeFileSync(join(bin, 'kafka-topics.sh'), '#!/bin/sh\nsleep 0.3\necho a.pin\necho a.geo\n')
    chmodSync(join(bin, 'kafka-topics.sh'), 0o755)
    const server = createServer((_request, response) => response.end('["a.pin","a.geo"]'))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as AddressInfo).port
    try {
      const script = verifyScript(`127.0.0.1:${port}`, proxyUp ? port : 1)
      const env = {PATH: process.env.PATH, HOME: join(root, 'home'), TMPDIR: join(root, 'tmp'), PINCTL_CDS_DUMP: 'no'}
      const {stdout} = await promisify(execFile)('sh', ['-c', script], {env})
      return {verdict: parseVerifyOutput(stdout), leftInTmp: readdirSync(join(root, 'tmp'))}
    } finally {
      server.close()
    }
  }

  it('lists the topics and asks the proxy (in the background, through a temp file it removes)', async () => {
    const {verdict, leftInTmp} = await runVerify(true)
    expect(verdict).toMatchObject({kafkaOk: true, proxyOk: true, topics: ['a.pin', 'a.geo']})
    expect(leftInTmp).toEqual([])
  })

  it('reports a proxy that does not answer, with curl’s message', async () => {
    const {verdict, leftInTmp} = await runVerify(false)
    expect(verdict).toMatchObject({kafkaOk: true, proxyOk: false})
    expect(verdict.proxyOut).toMatch(/curl: \(7\)|Connection refused|Failed to connect/)
    expect(leftInTmp).toEqual([])
  })

  it('judges the proxy’s whole answer on the host: a list longer than the 2,000 bytes that travel is still a list', () => {
    const topics = JSON.stringify(Array.from({length: 400}, (_, i) => `user${i}.pin`))
    const line = verifyScript('b:9092', 8082)
      .split('\n')
      .find((text) => text.startsWith('case "$(printf'))!
    const judge = (proxy: string) =>
      execFileSync('sh', ['-c', `kv() { printf '%s=%s\\n' "$1" "$2"; }\n${line}`], {env: {proxy}, encoding: 'utf8'})
    expect(topics.length).toBeGreaterThan(5000)
    expect(judge(topics)).toBe('rest-proxy.array=yes\n')
    expect(judge(' [ "a.pin" ]\n')).toBe('rest-proxy.array=yes\n')
    expect(judge('<html>502</html>')).toBe('rest-proxy.array=no\n')
    expect(judge(topics.slice(0, 2000))).toBe('rest-proxy.array=no\n')
  })
})
