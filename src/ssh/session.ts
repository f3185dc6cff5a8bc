import {readFileSync, statSync} from 'node:fs'
import {type AddressInfo, connect, createServer, type Socket} from 'node:net'
import {NodeSSH} from 'node-ssh'
import type {ClientChannel, ConnectConfig} from 'ssh2'

import {ConfigError, RemoteCommandError, SshError} from '../errors.js'
import {
  fingerprint,
  keyTypeOf,
  knownHostName,
  knownKeyTypes,
  readKnownHosts,
  recordHostKey,
  verifyHostKey,
  type HostKeyVerdict,
} from './known-hosts.js'
import {shellQuote} from './quote.js'

export interface SshTarget {
  host: string
  port: number
  user: string
  keyFile: string
  /** pinctl's own known_hosts (read and written: trust on first use). */
  knownHostsFile: string
  /** Read-only known_hosts files consulted first, normally ~/.ssh/known_hosts. */
  systemKnownHosts?: string[]
  readyTimeoutMs?: number
}

export interface ExecResult {
  code: number | null
  signal?: string | null
  stdout: string
  stderr: string
}

export interface StreamOptions {
  onStdout?: (chunk: Buffer) => void
  onStderr?: (chunk: Buffer) => void
  /** Aborting stops the remote process group (INT, then KILL after graceMs). */
  signal?: AbortSignal
  graceMs?: number
}

export interface WriteFileOptions {
  mode?: string
  /** Keep `<path>.bak` of a differing previous file. */
  backup?: boolean
  sudo?: boolean
}

const HOST_TYPES = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] as const

/** Counters for benchmarks and the no-op report: one connection per run is a design rule. */
export interface SessionStats {
  connections: number
  execs: number
}

/**
 * One SSH connection for the whole run. Remote commands are judged by exit code;
 * stderr output alone is never a failure.
 */
export class SshSession {
  readonly stats: SessionStats = {connections: 0, execs: 0}
  private ssh?: NodeSSH
  private hostKeyNote?: string

  constructor(readonly target: SshTarget, private readonly notify: (message: string) => void = () => {}) {}

  static async open(target: SshTarget, notify?: (message: string) => void): Promise<SshSession> {
    const session = new SshSession(target, notify)
    await session.connect()
    return session
  }

  get label(): string {
    return `${this.target.user}@${this.target.host}:${this.target.port}`
  }

  async connect(): Promise<void> {
    if (this.ssh?.isConnected()) return
    const {target} = this
    const privateKey = readPrivateKey(target.keyFile)
    const files = [...(target.systemKnownHosts ?? []), target.knownHostsFile]
    const entries = readKnownHosts(files)
    const preferred = knownKeyTypes(entries, target.host, target.port)
    let verdict: HostKeyVerdict | undefined
    let presented: Buffer | undefined

    const config: ConnectConfig & {privateKey: string} = {
      host: target.host,
      port: target.port,
      username: target.user,
      privateKey,
      readyTimeout: target.readyTimeoutMs ?? 20_000,
      keepaliveInterval: 15_000,
      algorithms: {serverHostKey: orderHostKeyTypes(preferred)},
      hostVerifier: (key: Buffer) => {
        presented = key
        verdict = verifyHostKey(entries, target.host, target.port, key)
        return verdict.status === 'known' || verdict.status === 'unknown'
      },
    }
    const ssh = new NodeSSH()
    try {
      config.sock = await openSocket(target.host, target.port, target.readyTimeoutMs ?? 20_000)
      await ssh.connect(config)
    } catch (error) {
      config.sock?.destroy()
      throw this.connectionError(error, verdict, presented)
    }
    this.stats.connections++
    if (verdict?.status === 'unknown' && presented) {
      recordHostKey(target.knownHostsFile, target.host, target.port, presented)
      this.hostKeyNote = `trusted new host key for ${knownHostName(target.host, target.port)} (${keyTypeOf(presented)} ${fingerprint(presented)}), recorded in ${target.knownHostsFile}`
      this.notify(this.hostKeyNote)
    }
    this.ssh = ssh
  }

  /** Runs a command and returns its exit code and output; never throws for a non-zero exit. */
  async exec(command: string, options: {stdin?: string} = {}): Promise<ExecResult> {
    const ssh = this.connected()
    this.stats.execs++
    try {
      const result = await ssh.execCommand(command, {stdin: options.stdin, noTrim: true})
      return {code: result.code, signal: result.signal, stdout: result.stdout, stderr: result.stderr}
    } catch (error) {
      throw new SshError(`lost the SSH connection to ${this.label}: ${(error as Error).message}`, 'check the network and rerun; pinctl resumes where it stopped')
    }
  }

