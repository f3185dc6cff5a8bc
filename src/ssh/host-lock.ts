import {hostname} from 'node:os'
import type {ClientChannel} from 'ssh2'

import {InterruptedError, RemoteCommandError} from '../errors.js'
import {STATE_DIR} from '../host/layout.js'
import {shown} from '../ux/printable.js'
import {shellQuote} from './quote.js'

export interface HostLockOptions {
  /** What holds the lock, as other runs will be told: e.g. `setup-client`. */
  command: string
  timeoutMs: number
  signal?: AbortSignal
  /** Called now and then while another run holds the lock, with what it said about itself. */
  onWait?: (holder: string, waitedMs: number) => void
}

export interface HostLock {
  release(): void
}

const WAIT_NOTE_EVERY_MS = 5000

/**
 * The remote half of the lock: flock on ~/.pinctl/host.lock, held by a shell whose stdin is this
 * channel. When pinctl releases it, exits or dies, or the connection drops, sshd closes that stdin,
 * `cat` ends and the lock goes with it — no stale lock is ever left behind.
 */
export function hostLockScript(holder: string, timeoutSeconds: number): string {
  return `dir=${STATE_DIR}
mkdir -p "$dir" && exec 9>>"$dir/host.lock" || { echo "PINCTL_LOCK_ERROR cannot open $dir/host.lock"; exit 70; }
command -v flock >/dev/null 2>&1 || { echo "PINCTL_LOCK_ERROR flock is not installed (package util-linux)"; exit 71; }
if ! flock -n 9; then
  printf 'PINCTL_LOCK_BUSY %s\\n' "$(cat "$dir/host.lock.holder" 2>/dev/null)"
  if ! flock -w ${Math.max(1, Math.ceil(timeoutSeconds))} 9; then
    printf 'PINCTL_LOCK_TIMEOUT %s\\n' "$(cat "$dir/host.lock.holder" 2>/dev/null)"; exit 75
  fi
fi
printf '%s\\n' ${shellQuote(holder)} > "$dir/host.lock.holder"
echo PINCTL_LOCK_HELD
exec cat >/dev/null`
}

/** Who we are, for a run that finds the host locked: pid, machine, command and start time. */
export function describeHolder(command: string, now = new Date()): string {
  return `pid ${process.pid} on ${hostname()}: pinctl ${command}, since ${now.toISOString().replace(/\.\d+Z$/, 'Z')}`
}

/**
 * Takes the host lock over an open channel factory (one exec on the run's connection). Waits up to
 * timeoutMs while another run holds it, telling onWait who that is; then holds it until released.
 */
export function acquireHostLock(
  openChannel: (command: string) => Promise<ClientChannel>,
  host: string,
  options: HostLockOptions,
): Promise<HostLock> {
  const script = hostLockScript(describeHolder(options.command), options.timeoutMs / 1000)
  return openChannel(script).then(
    (channel) =>
      new Promise<HostLock>((resolve, reject) => {
        const started = Date.now()
        let output = ''
        let holder = ''
        let settled = false
        let ticker: NodeJS.Timeout | undefined
        const finish = (error?: Error) => {
          if (settled) return
          settled = true
          if (ticker) clearInterval(ticker)
          options.signal?.removeEventListener('abort', onAbort)
          if (error) {
            channel.close()
            reject(error)
          } else {
            resolve({release: () => channel.end()})
          }
        }
        // Only a wait is interrupted here; a free lock is taken at once, and the caller stops after it.
        const onAbort = () => {
          if (holder) finish(new InterruptedError(`interrupted while waiting for the host lock held by ${holder}; nothing was changed`))
        }
        options.signal?.addEventListener('abort', onAbort, {once: true})
        channel.on('data', (chunk: Buffer) => {
          output += chunk.toString('utf8')
          const busy = /^PINCTL_LOCK_BUSY ?(.*)$/m.exec(output)
          if (busy && !ticker && !settled) {
            holder = busy[1].trim() || 'another run'
            if (options.signal?.aborted) return onAbort()
            options.onWait?.(holder, 0)
            ticker = setInterval(() => options.onWait?.(holder, Date.now() - started), WAIT_NOTE_EVERY_MS)
          }
          if (/^PINCTL_LOCK_HELD$/m.test(output)) finish()
        })
        channel.stderr.on('data', () => {})
        channel.on('close', () => {
          const timeout = /^PINCTL_LOCK_TIMEOUT ?(.*)$/m.exec(output)
          if (timeout) {
            const who = shown(timeout[1].trim() || holder || 'another run', 200)
            finish(
              new RemoteCommandError(
                `${host} is locked by ${who}; waited ${Math.round((Date.now() - started) / 1000)}s`,
                'wait for that run to finish, or give it longer with --lock-timeout; the lock goes away by itself when that run ends or ' +
                  'its SSH connection drops',
              ),
            )
            return
          }
          const error = /^PINCTL_LOCK_ERROR (.*)$/m.exec(output)?.[1]
          finish(
            new RemoteCommandError(
              `cannot take the host lock on ${host}: ${shown(error ?? 'the lock command ended early', 200)}`,
              'pinctl locks ~/.pinctl/host.lock with flock (util-linux) so two runs never change the host at once',
            ),
          )
        })
      }),
  )
}
