import {createHash} from 'node:crypto'
import {createTwoFilesPatch} from 'diff'

import {ConfigError, RemoteCommandError, VerifyError} from '../errors.js'
import {failOnPreludeExit} from '../kafka/host-tools.js'
import type {HostSession} from '../ssh/session.js'
import {type Artifact, CONFLUENT_DIR, KAFKA_DIR} from '../artifacts.js'
import type {HostFacts} from '../host/facts.js'
import {hostPaths, SERVICE_UNIT_PATH} from '../host/layout.js'
import {parseProbe} from '../host/probe.js'
import {
  UNVERIFIED_MARK,
  classpathScript,
  installArchiveScript,
  installJarScript,
  javaInstallScript,
  restProxyStartScript,
  verifyScript,
} from './remote-scripts.js'
import {renderClientProperties, renderKafkaRestProperties, renderServiceEnv, renderServiceUnit} from './templates.js'
import {mergeTrustPolicy, parseTrustPolicy, type PolicyDocument} from './trust-policy.js'

export const STEP_NAMES = [
  'java',
  'kafka',
  'iam-jar',
  'classpath',
  'client-properties',
  'iam-trust',
  'confluent',
  'rest-properties',
  'rest-proxy',
  'verify',
] as const
export type StepName = (typeof STEP_NAMES)[number]

/** Everything a step decides on: host facts plus what was read from AWS before planning. */
export interface StepContext {
  facts: HostFacts
  paths: ReturnType<typeof hostPaths>
  userId: string
  sshUser: string
  auth: 'iam' | 'plaintext'
  restProxyPort: number
  bootstrapServers: string
  zookeeper?: string
  role: {name: string; arn: string; trustPolicy: string}
  artifacts: {kafka: Artifact; iamJar: Artifact; confluent: Artifact}
  /** Java major version once the java step has run (predicted for a host that has none yet). */
  javaMajor: number
  updateTrustPolicy: (document: PolicyDocument) => Promise<void>
  restProxyWaitSeconds: number
}

export type Decision = {status: 'ok'; summary: string} | {status: 'change'; summary: string; diff?: string}

export interface Step {
  name: StepName
  title: string
  check(ctx: StepContext): Decision
  /** Makes the change; may return warnings for the report (e.g. an unverified download). */
  apply(session: HostSession, ctx: StepContext): Promise<string[] | void>
}

/** Runs a download script; a download without a pinned checksum comes back as a warning naming its SHA-512. */
async function download(session: HostSession, script: string, what: string, artifact: Artifact): Promise<string[]> {
  const result = await session.run(script, what)
  const hashes = [...result.stderr.matchAll(new RegExp(`${UNVERIFIED_MARK} ([0-9a-f]{128})`, 'g'))].map((match) => match[1])
  return hashes.map(
    (hash) =>
      `${artifact.name} has no pinned SHA-512, so it was not verified; it hashed to ${hash} — pin it in the artifacts file to verify ` +
      `future installs`,
  )
}

/** Java the host's package manager installs, and the major version it brings. */
export function javaPackageFor(facts: HostFacts): {pkg: string; major: number} | undefined {
  if (facts.os.id === 'amzn' && facts.os.version === '2') return {pkg: 'java-1.8.0-openjdk', major: 8}
  if (facts.os.id === 'amzn') return {pkg: 'java-17-amazon-corretto-headless', major: 17}
  if (facts.packageManager === 'apt-get') return {pkg: 'openjdk-17-jre-headless', major: 17}
  if (facts.packageManager === 'dnf' || facts.packageManager === 'yum') return {pkg: 'java-17-openjdk-headless', major: 17}
  return undefined
}

function fileDiff(path: string, before: string | undefined, after: string): string {
  return createTwoFilesPatch(path, path, before ?? '', after, before === undefined ? '(absent)' : 'on host', 'pinctl')
}