  /** Like exec, but a non-zero exit is a RemoteCommandError that says what failed and shows stderr. */
  async run(command: string, what: string, options: {stdin?: string; hint?: string} = {}): Promise<ExecResult> {
    const result = await this.exec(command, options)
    if (result.code !== 0) {
      const tail = lastLines(result.stderr || result.stdout, 6)
      throw new RemoteCommandError(
        `${what} failed on ${this.target.host} (exit ${result.code ?? result.signal})${tail ? `:\n${tail}` : ''}`,
        options.hint,
        {code: result.code, stderr: result.stderr},
      )
    }
    return result
  }

  /**
   * Streams a long-running command. sshd makes each exec a session leader, so the wrapper's pid
   * is also the process group of everything the command starts (a JVM included). Two ways stop
   * it: an abort sends TERM to the group (then KILL after graceMs), and a watchdog on the
   * channel's stdin does the same when the connection goes away, even if pinctl was killed.
   * TERM, not INT: a non-interactive shell starts background jobs with SIGINT ignored.
   */
  async stream(command: string, options: StreamOptions = {}): Promise<{code: number | null; interrupted: boolean}> {
    const ssh = this.connected()
    const client = ssh.connection!
    this.stats.execs++
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
          reject(new SshError(`cannot start a remote command on ${this.label}: ${error.message}`))
          return
        }
        let pid: number | undefined
        let stderrHead = ''
        let interrupted = false
        let killTimer: NodeJS.Timeout | undefined
        const stop = async () => {
          interrupted = true
          if (pid === undefined) {
            channel.close()
            return
          }
          await this.exec(`kill -TERM -- -${pid} 2>/dev/null || kill -TERM ${pid} 2>/dev/null; true`).catch(() => {})
          killTimer = setTimeout(() => {
            void this.exec(`kill -KILL -- -${pid} 2>/dev/null; true`).catch(() => {})
            channel.close()
          }, options.graceMs ?? 5000)
        }
        const onAbort = () => void stop()
        options.signal?.addEventListener('abort', onAbort, {once: true})
        if (options.signal?.aborted) void stop()

        channel.on('data', (chunk: Buffer) => options.onStdout?.(chunk))
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
          code = exitCode
          // Closing our side ends the watchdog's stdin, so nothing stays behind on the host.
          channel.end()
        })
        channel.on('close', () => {
          if (killTimer) clearTimeout(killTimer)
          options.signal?.removeEventListener('abort', onAbort)
          resolve({code, interrupted})
        })
      })
    })
  }

  /**
   * Writes a file atomically: a temp file in the same directory, then `mv`. Returns whether the
   * content changed; an identical file is left untouched (mtime too).
   */
  async writeFile(path: string, content: string, options: WriteFileOptions = {}): Promise<{changed: boolean}> {
    const script = [
      'set -eu',
      `dest=${shellQuote(path)}`,
      'dir=$(dirname "$dest")',
      'mkdir -p "$dir"',
      'tmp=$(mktemp "$dir/.pinctl-tmp.XXXXXX")',
      `trap 'rm -f "$tmp"' EXIT`,
      'cat > "$tmp"',
      `chmod ${shellQuote(options.mode ?? '0644')} "$tmp"`,
      'if [ -f "$dest" ] && cmp -s "$tmp" "$dest"; then echo unchanged; exit 0; fi',
      options.backup ? 'if [ -f "$dest" ]; then cp -p "$dest" "$dest.bak"; fi' : ':',
      'mv -f "$tmp" "$dest"',
      'trap - EXIT',
      'echo changed',
    ].join('\n')
    const command = options.sudo ? `sudo -n sh -c ${shellQuote(script)}` : `sh -c ${shellQuote(script)}`
    const result = await this.run(command, `writing ${path}`, {stdin: content})
    return {changed: result.stdout.trim().endsWith('changed') && !result.stdout.trim().endsWith('unchanged')}
  }

  /** A socket to host:port as seen from the remote host (the REST proxy tunnel), over this connection. */
  async forward(host: string, port: number): Promise<ClientChannel> {
    const client = this.connected().connection!
    return new Promise((resolve, reject) => {
      client.forwardOut('127.0.0.1', 0, host, port, (error: Error | undefined, channel: ClientChannel) => {
        if (error) reject(new SshError(`cannot open a tunnel to ${host}:${port} on ${this.target.host}: ${error.message}`, 'is AllowTcpForwarding enabled in the host\'s sshd_config?'))
        else resolve(channel)
      })
    })
  }

  /**
   * `ssh -L` over this connection: a loopback port whose connections reach host:port on the
   * remote side. Ordinary HTTP clients (fetch) then talk to the REST proxy through it.
   */
  async tunnel(host: string, port: number): Promise<{port: number; close: () => Promise<void>}> {
    const sockets = new Set<Socket>()
    const server = createServer((socket) => {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
      this.forward(host, port).then(
        (channel) => {
          socket.pipe(channel).pipe(socket)
          channel.on('error', () => socket.destroy())
          socket.on('error', () => channel.close())
        },
        () => socket.destroy(),
      )
    })
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(0, '127.0.0.1', resolve)
    })
    const local = (server.address() as AddressInfo).port
    return {
      port: local,
      close: () =>
        new Promise<void>((resolve) => {
          for (const socket of sockets) socket.destroy()
          server.close(() => resolve())
        }),
    }
  }

  async dispose(): Promise<void> {
    this.ssh?.dispose()
    this.ssh = undefined
  }

  private connected(): NodeSSH {
    if (!this.ssh?.isConnected()) throw new SshError(`not connected to ${this.label}`, 'this is a bug in pinctl: connect() first')
    return this.ssh
  }

  private connectionError(error: unknown, verdict: HostKeyVerdict | undefined, presented: Buffer | undefined): Error {
    const {target} = this
    const where = `${target.host}:${target.port}`
    if (verdict?.status === 'mismatch' && presented) {
      return new SshError(
        `host key for ${where} does not match ${verdict.entry.file}:${verdict.entry.line} — the host presented ${keyTypeOf(presented)} ${fingerprint(presented)}; refusing to connect (possible man-in-the-middle, or the instance was replaced)`,
        `if the instance was really replaced, remove the old key: ssh-keygen -R ${shellQuote(knownHostName(target.host, target.port))} -f ${shellQuote(verdict.entry.file)}`,
      )
    }
    if (verdict?.status === 'revoked') {
      return new SshError(`host key for ${where} is marked @revoked in ${verdict.entry.file}:${verdict.entry.line}; refusing to connect`)
    }
    const message = (error as Error)?.message ?? String(error)
    const code = (error as NodeJS.ErrnoException)?.code
    if (code === 'ECONNREFUSED') {
      return new SshError(`cannot connect to ${where}: connection refused`, 'is the instance running, sshd up, and the port right (--ssh-port / PINCTL_SSH_PORT)?')
    }
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      return new SshError(`cannot resolve host ${target.host}`, "check the host name (the instance's public DNS) in the config or PINCTL_HOST")
    }
    if (code === 'ETIMEDOUT' || code === 'EHOSTUNREACH' || /Timed out while waiting for handshake/.test(message)) {
      return new SshError(`timed out connecting to ${where}`, "is the instance running, and does its security group allow SSH from your address?")
    }
    if (/All configured authentication methods failed/.test(message)) {
      return new SshError(
        `${where} refused the key ${target.keyFile} for user ${target.user}`,
        'check the SSH user (ec2-user on Amazon Linux, ubuntu on Ubuntu, admin on Debian) and that the key pair is the instance\'s: `pinctl keypair fetch`',
      )
    }
    return new SshError(`SSH connection to ${where} failed: ${message}`)
  }
}

