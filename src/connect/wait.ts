import {type Clock, systemClock} from '../clock.js'
import {InterruptedError, VerifyError} from '../errors.js'
import {silentProgress, type Progress} from '../progress.js'
import {formatDuration} from './format.js'

/** The state reported while the thing polled no longer exists (after a delete). */
export const GONE = 'GONE'

export interface WaitSpec<T> {
  /** Named in every message, e.g. `connector 12b287eedf6d-connector`. */
  what: string
  poll: () => Promise<T | undefined>
  stateOf: (value: T) => string | undefined
  until: readonly string[]
  failOn?: readonly string[]
  reasonOf?: (value: T) => string | undefined
  timeoutMs: number
  /** First pause between polls, growing by half each time up to maxIntervalMs. */
  intervalMs?: number
  maxIntervalMs?: number
  /** How often an unchanged state is reported again. */
  heartbeatMs?: number
  clock?: Clock
  signal?: AbortSignal
  progress?: Progress
  failedHint?: string
  timeoutHint?: string
}

export interface WaitResult<T> {
  value: T | undefined
  state: string
  waitedMs: number
}

/**
 * Polls until one of `until` (done), one of `failOn` (VerifyError with the service's reason) or the time bound
 * (VerifyError naming the last state). MSK Connect has no SDK waiters, so this is the only wait there is.
 */
export async function waitForState<T>(spec: WaitSpec<T>): Promise<WaitResult<T>> {
  const clock = spec.clock ?? systemClock
  const progress = spec.progress ?? silentProgress
  const maxInterval = spec.maxIntervalMs ?? 15_000
  const heartbeat = spec.heartbeatMs ?? 30_000
  const start = clock.now()
  const deadline = start + spec.timeoutMs
  let interval = spec.intervalMs ?? 2000
  let last: string | undefined
  let lastReport = start
  for (;;) {
    if (spec.signal?.aborted) throw new InterruptedError()
    const value = await spec.poll()
    const state = value === undefined ? GONE : (spec.stateOf(value) ?? 'UNKNOWN')
    const now = clock.now()
    const waited = now - start
    if (spec.until.includes(state)) {
      if (waited > 0 || last !== undefined)
        progress.success(`${spec.what} is ${state === GONE ? 'gone' : state} (after ${formatDuration(waited)})`)
      return {value, state, waitedMs: waited}
    }
    if (spec.failOn?.includes(state)) {
      const reason = value === undefined ? undefined : spec.reasonOf?.(value)
      throw new VerifyError(`${spec.what} is ${state}${reason ? `: ${reason}` : ' (no reason given)'}`, spec.failedHint)
    }
    if (now >= deadline) {
      throw new VerifyError(
        `${spec.what} is still ${state} after ${formatDuration(waited)} (the limit)`,
        spec.timeoutHint ?? 'it may still finish: check again later, or raise the limit with --timeout',
      )
    }
    if (state !== last) {
      progress.step(`${spec.what}: ${state}, waiting for ${spec.until.join(' or ')} (up to ${formatDuration(spec.timeoutMs)})`)
      last = state
      lastReport = now
    } else if (now - lastReport >= heartbeat) {
      progress.info(`  still ${state} after ${formatDuration(waited)}`)
      lastReport = now
    }
    const pause = Math.min(interval, deadline - now)
    try {
      await clock.sleep(pause, spec.signal)
    } catch (error) {
      if (spec.signal?.aborted) throw new InterruptedError()
      throw error
    }
    interval = Math.min(Math.round(interval * 1.5), maxInterval)
  }
}
