import {connect} from 'node:net'

import {PinctlError} from '../errors.js'
import type {Check} from './checks.js'

export interface TcpResult {
  ok: boolean
  /** errno code (ECONNREFUSED, ENOTFOUND…) or TIMEOUT. */
  code?: string
}

/** One TCP connection attempt from this machine, so "unreachable" is told apart from SSH failures. */
export function probeTcp(host: string, port: number, timeoutMs = 5000): Promise<TcpResult> {
  return new Promise((resolve) => {
    const socket = connect({host, port})
    const done = (result: TcpResult) => {
      clearTimeout(timer)
      socket.destroy()
      resolve(result)
    }
    const timer = setTimeout(() => done({ok: false, code: 'TIMEOUT'}), timeoutMs)
    socket.once('connect', () => done({ok: true}))
    socket.once('error', (error: NodeJS.ErrnoException) => done({ok: false, code: error.code ?? 'EIO'}))
  })
}

export function evaluateReachable(result: TcpResult, target: {host: string; port: number}): Check {
  const base = {layer: 'ssh' as const, name: 'reachable'}
  const where = `${target.host}:${target.port}`
  if (result.ok) return {...base, status: 'ok', detail: `TCP ${where} accepts connections`}
  switch (result.code) {
    case 'ECONNREFUSED':
      return {
        ...base,
        status: 'fail',
        detail: `${where} refused the connection`,
        fix: 'is the instance running and sshd up, and the port right (--ssh-port / PINCTL_SSH_PORT)?',
      }
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return {
        ...base,
        status: 'fail',
        detail: `cannot resolve ${target.host}`,
        fix: "use the instance's current public DNS (it changes when the instance stops and starts): `pinctl init` looks it up",
      }
    case 'TIMEOUT':
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return {
        ...base,
        status: 'fail',
        detail: `no answer from ${where}`,
        fix: `is the instance running, and does its security group allow inbound TCP ${target.port} (SSH) from your address?`,
      }
    default:
      return {...base, status: 'fail', detail: `cannot connect to ${where} (${result.code})`, fix: 'check the host name and port'}
  }
}

/**
 * Host key and login from one SSH connection attempt. The host key is verified before
 * authentication, so a refused key means the host key was accepted.
 */
export function evaluateSshConnect(outcome: {
  error?: unknown
  knownBefore: boolean
  notes: string[]
  knownHostsFile: string
  user: string
}): Check[] {
  const hostKey = {layer: 'ssh' as const, name: 'host-key'}
  const login = {layer: 'ssh' as const, name: 'login'}
  const firstUse = outcome.notes.find((note) => note.startsWith('trusted new host key'))
  if (!outcome.error) {
    return [
      firstUse
        ? {...hostKey, status: 'ok', detail: `first connection: ${firstUse}`}
        : {...hostKey, status: 'ok', detail: `matches the key recorded in known_hosts (${outcome.knownHostsFile} or ~/.ssh/known_hosts)`},
      {...login, status: 'ok', detail: `logged in as ${outcome.user}`},
    ]
  }
  const message = outcome.error instanceof Error ? outcome.error.message : String(outcome.error)
  const hint = outcome.error instanceof PinctlError ? outcome.error.hint : undefined
  if (/does not match|@revoked/.test(message)) {
    return [
      {
        ...hostKey,
        status: 'fail',
        detail: message,
        ...(hint ? {fix: hint} : {fix: 'remove the revoked key from known_hosts only if you trust the host'}),
      },
      {...login, status: 'skip', detail: 'needs ssh/host-key'},
    ]
  }
  const verified = outcome.knownBefore ? 'matches known_hosts' : 'new key, to be recorded after the first successful login'
  return [
    {...hostKey, status: 'ok', detail: verified},
    {...login, status: 'fail', detail: message, ...(hint ? {fix: hint} : {})},
  ]
}
