import {describe, expect, it} from 'vitest'

import {InterruptedError, VerifyError} from '../../src/errors.js'
import {GONE, waitForState} from '../../src/connect/wait.js'
import {fakeClock, recorder} from './fake-clock.js'

function sequence(...states: Array<string | undefined>) {
  let i = 0
  return async () => {
    const state = states[Math.min(i++, states.length - 1)]
    return state === undefined ? undefined : {state, reason: `reason for ${state}`}
  }
}

const base = {
  what: 'connector c',
  stateOf: (v: {state: string}) => v.state,
  until: ['RUNNING'],
  failOn: ['FAILED'],
  reasonOf: (v: {reason: string}) => v.reason,
}

describe('waitForState', () => {
  it('ends on the target state, reporting each change once, without really sleeping', async () => {
    const clock = fakeClock()
    const progress = recorder()
    const result = await waitForState({
      ...base,
      poll: sequence('CREATING', 'CREATING', 'CREATING', 'RUNNING'),
      timeoutMs: 600_000,
      clock,
      progress,
    })
    expect(result.state).toBe('RUNNING')
    expect(clock.sleeps).toEqual([2000, 3000, 4500])
    expect(result.waitedMs).toBe(9500)
    expect(progress.lines).toEqual(['step connector c: CREATING, waiting for RUNNING (up to 10m)', 'ok connector c is RUNNING (after 10s)'])
  })

  it('returns at once, silently, when the state is already the target', async () => {
    const clock = fakeClock()
    const progress = recorder()
    const result = await waitForState({...base, poll: sequence('RUNNING'), timeoutMs: 1000, clock, progress})
    expect(result).toMatchObject({state: 'RUNNING', waitedMs: 0})
    expect(clock.sleeps).toEqual([])
    expect(progress.lines).toEqual([])
  })

  it('fails on a failure state with the service reason', async () => {
    const error = await waitForState({
      ...base,
      poll: sequence('CREATING', 'FAILED'),
      timeoutMs: 600_000,
      clock: fakeClock(),
      failedHint: 'see the logs',
    }).catch((e) => e)
    expect(error).toBeInstanceOf(VerifyError)
    expect(error.exitCode).toBe(6)
    expect(error.message).toBe('connector c is FAILED: reason for FAILED')
    expect(error.hint).toBe('see the logs')
  })

  it('stops at the time bound naming the last state, and never sleeps past it', async () => {
    const clock = fakeClock()
    const progress = recorder()
    const error = await waitForState({
      ...base,
      poll: sequence('CREATING'),
      timeoutMs: 60_000,
      maxIntervalMs: 15_000,
      heartbeatMs: 20_000,
      clock,
      progress,
    }).catch((e) => e)
    expect(error).toBeInstanceOf(VerifyError)
    expect(error.message).toBe('connector c is still CREATING after 1m (the limit)')
    expect(error.hint).toMatch(/--timeout/)
    expect(clock.elapsed()).toBe(60_000)
    expect(Math.max(...clock.sleeps)).toBe(15_000)
    expect(progress.lines.filter((l) => l.startsWith('info'))).not.toHaveLength(0)
  })

  it('treats a thing that disappeared as GONE (deletes wait for it)', async () => {
    const result = await waitForState({
      ...base,
      until: [GONE],
      poll: sequence('DELETING', undefined),
      timeoutMs: 60_000,
      clock: fakeClock(),
    })
    expect(result.state).toBe(GONE)
  })

  it('stops with InterruptedError when the signal fires', async () => {
    const controller = new AbortController()
    const clock = fakeClock()
    const poll = async () => {
      controller.abort()
      return {state: 'CREATING', reason: ''}
    }
    const error = await waitForState({...base, poll, timeoutMs: 60_000, clock, signal: controller.signal}).catch((e) => e)
    expect(error).toBeInstanceOf(InterruptedError)
  })
})
