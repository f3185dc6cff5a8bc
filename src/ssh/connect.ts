import {readFileSync, statSync} from 'node:fs'
import {connect, type Socket} from 'node:net'
import type {ConnectConfig} from 'ssh2'

import {ConfigError, SshError} from '../errors.js'
import {shown} from '../ux/printable.js'
import {fingerprint, keyTypeOf, knownHostName, type HostKeyVerdict} from './known-hosts.js'
import {shellQuote} from './quote.js'

/** Where a session connects, with which key, and which known_hosts files it trusts. */
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

const HOST_TYPES = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
] as const

/**
 * Host key algorithms to offer: the types known_hosts holds for the host first, as OpenSSH orders
 * HostKeyAlgorithms, so a host with several keys shows one we can check instead of being refused.
 */
export function orderHostKeyTypes(known: string[]): NonNullable<ConnectConfig['algorithms']>['serverHostKey'] {
  const expanded = known.flatMap((type) => (type === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [type]))
  const ordered = [...new Set([...expanded.filter((type) => (HOST_TYPES as readonly string[]).includes(type)), ...HOST_TYPES])]
  return ordered as never
}

/**
 * The TCP connection, opened here so Nagle's algorithm can be turned off: ssh2 leaves it on, and
 * with delayed ACKs every small SSH packet then waits ~40 ms (measured on loopback: connect 210 ms
 * → 40 ms, one exec 88 ms → 5 ms).
 */
export function openSocket(host: string, port: number, timeoutMs: number): Promise<Socket> {
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

export function readPrivateKey(keyFile: string): string {
  let stat
  try {
    stat = statSync(keyFile)
  } catch {
    throw new ConfigError(
      `key file ${shown(keyFile)} not found`,
      'fetch it with `pinctl keypair fetch`, or point --key-file / PINCTL_KEY_FILE at your .pem',
    )
  }
  if (stat.isDirectory()) {
    throw new ConfigError(
      `key file ${shown(keyFile)} is a directory, not a private key`,
      'point --key-file / PINCTL_KEY_FILE at the .pem file itself',
    )
  }
  if ((stat.mode & 0o077) !== 0) {
    throw new ConfigError(
      `key file ${shown(keyFile)} is readable by others (mode ${(stat.mode & 0o777).toString(8)}); ssh refuses such keys and so does ` +
        `pinctl`,
      `chmod 400 ${shellQuote(keyFile)}`,
    )
  }
  try {
    return readFileSync(keyFile, 'utf8')
  } catch (error) {
    throw new ConfigError(`cannot read key file ${shown(keyFile)}: ${(error as Error).message}`)
  }
}

/** Why a connection failed, with the fix: a changed host key, a refused port, a name, a key the host rejects. */
export function connectionError(
  target: SshTarget,
  error: unknown,
  verdict: HostKeyVerdict | undefined,
  presented: Buffer | undefined,
): Error {
  const where = `${target.host}:${target.port}`
  if (verdict?.status === 'mismatch' && presented) {
    const {entry} = verdict
    return new SshError(
      `host key for ${where} does not match the ${entry.keyType} key in ${shown(entry.file)}:${entry.line} — the host presented ` +
        `${keyTypeOf(presented)} ${fingerprint(presented)}; refusing to connect (possible man-in-the-middle, or the instance was replaced)`,
      `if the instance was really replaced, remove the old key: ssh-keygen -R ${shellQuote(knownHostName(target.host, target.port))} -f ` +
        `${shellQuote(entry.file)}`,
    )
  }
  if (verdict?.status === 'revoked') {
    return new SshError(
      `host key for ${where} is marked @revoked in ${shown(verdict.entry.file)}:${verdict.entry.line}; refusing to connect`,
    )
  }
  const message = (error as Error)?.message ?? String(error)
  const code = (error as NodeJS.ErrnoException)?.code
  if (code === 'ECONNREFUSED') {
    return new SshError(
      `cannot connect to ${where}: connection refused`,
      'is the instance running, sshd up, and the port right (--ssh-port / PINCTL_SSH_PORT)?',
    )
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new SshError(
      `cannot resolve host ${shown(target.host)}`,
      "check the host name (the instance's public DNS): --host or PINCTL_HOST",
    )
  }
  if (code === 'ETIMEDOUT' || code === 'EHOSTUNREACH' || /Timed out while waiting for handshake/.test(message)) {
    return new SshError(
      `timed out connecting to ${where}`,
      'is the instance running, and does its security group allow SSH from your address?',
    )
  }
  if (/All configured authentication methods failed/.test(message)) {
    return new SshError(
      `${where} refused the key ${shown(target.keyFile)} for user ${shown(target.user)}`,
      "check the SSH user (ec2-user on Amazon Linux, ubuntu on Ubuntu, admin on Debian) and that the key pair is the instance's: `pinctl " +
        'keypair fetch`',
    )
  }
  return new SshError(`SSH connection to ${where} failed: ${message}`)
}

/** The error for a host key that was accepted but could not be written down: nothing may run on that host. */
export function recordFailure(target: SshTarget, error: unknown): ConfigError {
  const reason = (error as NodeJS.ErrnoException)?.code ?? (error as Error)?.message ?? String(error)
  return new ConfigError(
    `cannot record the host key of ${target.host}:${target.port} in ${shown(target.knownHostsFile)} (${reason}); nothing was run on the ` +
      `host`,
    'set PINCTL_KNOWN_HOSTS, or knownHostsFile in the config file, to a writable file path',
  )
}
