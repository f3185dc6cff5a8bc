import {createTwoFilesPatch} from 'diff'

import type {Artifact} from '../artifacts.js'
import type {HostFacts} from '../host/facts.js'
import type {hostPaths} from '../host/layout.js'
import type {ExecResult, HostSession} from '../ssh/session.js'
import {UNVERIFIED_MARK} from './remote-scripts.js'
import type {PolicyDocument} from './trust-policy.js'

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
  /**
   * The verify step's checks, started as soon as the connection was open, when the plan changes nothing
   * and the run took the host lock without waiting: the step then judges that result instead of running
   * the checks again.
   */
  earlyVerify?: Promise<ExecResult>
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
export async function download(session: HostSession, script: string, what: string, artifact: Artifact): Promise<string[]> {
  const result = await session.run(script, what)
  const hashes = [...result.stderr.matchAll(new RegExp(`${UNVERIFIED_MARK} ([0-9a-f]{128})`, 'g'))].map((match) => match[1])
  return hashes.map(
    (hash) =>
      `${artifact.name} has no pinned SHA-512, so it was not verified; it hashed to ${hash} — pin it in the artifacts file to verify ` +
      `future installs`,
  )
}

export function fileDiff(path: string, before: string | undefined, after: string): string {
  return createTwoFilesPatch(path, path, before ?? '', after, before === undefined ? '(absent)' : 'on host', 'pinctl')
}

/** A step that keeps one file on the host equal to what the context renders (atomic write, .bak kept). */
export function fileStep(
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
