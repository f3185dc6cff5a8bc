import {setTimeout as sleep} from 'node:timers/promises'

import {generateRecords, randomSource, type PostRecords, type RecordKind, RECORD_KINDS} from './records.js'
import {produceRecords, type ProxyTransport} from './rest-proxy.js'

export interface EmulationOptions {
  topics: Record<RecordKind, string>
  /** Posts (one record of each kind) to send; undefined: until the signal aborts. */
  count?: number
  /** Posts per second. */
  rate: number
  seed: number
  /** Where each post's records come from (the source database); default: generated from `seed`. */
  records?: (index: number) => Promise<PostRecords>
  signal?: AbortSignal
  onProgress?: (progress: EmulationProgress) => void
}

export interface EmulationProgress {
  posts: number
  sent: Record<RecordKind, number>
  failed: number
  lastError?: string
}

/**
 * The seed's user_posting_emulation.py loop: each post sends one pin, one geo and one user record
 * to their topics through the REST proxy, paced to `rate` posts per second.
 */
export async function runEmulation(
  transport: ProxyTransport,
  options: EmulationOptions,
): Promise<EmulationProgress & {interrupted: boolean}> {
  const random = randomSource(options.seed)
  const next = options.records ?? (async (index: number) => generateRecords(random, index))
  const progress: EmulationProgress = {posts: 0, sent: {pin: 0, geo: 0, user: 0}, failed: 0}
  const interval = 1000 / options.rate
  const started = Date.now()
  for (let index = 0; options.count === undefined || index < options.count; index++) {
    if (options.signal?.aborted) return {...progress, interrupted: true}
    const records = await next(index)
    const outcomes = await Promise.all(
      RECORD_KINDS.map(async (kind) => {
        try {
          const [outcome] = await produceRecords(transport, options.topics[kind], [records[kind]])
          return {kind, ok: outcome.ok, error: outcome.error}
        } catch (error) {
          return {kind, ok: false, error: (error as Error).message}
        }
      }),
    )
    for (const outcome of outcomes) {
      if (outcome.ok) progress.sent[outcome.kind]++
      else {
        progress.failed++
        progress.lastError = `${outcome.kind}: ${outcome.error}`
      }
    }
    progress.posts++
    options.onProgress?.({...progress})
    const wait = started + (index + 1) * interval - Date.now()
    if (wait > 0 && (options.count === undefined || index + 1 < options.count)) {
      await sleep(wait, undefined, {signal: options.signal}).catch(() => {})
    }
  }
  return {...progress, interrupted: false}
}