/** Host key types already known for the host go first, as OpenSSH orders them, so a known host is not asked for another type. */
function orderHostKeyTypes(preferred: string[]): NonNullable<ConnectConfig['algorithms']>['serverHostKey'] {
  const expanded = preferred.flatMap((type) => (type === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [type]))
  const ordered = [...new Set([...expanded.filter((type) => (HOST_TYPES as readonly string[]).includes(type)), ...HOST_TYPES])]
  return ordered as never
}

/**
 * The TCP connection, opened here so Nagle's algorithm can be turned off: ssh2 leaves it on, and
 * with delayed ACKs every small SSH packet then waits ~40 ms (measured on loopback: connect 210 ms
 * → 40 ms, one exec 88 ms → 5 ms).
 */
function openSocket(host: string, port: number, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({host, port, noDelay: true})
    const timer = setTimeout(() => {
      socket.destroy()
      reject(Object.assign(new Error(`connect ETIMEDOUT ${host}:${port}`), {code: 'ETIMEDOUT'}))
    }, timeoutMs)
    socket.once('connect', () => {
      clearTimeout(timer)
      resolve(socket)
    })
    socket.once('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
  })
}

function readPrivateKey(keyFile: string): string {
  let stat
  try {
    stat = statSync(keyFile)
  } catch {
    throw new ConfigError(`key file ${keyFile} not found`, 'fetch it with `pinctl keypair fetch`, or point PINCTL_KEY_FILE / keyFile at your .pem')
  }
  if ((stat.mode & 0o077) !== 0) {
    throw new ConfigError(
      `key file ${keyFile} is readable by others (mode ${(stat.mode & 0o777).toString(8)}); ssh refuses such keys and so does pinctl`,
      `chmod 400 ${shellQuote(keyFile)}`,
    )
  }
  try {
    return readFileSync(keyFile, "utf8")
  } catch (error) {
    throw new ConfigError(`cannot read key file ${keyFile}: ${(error as Error).message}`)
  }
}

function lastLines(text: string, count: number): string {
  return text.trimEnd().split('\n').slice(-count).join('\n')
}
