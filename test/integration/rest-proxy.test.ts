import {beforeAll, describe, expect, it} from 'vitest'

import {ensureProvisioned, onHost, pinctl, sandboxEnv} from './harness.js'

beforeAll(async () => {
  sandboxEnv()
  await ensureProvisioned()
}, 300_000)

describe('pinctl rest-proxy status | stop | start | logs', () => {
  it('reports the running proxy, stops it (once), starts it again and shows its log', async () => {
    const running = await pinctl(['rest-proxy', 'status', '--json'])
    expect(running.exitCode).toBe(0)
    const before = JSON.parse(String(running.stdout))
    expect(before).toMatchObject({manager: 'process', running: true, installed: true, answers: true})

    const stopped = await pinctl(['rest-proxy', 'stop', '--json'])
    expect(JSON.parse(String(stopped.stdout))).toEqual({wasRunning: true})
    expect(await onHost(`kill -0 ${before.pid} 2>/dev/null && echo alive || echo gone`)).toBe('gone')
    const again = await pinctl(['rest-proxy', 'stop', '--json'])
    expect(JSON.parse(String(again.stdout))).toEqual({wasRunning: false})

    const down = await pinctl(['rest-proxy', 'status'])
    expect(down.exitCode).toBe(6)
    expect(down.stderr).toMatch(
      /error: the REST proxy is not running \(background process\)\n\s+hint: start it with `pinctl rest-proxy start`/,
    )

    const started = await pinctl(['rest-proxy', 'start'])
    expect(started.exitCode, String(started.stderr)).toBe(0)
    expect(started.stderr).toContain('REST proxy started and answering')
    const after = JSON.parse(String((await pinctl(['rest-proxy', 'status', '--json'])).stdout))
    expect(after).toMatchObject({running: true, answers: true})
    expect(after.pid).not.toBe(before.pid)

    const logs = await pinctl(['rest-proxy', 'logs', '-n', '50'])
    expect(logs.exitCode).toBe(0)
    expect(logs.stdout).toContain('Server started, listening for requests')
  })
})
