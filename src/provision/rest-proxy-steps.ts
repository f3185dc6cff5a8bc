import {createHash} from 'node:crypto'

import {RemoteCommandError, VerifyError} from '../errors.js'
import {SERVICE_UNIT_PATH} from '../host/layout.js'
import {parseProbe} from '../host/probe.js'
import {failOnPreludeExit} from '../kafka/host-tools.js'
import {restProxyStartScript, verifyScript} from './remote-scripts.js'
import type {ExecResult, HostSession} from '../ssh/session.js'
import {fileDiff, fileStep, type Step, type StepContext} from './step.js'
import {renderKafkaRestProperties, renderServiceEnv, renderServiceUnit} from './templates.js'

export function desiredRestProperties(ctx: StepContext): string {
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

/** The REST proxy's steps: its properties file, the service, and the read-only verification after all changes. */
export const REST_PROXY_STEPS: Step[] = [
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
      const result = await (ctx.earlyVerify ?? startVerify(session, ctx.bootstrapServers, ctx.restProxyPort))
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

/** Runs the verify step's checks; the result is judged by the step (see StepContext.earlyVerify). */
export function startVerify(session: HostSession, bootstrapServers: string, restProxyPort: number): Promise<ExecResult> {
  return session.exec(verifyScript(bootstrapServers, restProxyPort))
}

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
  // The answer is judged on the host, whole: only its first 2,000 bytes travel (for the message), and a
  // cluster with many topics has a longer list than that.
  const proxyOk = answer.get('rest-proxy.rc') === '0' && answer.get('rest-proxy.array') === 'yes'
  return {kafkaOk: kafkaRc === 0, kafkaRc, kafkaOut, proxyOk, proxyOut, topics: kafkaOut.filter((line) => line.trim() !== '')}
}
