import {type AwsSettings} from '../aws/clients.js'
import {getRole, updateTrustPolicy} from '../aws/iam.js'
import {ConfigError, InterruptedError, RemoteCommandError, SshError, VerifyError} from '../errors.js'
import {shellQuote} from '../ssh/quote.js'
import {ConnectionLostError, type ExecResult, type SessionOpener, SshSession, type SshTarget} from '../ssh/session.js'
import {type ArtifactOverrides, iamJarFor, resolveArtifact} from '../artifacts.js'
import {FACTS_SCRIPT, parseFacts, type HostFacts} from '../host/facts.js'
import {hostPaths} from '../host/layout.js'
import {CHECKSUM_MARK} from './remote-scripts.js'
import {javaPackageFor, type Decision, startVerify, STEP_NAMES, type StepContext, type StepName, STEPS} from './steps.js'

export interface ProvisionOptions {
  target: SshTarget
  aws: AwsSettings
  userId: string
  roleName: string
  auth: 'iam' | 'plaintext'
  restProxyPort: number
  bootstrapServers: () => Promise<{bootstrapServers: string; zookeeper?: string}>
  artifacts: ArtifactOverrides
  dryRun: boolean
  only?: StepName[]
  skip?: StepName[]
  /** Asked once, with the plan, before the first change; false stops with nothing changed. */
  confirm?: (plan: PlannedStep[]) => Promise<boolean>
  onPlan?: (plan: PlannedStep[], facts: HostFacts) => void
  onStepStart?: (step: PlannedStep) => void
  /** Called every few seconds while a step runs (downloads on a slow link take a while). */
  onStepProgress?: (step: PlannedStep, elapsedMs: number) => void
  onStepDone?: (step: StepReport) => void
  onNote?: (message: string) => void
  restProxyWaitSeconds?: number
  /** Ctrl-C: the step under way finishes (each is atomic), no further step starts. */
  signal?: AbortSignal
  /** How long to wait for another run's host lock (a dry run takes none: it changes nothing). */
  lockTimeoutMs?: number
  /** The command named to other runs that find the host locked. */
  command?: string
  onLockWait?: (holder: string, waitedMs: number) => void
  /** How the run's connection is opened (a fake session in unit tests). */
  openSession?: SessionOpener
}

export interface PlannedStep {
  name: StepName
  title: string
  decision: Decision | {status: 'skipped'; summary: string}
}

export interface StepReport {
  name: StepName
  title: string
  status: 'ok' | 'changed' | 'would-change' | 'skipped' | 'verified' | 'failed'
  summary: string
  diff?: string
  durationMs?: number
}

export interface ProvisionReport {
  host: string
  dryRun: boolean
  aborted: boolean
  steps: StepReport[]
  changed: number
  ssh: {connections: number; execs: number}
  warnings: string[]
  durationMs: number
}

const PROGRESS_EVERY_MS = 5000

export function validateStepNames(names: string[] | undefined, flag: string): StepName[] | undefined {
  if (!names || names.length === 0) return undefined
  const unknown = names.filter((name) => !(STEP_NAMES as readonly string[]).includes(name))
  if (unknown.length > 0) throw new ConfigError(`unknown step ${unknown.join(', ')} in ${flag}`, `steps: ${STEP_NAMES.join(', ')}`)
  return names as StepName[]
}

function selected(name: StepName, options: ProvisionOptions): boolean {
  if (options.only && !options.only.includes(name)) return false
  return !options.skip?.includes(name)
}

/**
 * setup-client: one SSH connection, one facts probe, a plan, then only the steps that need a
 * change. Re-running on a provisioned host reads facts, verifies, and changes nothing.
 */
