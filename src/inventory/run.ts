import {describeError, ExitCode, InterruptedError, type ErrorReport} from '../errors.js'
import type {InventoryHost} from './load.js'

/** What one host's run of a command came to; `exitCode` is the one the command alone would have exited with. */
export interface HostTaskResult<R> {
  status: 'changed' | 'ok' | 'failed'
  exitCode: number
  result: R
  /** One line for the summary when the host failed (e.g. "2 checks failed: ssh/connect, kafka/…"). */
  detail?: string
}

/** The command's work on one host: it gets the host's resolved config and stops its remote work when `signal` fires. */
export type HostTask<R> = (host: InventoryHost, signal: AbortSignal) => Promise<HostTaskResult<R>>

export interface HostOutcome<R> {
  index: number
  host: string
  userId?: string
  /** `interrupted`: stopped by Ctrl-C, or never started because of it. */
  status: HostTaskResult<R>['status'] | 'interrupted'
  exitCode: number
  durationMs: number
  result?: R
  error?: ErrorReport
  detail?: string
}

export interface InventoryReport<R> {
  hosts: Array<HostOutcome<R>>
  /** The worst host's exit code (130 when interrupted), 0 when every host is ok or changed. */
  exitCode: number
  counts: Record<HostOutcome<R>['status'], number>
  durationMs: number
}

export interface RunOptions<R> {
  concurrency: number
  signal?: AbortSignal
  onHostStart?: (host: InventoryHost) => void
  onHostDone?: (outcome: HostOutcome<R>) => void
  now?: () => number
}

/**
 * Runs `task` on every host, at most `concurrency` at a time. A host that fails (throws or reports failure)
 * does not stop the others; Ctrl-C (`signal`) starts no further host and the running ones stop their work.
 * Outcomes come back in inventory order whatever order the hosts finished in.
 */
export async function runOnHosts<R>(hosts: InventoryHost[], task: HostTask<R>, options: RunOptions<R>): Promise<InventoryReport<R>> {
  const now = options.now ?? Date.now
  const signal = options.signal ?? new AbortController().signal
  const started = now()
  const outcomes: Array<HostOutcome<R>> = []
  let next = 0

  const runOne = async (host: InventoryHost): Promise<HostOutcome<R>> => {
    const base = identify(host)
    options.onHostStart?.(host)
    const begin = now()
    try {
      const done = await task(host, signal)
      const interrupted = signal.aborted && done.status !== 'ok'
      return {
        ...base,
        status: interrupted ? 'interrupted' : done.status,
        exitCode: interrupted ? ExitCode.interrupted : done.exitCode,
        durationMs: now() - begin,
        result: done.result,
        ...(done.detail ? {detail: done.detail} : {}),
      }
    } catch (error) {
      const report = describeError(signal.aborted ? new InterruptedError() : error)
      const status = report.exitCode === ExitCode.interrupted ? 'interrupted' : 'failed'
      const detail = status === 'failed' ? {detail: report.message} : {}
      return {...base, status, exitCode: report.exitCode, durationMs: now() - begin, error: report, ...detail}
    }
  }

  const worker = async () => {
    while (next < hosts.length) {
      const position = next++
      const host = hosts[position]
      if (signal.aborted) {
        outcomes[position] = {...identify(host), status: 'interrupted', exitCode: ExitCode.interrupted, durationMs: 0}
        continue
      }
      const outcome = await runOne(host)
      outcomes[position] = outcome
      options.onHostDone?.(outcome)
    }
  }
  const width = Math.max(1, Math.min(Math.floor(options.concurrency), hosts.length))
  await Promise.all(Array.from({length: width}, worker))

  const counts = {changed: 0, ok: 0, failed: 0, interrupted: 0}
  for (const outcome of outcomes) counts[outcome.status]++
  // Exit codes rank by severity as numbered: 130 (interrupted) above 6 (verify) above … above 0.
  const exitCode = Math.max(0, ...outcomes.map((outcome) => outcome.exitCode))
  return {hosts: outcomes, exitCode, counts, durationMs: now() - started}
}

function identify(host: InventoryHost): Pick<HostOutcome<never>, 'index' | 'host' | 'userId'> {
  return {index: host.index, host: host.label, userId: host.config.userId}
}
