import {NodeSSH} from 'node-ssh'
import type {ClientChannel, ConnectConfig} from 'ssh2'

import {RemoteCommandError, SshError} from '../errors.js'
import {connectionError, openSocket, orderHostKeyTypes, readPrivateKey, recordFailure, type SshTarget} from './connect.js'
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
import {streamCommand, type StreamOptions, type StreamResult} from './stream.js'
import {acquireHostLock, type HostLock, type HostLockOptions} from './host-lock.js'
import {forwardOut, openTunnel} from './tunnel.js'

export type {SshTarget} from './connect.js'
export type {StreamOptions, StreamResult} from './stream.js'

export interface ExecResult {
  code: number | null
  signal?: string | null
  stdout: string
  stderr: string
}

export interface WriteFileOptions {
  mode?: string
  /** Keep `<path>.bak` of a differing previous file. */
  backup?: boolean
  sudo?: boolean
}

/** The connection went away while a command ran: not the command's failure, and not the host's answer. */
export class ConnectionLostError extends SshError {
  constructor(
    readonly host: string,
    detail: string,
  ) {
    super(
      `SSH connection to ${host} lost${detail ? ` (${detail})` : ''}`,
      'check the network and run again; pinctl continues where it stopped',
    )
  }
}

/** Counters for benchmarks and the no-op report: one connection per run is a design rule. */
export interface SessionStats {
  connections: number
  execs: number
}

/** What services do with a host: run, stream, write, lock, tunnel. Tests hand them a fake one. */
export type HostSession = Pick<
  SshSession,
  'target' | 'label' | 'stats' | 'exec' | 'run' | 'stream' | 'writeFile' | 'lockHost' | 'forward' | 'tunnel' | 'dispose'
>

/** Opens the run's connection; injected so a service can be tested without a host. */
export type SessionOpener = (target: SshTarget, onNote?: (message: string) => void) => Promise<HostSession>

/**
 * One SSH connection for the whole run. Remote commands are judged by exit code;
 * stderr output alone is never a failure.
 */
export class SshSession {
  readonly stats: SessionStats = {connections: 0, execs: 0}
  private ssh?: NodeSSH
  private hostKeyNote?: string
  /** Set when the transport closes or fails: a command without an exit status was cut off by it. */
  private lostReason?: string

  constructor(
    readonly target: SshTarget,
    private readonly onNote: (message: string) => void = () => {},
  ) {}

  static async open(target: SshTarget, onNote?: (message: string) => void): Promise<SshSession> {
    const session = new SshSession(target, onNote)
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
      throw connectionError(target, error, verdict, presented)
    }
    this.stats.connections++
    if (verdict?.status === 'unknown' && presented) {
      try {
        recordHostKey(target.knownHostsFile, target.host, target.port, presented)
      } catch (error) {
        // A host we could not write down would be trusted anew next time: close before anything runs.
        ssh.dispose()
        throw recordFailure(target, error)
      }
      this.hostKeyNote =
        `trusted new host key for ${knownHostName(target.host, target.port)} (${keyTypeOf(presented)} ` +
        `${fingerprint(presented)}), recorded in ${target.knownHostsFile}`
      this.onNote(this.hostKeyNote)
    }
    const client = ssh.connection!
    client.on('error', (error: Error) => {
      this.lostReason ??= error.message
    })
    client.on('close', () => {
      this.lostReason ??= 'the connection closed'
    })
    this.ssh = ssh
  }

  /** Runs a command and returns its exit code and output; never throws for a non-zero exit. */
  async exec(command: string, options: {stdin?: string} = {}): Promise<ExecResult> {
    const ssh = this.connected()
    this.stats.execs++
    // Output is decoded once it is whole: node-ssh decodes chunk by chunk, which breaks a UTF-8
    // character that an SSH packet boundary cuts in two.
    const stdout: Buffer[] = []
    const stderr: Buffer[] = []
    let result
    try {
      result = await ssh.execCommand(command, {
        stdin: options.stdin,
        noTrim: true,
        onStdout: (chunk) => stdout.push(chunk),
        onStderr: (chunk) => stderr.push(chunk),
      })
    } catch (error) {
      throw new ConnectionLostError(this.target.host, (error as Error).message)
    }
    // sshd always sends an exit status or signal for a command that ended; none means the channel was cut.
    if (result.code === null && !result.signal) throw new ConnectionLostError(this.target.host, this.lostReason ?? 'no exit status')
    return {
      code: result.code,
      signal: result.signal,
      stdout: Buffer.concat(stdout).toString('utf8'),
      stderr: Buffer.concat(stderr).toString('utf8'),
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

  /** Streams a long-running command (see streamCommand); a cut connection is a ConnectionLostError. */
  async stream(command: string, options: StreamOptions = {}): Promise<StreamResult> {
    const client = this.connected().connection!
    this.stats.execs++
    const result = await streamCommand(client, this.label, command, (kill) => this.exec(kill), options)
    if (result.lost) throw new ConnectionLostError(this.target.host, this.lostReason ?? 'no exit status')
    return result
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

  /**
   * Takes the host lock (flock on ~/.pinctl/host.lock, held by a shell on this connection) so two
   * runs never change the host at once; it is released by release() or when the connection ends.
   */
  async lockHost(options: HostLockOptions): Promise<HostLock> {
    const client = this.connected().connection!
    this.stats.execs++
    const open = (command: string) =>
      new Promise<ClientChannel>((resolve, reject) => {
        client.exec(command, (error: Error | undefined, channel: ClientChannel) => {
          if (error) reject(new SshError(`cannot start a remote command on ${this.label}: ${error.message}`))
          else resolve(channel)
        })
      })
    return acquireHostLock(open, this.target.host, options)
  }

  /** A socket to host:port as seen from the remote host (the REST proxy tunnel), over this connection. */
  async forward(host: string, port: number): Promise<ClientChannel> {
    return forwardOut(this.connected().connection!, this.target.host, host, port)
  }

  /** `ssh -L` over this connection: a loopback port whose connections reach host:port on the remote side. */
  async tunnel(host: string, port: number): Promise<{port: number; close: () => Promise<void>}> {
    return openTunnel(() => this.forward(host, port))
  }

  async dispose(): Promise<void> {
    this.ssh?.dispose()
    this.ssh = undefined
  }

  private connected(): NodeSSH {
    if (!this.ssh?.isConnected()) throw new SshError(`not connected to ${this.label}`, 'this is a bug in pinctl: connect() first')
    return this.ssh
  }
}

function lastLines(text: string, count: number): string {
  return text.trimEnd().split('\n').slice(-count).join('\n')
}
