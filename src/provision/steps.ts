import {createTwoFilesPatch} from 'diff'

import {ConfigError} from '../errors.js'
import {CONFLUENT_DIR, KAFKA_DIR} from '../artifacts.js'
import type {HostFacts} from '../host/facts.js'
import {OFF_CLASS_PATH} from '../kafka/host-tools.js'
import {classpathScript, installArchiveScript, installJarScript, javaInstallScript, type LeftOut} from './remote-scripts.js'
import {REST_PROXY_STEPS} from './rest-proxy-steps.js'
import {download, fileStep, type Step, type StepContext} from './step.js'
import {renderClientProperties} from './templates.js'
import {mergeTrustPolicy, parseTrustPolicy} from './trust-policy.js'

export {STEP_NAMES, type Decision, type Step, type StepContext, type StepName} from './step.js'
export {parseVerifyOutput, restProxyHash, startVerify} from './rest-proxy-steps.js'

/** Java the host's package manager installs, and the major version it brings. */
export function javaPackageFor(facts: HostFacts): {pkg: string; major: number} | undefined {
  if (facts.os.id === 'amzn' && facts.os.version === '2') return {pkg: 'java-1.8.0-openjdk', major: 8}
  if (facts.os.id === 'amzn') return {pkg: 'java-17-amazon-corretto-headless', major: 17}
  if (facts.packageManager === 'apt-get') return {pkg: 'openjdk-17-jre-headless', major: 17}
  if (facts.packageManager === 'dnf' || facts.packageManager === 'yum') return {pkg: 'java-17-openjdk-headless', major: 17}
  return undefined
}

function classpathLine(ctx: StepContext): string {
  return `export CLASSPATH=${ctx.paths.libs}/${ctx.artifacts.iamJar.name}`
}

/**
 * Not installed from Kafka's tarball: the files of libs/ that kafka-run-class.sh leaves off the class path (the
 * core project's javadoc, test and test-sources jars, the signatures). With none there, pinctl can run the
 * tools without that script's egrep of every jar and get the same class path (KAFKA_TOOL_FUNCTIONS).
 */
export const KAFKA_LEFT_OUT: LeftOut = {dir: 'libs', names: OFF_CLASS_PATH}

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
      return {
        status: 'change',
        summary: `download ${ctx.artifacts.kafka.url}, verify SHA-512, unpack to ${ctx.paths.kafka} (without its test and doc jars)`,
      }
    },
    async apply(session, ctx) {
      return download(
        session,
        installArchiveScript(ctx.artifacts.kafka, KAFKA_DIR, ctx.paths.kafka, 'libs/kafka_2.12-2.8.1.jar', KAFKA_LEFT_OUT),
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
  ...REST_PROXY_STEPS,
]