export async function provisionHost(options: ProvisionOptions): Promise<ProvisionReport> {
  const started = Date.now()
  // The cluster's bootstrap servers need no host: looked up while the connection opens (awaited, and so
  // reported, after it).
  const cluster = options.bootstrapServers()
  cluster.catch(() => {})
  const session = await (options.openSession ?? SshSession.open)(options.target, options.onNote)
  const warnings: string[] = []
  let verifying: Promise<ExecResult> | undefined
  let waitedForLock = false
  try {
    // Verification is read-only and needs neither the facts nor the lock: it starts as soon as the connection is
    // open (and the brokers are known), beside the lock, the facts probe and the IAM lookup, and a run that changes
    // nothing (most re-runs) takes its result instead of waiting for a second JVM. A run that had to wait for
    // another's lock does not: that run may have changed the host after the checks started.
    verifying =
      !options.dryRun && selected('verify', options)
        ? cluster.then(({bootstrapServers}) => startVerify(session, bootstrapServers, options.restProxyPort))
        : undefined
    verifying?.catch(() => {})
    // Facts are read under the lock: a run that waited sees what the other one left, and changes nothing more.
    if (!options.dryRun) {
      await session.lockHost({
        command: options.command ?? 'setup-client',
        timeoutMs: options.lockTimeoutMs ?? 60_000,
        signal: options.signal,
        onWait: (holder, waitedMs) => {
          waitedForLock = true
          options.onLockWait?.(holder, waitedMs)
        },
      })
    }
    const role = getRole(options.aws, options.roleName)
    role.catch(() => {})
    const facts = parseFacts((await session.run(`sh -c ${shellQuote(FACTS_SCRIPT)}`, 'reading host facts')).stdout)
    const ctx = buildContext(facts, options, {role: await role, cluster: await cluster})
    const plan: PlannedStep[] = STEPS.map((step) => ({
      name: step.name,
      title: step.title,
      decision: selected(step.name, options) ? step.check(ctx) : {status: 'skipped', summary: 'not selected (--only/--skip)'},
    }))
    options.onPlan?.(plan, facts)
    const changes = plan.filter((step) => step.decision.status === 'change')
    if (changes.length === 0 && !waitedForLock) ctx.earlyVerify = verifying
    // A plan with changes verifies after them; the early checks end before the first change starts.
    else await verifying?.catch(() => {})
    preflight(
      facts,
      changes.map((step) => step.name),
      plan,
    )

    const reports: StepReport[] = []
    const report = (aborted: boolean): ProvisionReport => ({
      host: session.label,
      dryRun: options.dryRun,
      aborted,
      steps: reports,
      changed: reports.filter((step) => step.status === 'changed').length,
      ssh: {...session.stats},
      warnings,
      durationMs: Date.now() - started,
    })

    if (options.dryRun) {
      for (const step of plan)
        reports.push(toReport(step, step.decision.status === 'change' ? 'would-change' : (step.decision.status as 'ok' | 'skipped')))
      return report(false)
    }
    if (changes.length > 0 && options.confirm && !(await options.confirm(plan))) {
      for (const step of plan)
        reports.push(toReport(step, step.decision.status === 'change' ? 'skipped' : (step.decision.status as 'ok' | 'skipped')))
      return report(true)
    }

    for (const planned of plan) {
      if (options.signal?.aborted) {
        const done = reports.filter((step) => step.status === 'changed').map((step) => step.name)
        const doneNote = done.length ? ` (done: ${done.join(', ')})` : ''
        throw new InterruptedError(
          `interrupted before step ${planned.name}${doneNote}; every finished step is complete, and the next run continues from here`,
        )
      }
      const step = STEPS.find((candidate) => candidate.name === planned.name)!
      const runVerify = planned.name === 'verify' && planned.decision.status !== 'skipped'
      if (planned.decision.status !== 'change' && !runVerify) {
        const entry = toReport(planned, planned.decision.status as 'ok' | 'skipped')
        reports.push(entry)
        options.onStepDone?.(entry)
        continue
      }
      options.onStepStart?.(planned)
      const stepStarted = Date.now()
      const ticker = setInterval(() => options.onStepProgress?.(planned, Date.now() - stepStarted), PROGRESS_EVERY_MS)
      try {
        const stepWarnings = await step.apply(session, ctx)
        if (stepWarnings)
          for (const warning of stepWarnings) {
            warnings.push(warning)
            options.onNote?.(`warning: ${warning}`)
          }
      } catch (error) {
        const failed = {...toReport(planned, 'failed'), durationMs: Date.now() - stepStarted}
        reports.push(failed)
        options.onStepDone?.(failed)
        throw explainStepFailure(planned.name, error)
      } finally {
        clearInterval(ticker)
      }
      const done = {...toReport(planned, runVerify ? 'verified' : 'changed'), durationMs: Date.now() - stepStarted}
      reports.push(done)
      options.onStepDone?.(done)
    }
    return report(false)
  } finally {
    // A run that fails early still waits for its checks: nothing it started stays running on the host.
    await verifying?.catch(() => {})
    await session.dispose()
  }
}

function toReport(step: PlannedStep, status: StepReport['status']): StepReport {
  const diff = 'diff' in step.decision ? step.decision.diff : undefined
  return {name: step.name, title: step.title, status, summary: step.decision.summary, ...(diff ? {diff} : {})}
}

