import type {Client, ClientChannel} from 'ssh2'

import {SshError} from '../errors.js'
import {shellQuote} from './quote.js'

export interface StreamOptions {
  /** A returned promise pauses the channel until it settles: SSH flow control then holds the remote command back. */
  onStdout?: (chunk: Buffer) => void | Promise<unknown>
  onStderr?: (chunk: Buffer) => void
  /** Aborting stops the remote process group (TERM, then KILL after graceMs). */
  signal?: AbortSignal
  graceMs?: number
}

/** How a streamed command ended; `lost` when the connection went away before it did. */
export interface StreamResult {
  code: number | null
  interrupted: boolean
  lost: boolean
}

/**
 * Streams a long-running command. sshd makes each exec a session leader, so the wrapper's pid
 * is also the process group of everything the command starts (a JVM included). Two ways stop
 * it: an abort sends TERM to the group (then KILL after graceMs), and a watchdog on the
 * channel's stdin does the same when the connection goes away, even if pinctl was killed.
 * TERM, not INT: a non-interactive shell starts background jobs with SIGINT ignored.
 * `exec` runs a short command on another channel of the same connection (the kill).
 */
export function streamCommand(
  client: Client,
  label: string,
  command: string,
  exec: (command: string) => Promise<unknown>,
  options: StreamOptions = {},
): Promise<StreamResult> {
  const wrapped = [
    'echo "__PINCTL_PID=$$" >&2',
    'exec 3<&0',
    `sh -c ${shellQuote(command)} </dev/null 3<&- &`,
    'child=$!',
    '(cat <&3 >/dev/null 2>&1; kill -TERM -- -$$ 2>/dev/null) >/dev/null 2>&1 &',
    'exec 3<&-',
    'wait "$child"',
    'exit $?',
  ].join('\n')
  return new Promise((resolve, reject) => {
    client.exec(wrapped, (error: Error | undefined, channel: ClientChannel) => {
      if (error) {
        reject(new SshError(`cannot start a remote command on ${label}: ${error.message}`))
        return
      }
      let pid: number | undefined
      let stderrHead = ''
      let interrupted = false
      let exited = false
      let closed = false
      let killTimer: NodeJS.Timeout | undefined
      const stop = async () => {
        interrupted = true
        if (closed) return
        if (pid === undefined) {
          channel.close()
          return
        }
        await exec(`kill -TERM -- -${pid} 2>/dev/null || kill -TERM ${pid} 2>/dev/null; true`).catch(() => {})
        // The command may have ended while the kill travelled: no timer may outlive the channel.
        if (closed) return
        killTimer = setTimeout(() => {
          void exec(`kill -KILL -- -${pid} 2>/dev/null; true`).catch(() => {})
          channel.close()
        }, options.graceMs ?? 5000)
        killTimer.unref()
      }
      const onAbort = () => void stop()
      options.signal?.addEventListener('abort', onAbort, {once: true})
      if (options.signal?.aborted) void stop()

      channel.on('data', (chunk: Buffer) => {
        const wait = options.onStdout?.(chunk)
        if (!wait) return
        channel.pause()
        void wait.finally(() => channel.resume())
      })
      channel.stderr.on('data', (chunk: Buffer) => {
        if (pid === undefined) {
          stderrHead += chunk.toString('utf8')
          const match = /__PINCTL_PID=(\d+)\n/.exec(stderrHead)
          if (!match) return
          pid = Number(match[1])
          const rest = stderrHead.slice(match.index + match[0].length)
          if (rest) options.onStderr?.(Buffer.from(rest))
          if (interrupted) void stop()
          return
        }
        options.onStderr?.(chunk)
      })
      let code: number | null = null
      channel.on('exit', (exitCode: number | null) => {
        exited = true
        code = exitCode
        // Closing our side ends the watchdog's stdin, so nothing stays behind on the host.
        channel.end()
      })
      channel.on('close', () => {
        closed = true
        if (killTimer) clearTimeout(killTimer)
        options.signal?.removeEventListener('abort', onAbort)
        resolve({code, interrupted, lost: !exited && !interrupted})
      })
    })
  })
}
