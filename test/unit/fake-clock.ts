import type {Clock} from '../../src/clock.js'
import type {Progress} from '../../src/progress.js'

/** A clock whose sleep only moves time forward: waits finish at once and tests can check how long they "took". */
export function fakeClock(start = 1_700_000_000_000): Clock & {sleeps: number[]; elapsed: () => number} {
  let now = start
  const sleeps: number[] = []
  return {
    sleeps,
    now: () => now,
    async sleep(ms: number) {
      sleeps.push(ms)
      now += ms
    },
    elapsed: () => now - start,
  }
}

export function recorder(): Progress & {lines: string[]; text: () => string} {
  const lines: string[] = []
  return {
    lines,
    text: () => lines.join('\n'),
    step: (m: string) => void lines.push(`step ${m}`),
    info: (m: string) => void lines.push(`info ${m}`),
    warn: (m: string) => void lines.push(`warn ${m}`),
    success: (m: string) => void lines.push(`ok ${m}`),
  }
}