function fileStep(
  name: StepName,
  title: string,
  pathOf: (ctx: StepContext) => string,
  current: (ctx: StepContext) => string | undefined,
  desired: (ctx: StepContext) => string,
  options: {mode?: string; sudo?: boolean} = {},
): Step {
  return {
    name,
    title,
    check(ctx) {
      const want = desired(ctx)
      const have = current(ctx)
      if (have === want) return {status: 'ok', summary: `${pathOf(ctx)} up to date`}
      return {
        status: 'change',
        summary: have === undefined ? `write ${pathOf(ctx)}` : `update ${pathOf(ctx)} (differs; a .bak is kept)`,
        diff: fileDiff(pathOf(ctx), have, want),
      }
    },
    async apply(session, ctx) {
      await session.writeFile(pathOf(ctx), desired(ctx), {mode: options.mode ?? '0644', backup: true, sudo: options.sudo})
    },
  }
}

function classpathLine(ctx: StepContext): string {
  return `export CLASSPATH=${ctx.paths.libs}/${ctx.artifacts.iamJar.name}`
}

function desiredRestProperties(ctx: StepContext): string {
  return renderKafkaRestProperties({
    auth: ctx.auth,
    roleArn: ctx.role.arn,
    userId: ctx.userId,
    bootstrapServers: ctx.bootstrapServers,
    zookeeper: ctx.zookeeper,
    restProxyPort: ctx.restProxyPort,
  })
}

function serviceFile(ctx: StepContext): {path: string; content: string; current?: string; sudo: boolean} {
  const classpath = `${ctx.paths.libs}/${ctx.artifacts.iamJar.name}`
  if (ctx.facts.systemd) {
    const content = renderServiceUnit({sshUser: ctx.sshUser, classpath, confluentDir: ctx.paths.confluent})
    return {path: SERVICE_UNIT_PATH, content, current: ctx.facts.files.serviceUnit, sudo: true}
  }
  return {path: ctx.paths.serviceEnv, content: renderServiceEnv({classpath}), current: ctx.facts.files.serviceEnv, sudo: false}
}

/** What the running proxy must have been started with; a change to any of it means a restart. */
export function restProxyHash(ctx: StepContext): string {
  return createHash('sha256')
    .update(desiredRestProperties(ctx))
    .update('\0')
    .update(serviceFile(ctx).content)
    .update('\0')
    .update(ctx.artifacts.iamJar.name)
    .digest('hex')
    .slice(0, 16)
}

