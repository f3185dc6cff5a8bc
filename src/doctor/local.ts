import {openSync, readSync, closeSync, statSync} from 'node:fs'

import type {CallerIdentity} from '../aws/sts.js'
import type {Config} from '../config/resolve.js'
import {shellQuote} from '../ssh/quote.js'
import {type Check, checkFromError} from './checks.js'

/** The config as resolved, or the error resolving it raised (an invalid file, a bad value). */
export function evaluateConfig(config: Config | undefined, error?: unknown): Check {
  if (error || !config) return checkFromError('local', 'config', error ?? new Error('no configuration'))
  if (!config.userId) {
    return {
      layer: 'local',
      name: 'config',
      status: 'fail',
      detail: 'no user id: topics, bucket, role, plugin and connector are all named after it',
      fix: 'pass --user 12b287eedf6d, set PINCTL_USER, or run `pinctl init` to write a config file',
    }
  }
  const sources = [...new Set(Object.values(config.sources))]
  const host = config.host ? `host ${config.host}` : 'no host'
  return {
    layer: 'local',
    name: 'config',
    status: 'ok',
    detail: `user ${config.userId}, ${host}, region ${config.region}, auth ${config.auth} (set by ${sources.join(', ') || 'defaults'})`,
  }
}

export function evaluateCredentials(identity: CallerIdentity | undefined, error?: unknown): Check {
  if (error || !identity) return checkFromError('local', 'credentials', error ?? new Error('no identity'))
  return {layer: 'local', name: 'credentials', status: 'ok', detail: `${identity.arn} (account ${identity.account})`}
}

export interface KeyFileState {
  path?: string
  /** errno code when it could not be read (ENOENT, EACCES…). */
  error?: string
  mode?: number
  isFile?: boolean
  /** The first bytes, to tell a private key from something else; never printed. */
  head?: string
}

/** Reads what the key-file check needs without keeping the key: mode, type and the first line. */
export function readKeyFileState(path: string | undefined): KeyFileState {
  if (!path) return {}
  try {
    const stat = statSync(path)
    let head = ''
    if (stat.isFile()) {
      const fd = openSync(path, 'r')
      try {
        const buffer = Buffer.alloc(64)
        head = buffer.subarray(0, readSync(fd, buffer, 0, 64, 0)).toString('latin1')
      } finally {
        closeSync(fd)
      }
    }
    return {path, mode: stat.mode & 0o777, isFile: stat.isFile(), head}
  } catch (error) {
    return {path, error: (error as NodeJS.ErrnoException).code ?? 'EIO'}
  }
}

export function evaluateKeyFile(state: KeyFileState, keyPairName?: string): Check {
  const base = {layer: 'local' as const, name: 'key-file'}
  const fetch = keyPairName ? `\`pinctl keypair fetch\` (key pair ${keyPairName})` : '`pinctl keypair fetch --key-pair <name>`'
  if (!state.path) {
    return {
      ...base,
      status: 'fail',
      detail: 'no key file configured',
      fix: `set keyFile / PINCTL_KEY_FILE, or a user id / key pair so the default ~/.ssh/<key-pair>.pem applies; ${fetch} writes it`,
    }
  }
  if (state.error === 'ENOENT') {
    return {
      ...base,
      status: 'fail',
      detail: `${state.path} not found`,
      fix: `${fetch} writes it from Parameter Store (CloudFormation key pairs), or point keyFile at the .pem you downloaded`,
    }
  }
  if (state.error)
    return {
      ...base,
      status: 'fail',
      detail: `cannot read ${state.path} (${state.error})`,
      fix: `check the file's owner and mode: chmod 400 ${shellQuote(state.path)}`,
    }
  if (!state.isFile)
    return {...base, status: 'fail', detail: `${state.path} is not a file`, fix: 'point keyFile / PINCTL_KEY_FILE at the .pem file'}
  const mode = (state.mode ?? 0).toString(8).padStart(4, '0')
  if (((state.mode ?? 0) & 0o077) !== 0) {
    return {
      ...base,
      status: 'fail',
      detail: `${state.path} has mode ${mode}: ssh refuses a private key others can read`,
      fix: `chmod 400 ${shellQuote(state.path)}`,
    }
  }
  if (((state.mode ?? 0) & 0o400) === 0) {
    return {
      ...base,
      status: 'fail',
      detail: `${state.path} has mode ${mode}: not readable by its owner`,
      fix: `chmod 400 ${shellQuote(state.path)}`,
    }
  }
  if (!/PRIVATE KEY/.test(state.head ?? '')) {
    return {
      ...base,
      status: 'fail',
      detail: `${state.path} does not start like a private key (-----BEGIN … PRIVATE KEY-----)`,
      fix: `${fetch} writes the right file`,
    }
  }
  return {...base, status: 'ok', detail: `${state.path} (mode ${mode})`}
}
