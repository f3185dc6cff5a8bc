import {spawn} from 'node:child_process'
import {EventEmitter} from 'node:events'
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {ClientChannel} from 'ssh2'
import {describe, expect, it} from 'vitest'

import {RemoteCommandError} from '../../src/errors.js'
import {acquireHostLock} from '../../src/ssh/host-lock.js'

/** Runs the lock's remote script in a local sh with its own HOME, behind the few channel calls the lock uses. */
function localChannel(home: string) {
  return async (script: string): Promise<ClientChannel> => {
    const child = spawn('sh', ['-c', script], {env: {...process.env, HOME: home}, stdio: ['pipe', 'pipe', 'pipe']})
    const channel = Object.assign(new EventEmitter(), {
      stderr: child.stderr,
      end: () => child.stdin.end(),
      close: () => child.kill('SIGKILL'),
    })
    child.stdout.on('data', (chunk: Buffer) => channel.emit('data', chunk))
    child.on('close', () => channel.emit('close'))
    return channel as unknown as ClientChannel
  }
}

describe('the host lock (its script run by a local sh)', () => {
  const home = mkdtempSync(join(tmpdir(), 'pinctl-lock-'))
  const open = localChannel(home)

  it('is taken at once when free, makes the next run wait and name the holder, and is freed by release()', async () => {
    const first = await acquireHostLock(open, 'host', {command: 'setup-client', timeoutMs: 5000})
    const waits: string[] = []
    const second = acquireHostLock(open, 'host', {command: 'rest-proxy stop', timeoutMs: 5000, onWait: (holder) => waits.push(holder)})
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(waits[0]).toMatch(new RegExp(`^pid ${process.pid} on .+: pinctl setup-client, since \\d{4}-`))
    first.release()
    ;(await second).release()
  })

  it('gives up after the timeout with exit 5, naming the holder', async () => {
    const held = await acquireHostLock(open, 'host', {command: 'setup-client', timeoutMs: 5000})
    try {
      const error = await acquireHostLock(open, 'host', {command: 'setup-client', timeoutMs: 1000}).catch((e) => e)
      expect(error).toBeInstanceOf(RemoteCommandError)
      expect(error.exitCode).toBe(5)
      expect(error.message).toMatch(/^host is locked by pid \d+ on .+: pinctl setup-client, since .+; waited \ds$/)
    } finally {
      held.release()
    }
  })

  it('takes a free lock even when already aborted (the caller stops after it, between steps)', async () => {
    const controller = new AbortController()
    controller.abort()
    const lock = await acquireHostLock(open, 'host', {command: 'setup-client', timeoutMs: 5000, signal: controller.signal})
    lock.release()
  })

  it('stops waiting on abort', async () => {
    const held = await acquireHostLock(open, 'host', {command: 'setup-client', timeoutMs: 5000})
    try {
      const controller = new AbortController()
      const waiting = acquireHostLock(open, 'host', {command: 'x', timeoutMs: 5000, signal: controller.signal}).catch((e) => e)
      setTimeout(() => controller.abort(), 200)
      expect((await waiting).exitCode).toBe(130)
    } finally {
      held.release()
    }
  })
})