interface AwsFacts {
  role: {arn: string; trustPolicy: string}
  cluster: Awaited<ReturnType<ProvisionOptions['bootstrapServers']>>
}

function buildContext(facts: HostFacts, options: ProvisionOptions, {role, cluster}: AwsFacts): StepContext {
  const javaMajor = facts.javaMajor ?? javaPackageFor(facts)?.major ?? 8
  return {
    facts,
    paths: hostPaths(facts.home),
    userId: options.userId,
    sshUser: facts.user || options.target.user,
    auth: options.auth,
    restProxyPort: options.restProxyPort,
    bootstrapServers: cluster.bootstrapServers,
    zookeeper: cluster.zookeeper,
    role: {name: options.roleName, arn: role.arn, trustPolicy: role.trustPolicy},
    artifacts: {
      kafka: resolveArtifact('kafka', options.artifacts),
      iamJar: resolveArtifact(iamJarFor(javaMajor), options.artifacts),
      confluent: resolveArtifact('confluent', options.artifacts),
    },
    javaMajor,
    updateTrustPolicy: (document) => updateTrustPolicy(options.aws, options.roleName, document),
    restProxyWaitSeconds: options.restProxyWaitSeconds ?? 90,
  }
}

/** Refuses up front, before any change, when the host lacks what the planned changes need. */
function preflight(facts: HostFacts, changing: StepName[], plan: PlannedStep[]): void {
  // A file step must not create the directory of a package that is neither there nor about to be installed.
  const planned = (name: StepName) => plan.find((step) => step.name === name)?.decision.status === 'change'
  const needsKafka = changing.filter((name) => name === 'iam-jar' || name === 'client-properties')
  if (needsKafka.length > 0 && !facts.kafkaPresent && !planned('kafka')) {
    throw new ConfigError(
      `Kafka is not installed on the host, so ${needsKafka.join(' and ')} cannot be done alone`,
      'run `pinctl setup-client` without --only/--skip',
    )
  }
  const needsConfluent = changing.filter((name) => name === 'rest-properties' || name === 'rest-proxy')
  if (needsConfluent.length > 0 && !facts.confluentPresent && !planned('confluent')) {
    throw new ConfigError(
      `the Confluent REST proxy is not installed on the host, so ${needsConfluent.join(' and ')} cannot be done alone`,
      'run `pinctl setup-client` first',
    )
  }
  const downloads = changing.some((name) => name === 'kafka' || name === 'iam-jar' || name === 'confluent')
  if (downloads && !facts.fetchTool)
    throw new ConfigError('the host has neither curl nor wget, needed to download Kafka and the REST proxy', 'install curl on the host')
  if (downloads && !facts.hasSha512sum)
    throw new ConfigError('the host has no sha512sum to verify downloads', 'install coreutils on the host')
  const needsSudo = changing.includes('java') || (changing.includes('rest-proxy') && facts.systemd)
  if (needsSudo && !facts.sudo) {
    throw new ConfigError(
      `user ${facts.user} cannot run sudo without a password on the host, needed to ` +
        `${changing.includes('java') ? 'install Java' : 'install the systemd unit'}`,
      'use the instance default user (ec2-user) or grant passwordless sudo',
    )
  }
}

function explainStepFailure(name: StepName, error: unknown): unknown {
  if (error instanceof ConnectionLostError) {
    return new SshError(
      `SSH connection to ${error.host} lost during step ${name}; the step leaves the host as it was; run again`,
      'each step changes the host in one rename at its end, so the next `pinctl setup-client` continues from here',
    )
  }
  if (error instanceof RemoteCommandError && error.result?.stderr.includes(CHECKSUM_MARK)) {
    const match = /expected=(\w+) actual=(\w+)/.exec(error.result.stderr)
    const detail = match ? ` (expected ${match[1].slice(0, 16)}…, got ${match[2].slice(0, 16)}…)` : ''
    return new VerifyError(
      `step ${name}: the download's SHA-512 does not match${detail}; nothing was installed`,
      'the archive or mirror served another file: check --mirror and the artifacts file, or the pinned version table',
    )
  }
  if (error instanceof Error && 'message' in error && !(error as {stepPrefixed?: boolean}).stepPrefixed) {
    error.message = `step ${name}: ${error.message}`
    ;(error as {stepPrefixed?: boolean}).stepPrefixed = true
  }
  return error
}