export const STEPS: Step[] = [
  {
    name: 'java',
    title: 'Java runtime',
    check(ctx) {
      const {facts} = ctx
      if (facts.javaMajor !== undefined && facts.javaMajor >= 8) return {status: 'ok', summary: `Java ${facts.javaMajor} present`}
      const target = javaPackageFor(facts)
      const found = facts.javaMajor === undefined ? 'no Java' : `Java ${facts.javaMajor} (too old)`
      return {status: 'change', summary: `${found}: install ${target?.pkg ?? '(no known package)'} with ${facts.packageManager ?? '?'}`}
    },
    async apply(session, ctx) {
      const target = javaPackageFor(ctx.facts)
      if (!target || !ctx.facts.packageManager) {
        throw new ConfigError(
          `cannot install Java on ${ctx.facts.os.id} ${ctx.facts.os.version}: no known package manager`,
          'install Java 8+ on the host yourself, then rerun setup-client',
        )
      }
      await session.run(javaInstallScript(ctx.facts.packageManager, target.pkg), `installing ${target.pkg}`, {
        hint: 'the host needs outbound access to its package repositories, and sudo without a password',
      })
    },
  },
  {
    name: 'kafka',
    title: `Apache Kafka (${KAFKA_DIR})`,
    check(ctx) {
      if (ctx.facts.kafkaPresent) return {status: 'ok', summary: `${ctx.paths.kafka} present`}
      return {status: 'change', summary: `download ${ctx.artifacts.kafka.url}, verify SHA-512, unpack to ${ctx.paths.kafka}`}
    },
    async apply(session, ctx) {
      return download(
        session,
        installArchiveScript(ctx.artifacts.kafka, KAFKA_DIR, ctx.paths.kafka, 'libs/kafka_2.12-2.8.1.jar'),
        'installing Kafka',
        ctx.artifacts.kafka,
      )
    },
  },
  {
    name: 'iam-jar',
    title: 'MSK IAM auth jar',
    check(ctx) {
      const want = ctx.artifacts.iamJar.name
      const have = ctx.facts.iamJars
      if (have.length === 1 && have[0] === want) return {status: 'ok', summary: `${want} in libs/ (right for Java ${ctx.javaMajor})`}
      const others = have.filter((jar) => jar !== want)
      const removal = others.length > 0 ? `; remove ${others.join(', ')}` : ''
      return {status: 'change', summary: `install ${want} for Java ${ctx.javaMajor}${removal}`}
    },
    async apply(session, ctx) {
      return download(
        session,
        installJarScript(ctx.artifacts.iamJar, ctx.paths.libs),
        `installing ${ctx.artifacts.iamJar.name}`,
        ctx.artifacts.iamJar,
      )
    },
  },
  {
    name: 'classpath',
    title: 'CLASSPATH in ~/.bashrc',
    check(ctx) {
      const want = classpathLine(ctx)
      const iamLines = ctx.facts.classpathLines.filter((line) => line.includes('aws-msk-iam-auth'))
      if (iamLines.length === 1 && iamLines[0].trim() === want) return {status: 'ok', summary: 'CLASSPATH line present once'}
      const before = iamLines.join('\n')
      return {
        status: 'change',
        summary: iamLines.length === 0 ? 'add the CLASSPATH line' : `replace ${iamLines.length} CLASSPATH line(s) with one`,
        diff: createTwoFilesPatch('~/.bashrc', '~/.bashrc', before ? `${before}\n` : '', `${want}\n`, 'CLASSPATH lines', 'pinctl'),
      }
    },
    async apply(session, ctx) {
      await session.run(classpathScript(classpathLine(ctx)), 'updating ~/.bashrc')
    },
  },
  fileStep(
    'client-properties',
    'client.properties',
    (ctx) => ctx.paths.clientProperties,
    (ctx) => ctx.facts.files.clientProperties,
    (ctx) => renderClientProperties({auth: ctx.auth, roleArn: ctx.role.arn}),
  ),
  {
    name: 'iam-trust',
    title: 'IAM role trusts itself',
    check(ctx) {
      const current = parseTrustPolicy(ctx.role.trustPolicy)
      const merged = mergeTrustPolicy(current, ctx.role.arn)
      if (!merged.changed) return {status: 'ok', summary: `${ctx.role.name} already trusts itself`}
      return {
        status: 'change',
        summary: `add ${ctx.role.arn} as a principal of ${ctx.role.name}'s trust policy`,
        diff: createTwoFilesPatch(
          'trust-policy.json',
          'trust-policy.json',
          `${JSON.stringify(current, null, 2)}\n`,
          `${JSON.stringify(merged.document, null, 2)}\n`,
          'IAM',
          'pinctl',
        ),
      }
    },
    async apply(_session, ctx) {
      const merged = mergeTrustPolicy(parseTrustPolicy(ctx.role.trustPolicy), ctx.role.arn)
      if (merged.changed) await ctx.updateTrustPolicy(merged.document)
    },
  },
  {
    name: 'confluent',
    title: `Confluent REST proxy (${CONFLUENT_DIR})`,
    check(ctx) {
      if (ctx.facts.confluentPresent) return {status: 'ok', summary: `${ctx.paths.confluent} present`}
      const unverified =
        ctx.artifacts.confluent.sha512 === null ? ' (no pinned SHA-512: unverified, hash will be printed)' : ', verify SHA-512'
      return {status: 'change', summary: `download ${ctx.artifacts.confluent.url}${unverified}, unpack to ${ctx.paths.confluent}`}
    },
    async apply(session, ctx) {
      return download(
        session,
        installArchiveScript(ctx.artifacts.confluent, CONFLUENT_DIR, ctx.paths.confluent, 'bin/kafka-rest-start'),
        'installing the Confluent package',
        ctx.artifacts.confluent,
      )
    },
  },
  fileStep(
    'rest-properties',
    'kafka-rest.properties',
    (ctx) => ctx.paths.restProperties,
    (ctx) => ctx.facts.files.restProperties,
    desiredRestProperties,
  ),
  {
    name: 'rest-proxy',
    title: 'REST proxy service',
    check(ctx) {
      const file = serviceFile(ctx)
      const how = ctx.facts.systemd ? 'systemd unit kafka-rest' : 'background process (no systemd on this host)'
      // A drifted kafka-rest.properties means the running proxy may have been (re)started on it by hand.
      const propertiesDrifted = ctx.facts.files.restProperties !== desiredRestProperties(ctx)
      if (
        ctx.facts.restProxy.running &&
        ctx.facts.restProxy.appliedHash === restProxyHash(ctx) &&
        file.current === file.content &&
        !propertiesDrifted
      ) {
        return {status: 'ok', summary: `running as ${how} with the current configuration`}
      }
      const why = !ctx.facts.restProxy.running ? 'not running: start' : 'configuration changed: restart'
      return {
        status: 'change',
        summary: `${why} as ${how}, then wait for GET :${ctx.restProxyPort}/topics`,
        diff: file.current === file.content ? undefined : fileDiff(file.path, file.current, file.content),
      }
    },
    async apply(session, ctx) {
      const file = serviceFile(ctx)
      await session.writeFile(file.path, file.content, {mode: '0644', backup: true, sudo: file.sudo})
      const script = restProxyStartScript({
        confluentDir: ctx.paths.confluent,
        bootstrapServers: ctx.bootstrapServers,
        restProperties: ctx.paths.restProperties,
        port: ctx.restProxyPort,
        appliedFile: ctx.paths.serviceApplied,
        appliedHash: restProxyHash(ctx),
        systemd: ctx.facts.systemd,
        envFile: ctx.paths.serviceEnv,
        pidFile: ctx.paths.servicePid,
        logFile: ctx.paths.serviceLog,
        waitSeconds: ctx.restProxyWaitSeconds,
      })
      try {
        await session.run(script, 'starting the REST proxy', {hint: 'see the log above; `pinctl rest-proxy logs` shows more'})
      } catch (error) {
        if (error instanceof RemoteCommandError && error.result)
          failOnPreludeExit(error.result.code, error.result.stderr, ctx.bootstrapServers)
        throw error
      }
    },
  },
  {
    name: 'verify',
    title: 'verify: list topics and GET /topics from the host',
    check() {
      return {status: 'ok', summary: 'read-only checks, run after the changes'}
    },
    async apply(session, ctx) {
      const result = await session.exec(verifyScript(ctx.paths.kafka, ctx.bootstrapServers, ctx.paths.clientProperties, ctx.restProxyPort))
      failOnPreludeExit(result.code, result.stderr, ctx.bootstrapServers)
      const verdict = parseVerifyOutput(result.stdout)
      if (verdict.kafkaOk && verdict.proxyOk) return
      const problems: string[] = []
      if (!verdict.kafkaOk)
        problems.push(`kafka-topics.sh --list failed (exit ${verdict.kafkaRc}):\n${verdict.kafkaOut.slice(-12).join('\n')}`)
      if (!verdict.proxyOk) problems.push(`the REST proxy did not answer GET :${ctx.restProxyPort}/topics: ${verdict.proxyOut}`)
      throw new VerifyError(
        `verification failed on ${session.target.host}:\n${problems.join('\n')}`,
        'a timeout usually means the security group blocks the brokers or --command-config is missing; Access denied means the role ' +
          'lacks kafka-cluster:* permissions; run `pinctl doctor`',
      )
    },
  },
]

export function parseVerifyOutput(stdout: string): {
  kafkaOk: boolean
  kafkaRc: number
  kafkaOut: string[]
  proxyOk: boolean
  proxyOut: string
  topics: string[]
} {
  const answer = parseProbe(stdout)
  const kafkaText = answer.text('kafka-topics.out') ?? ''
  const kafkaOut = kafkaText ? kafkaText.replace(/\n$/, '').split('\n') : []
  const kafkaRc = answer.int('kafka-topics.rc') ?? 1
  const proxyOut = answer.text('rest-proxy.out') ?? ''
  let proxyOk = answer.get('rest-proxy.rc') === '0'
  try {
    proxyOk &&= Array.isArray(JSON.parse(proxyOut))
  } catch {
    proxyOk = false
  }
  return {kafkaOk: kafkaRc === 0, kafkaRc, kafkaOut, proxyOk, proxyOut, topics: kafkaOut.filter((line) => line.trim() !== '')}
}
