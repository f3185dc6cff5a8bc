import {chmodSync, readFileSync} from 'node:fs'
import ssh2 from 'ssh2'

import {writeFileAtomically} from '../atomic-file.js'
import type {AwsSettings} from '../aws/clients.js'
import {keyPairId} from '../aws/ec2.js'
import {getSecureParameter, ParameterMissingError} from '../aws/ssm.js'
import {ConfigError} from '../errors.js'
import {fingerprint} from '../ssh/known-hosts.js'

export interface FetchKeyPairOptions {
  aws: AwsSettings
  keyPairName: string
  keyFile: string
  /** Replace a key file whose content differs. */
  force?: boolean
}

export interface FetchKeyPairResult {
  keyPairName: string
  keyPairId: string
  parameter: string
  keyFile: string
  fingerprint: string
  status: 'written' | 'unchanged' | 'replaced'
}

/**
 * The key pair's private key, fetched with the API instead of copied from the console: a key pair that
 * CloudFormation made keeps it in Parameter Store under /ec2/keypair/<key pair id>. Written atomically with
 * mode 0400; the key itself is never printed.
 */
export async function fetchKeyPair(options: FetchKeyPairOptions): Promise<FetchKeyPairResult> {
  const id = await keyPairId(options.aws, options.keyPairName)
  const parameter = `/ec2/keypair/${id}`
  let material: string
  try {
    material = await getSecureParameter(options.aws, parameter)
  } catch (error) {
    if (error instanceof ParameterMissingError) {
      throw new ConfigError(
        `key pair ${options.keyPairName} (${id}) has no private key in Parameter Store (${parameter})`,
        'only key pairs created by CloudFormation store it there; for a key pair made in the console or CLI use the .pem you downloaded ' +
          'then (keyFile / PINCTL_KEY_FILE)',
      )
    }
    throw error
  }
  const content = material.endsWith('\n') ? material : `${material}\n`
  const print = publicFingerprint(content, parameter)
  const status = writeKeyFile(options.keyFile, content, Boolean(options.force))
  return {keyPairName: options.keyPairName, keyPairId: id, parameter, keyFile: options.keyFile, fingerprint: print, status}
}

function publicFingerprint(content: string, parameter: string): string {
  const parsed = ssh2.utils.parseKey(content)
  const key = Array.isArray(parsed) ? parsed[0] : parsed
  if (!key || key instanceof Error || !key.isPrivateKey()) {
    throw new ConfigError(
      `the value of ${parameter} is not a private key pinctl can read`,
      'check the parameter in the SSM console: it should start with -----BEGIN … PRIVATE KEY-----',
    )
  }
  return fingerprint(key.getPublicSSH())
}

/** Mode 0400, written atomically so a crash never leaves half a key; a different existing key is replaced only with `force`. */
export function writeKeyFile(path: string, content: string, force: boolean): FetchKeyPairResult['status'] {
  let existing: string | undefined
  try {
    existing = readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new ConfigError(`cannot read existing key file ${path}: ${(error as Error).message}`)
    }
  }
  if (existing === content) {
    chmodSync(path, 0o400)
    return 'unchanged'
  }
  if (existing !== undefined && !force) {
    throw new ConfigError(
      `key file ${path} exists with a different key`,
      'pass --force to replace it, or choose another path with --key-file',
    )
  }
  writeFileAtomically(path, content, {mode: 0o400, dirMode: 0o700, what: 'key file'})
  return existing === undefined ? 'written' : 'replaced'
}
