import {createHash, createHmac, randomBytes} from 'node:crypto'
import {appendFileSync, mkdirSync, readFileSync} from 'node:fs'
import {dirname} from 'node:path'

/** One usable line of an OpenSSH known_hosts file. */
export interface KnownHostEntry {
  file: string
  line: number
  marker?: '@revoked' | '@cert-authority'
  hosts: string
  keyType: string
  key: string
}

export type HostKeyVerdict =
  | {status: 'known'; entry: KnownHostEntry}
  | {status: 'unknown'}
  | {status: 'mismatch'; entry: KnownHostEntry}
  | {status: 'revoked'; entry: KnownHostEntry}

/** The name OpenSSH records for a host: bare for port 22, `[host]:port` otherwise. */
export function knownHostName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`
}

export function parseKnownHosts(text: string, file: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = []
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim()
    if (!line || line.startsWith('#')) continue
    const fields = line.split(/\s+/)
    let marker: KnownHostEntry['marker']
    if (fields[0] === '@revoked' || fields[0] === '@cert-authority') marker = fields.shift() as KnownHostEntry['marker']
    if (fields.length < 3) continue
    entries.push({file, line: index + 1, marker, hosts: fields[0], keyType: fields[1], key: fields[2]})
  }
  return entries
}

/** Whether a known_hosts host field (plain patterns or a `|1|salt|hash` entry) names this host. */
export function hostFieldMatches(field: string, name: string): boolean {
  if (field.startsWith('|1|')) {
    const [, , salt, hash] = field.split('|')
    if (!salt || !hash) return false
    const digest = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64')
    return digest === hash
  }
  let matched = false
  for (const pattern of field.split(',')) {
    const negated = pattern.startsWith('!')
    const body = negated ? pattern.slice(1) : pattern
    if (globMatches(body, name)) {
      if (negated) return false
      matched = true
    }
  }
  return matched
}

function globMatches(pattern: string, name: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replaceAll('*', '.*')
      .replaceAll('?', '.')}$`,
    'i',
  )
  return regex.test(name)
}

/** The key type inside an SSH public key blob (its first length-prefixed string). */
export function keyTypeOf(blob: Buffer): string {
  if (blob.length < 4) return 'unknown'
  const length = blob.readUInt32BE(0)
  return blob.subarray(4, 4 + length).toString('latin1')
}

/** `SHA256:…` as `ssh-keygen -l` prints it. */
export function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`
}

export function readKnownHosts(files: string[]): KnownHostEntry[] {
  const entries: KnownHostEntry[] = []
  for (const file of files) {
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch {
      continue
    }
    entries.push(...parseKnownHosts(text, file))
  }
  return entries
}

/**
 * Checks the key a host presented against every known_hosts entry for it. As OpenSSH does (with
 * StrictHostKeyChecking=accept-new too), once any key is known for the host, a key that matches none
 * of them is a mismatch whatever its type: a server that now offers only another key type is exactly
 * what a man-in-the-middle without the real key looks like. Only a host with no entry is new.
 */
export function verifyHostKey(entries: KnownHostEntry[], host: string, port: number, blob: Buffer): HostKeyVerdict {
  const names = port === 22 ? [host] : [knownHostName(host, port)]
  const presentedType = keyTypeOf(blob)
  const presented = blob.toString('base64')
  const forHost = entries.filter((entry) => entry.marker !== '@cert-authority' && names.some((name) => hostFieldMatches(entry.hosts, name)))
  const revoked = forHost.find((entry) => entry.marker === '@revoked' && entry.key === presented)
  if (revoked) return {status: 'revoked', entry: revoked}
  const usable = forHost.filter((entry) => entry.marker === undefined)
  const exact = usable.find((entry) => entry.key === presented)
  if (exact) return {status: 'known', entry: exact}
  // Name the entry of the same type when there is one: that is the key the host should have shown.
  const closest = usable.find((entry) => entry.keyType === presentedType) ?? usable[0]
  if (closest) return {status: 'mismatch', entry: closest}
  return {status: 'unknown'}
}

/** Key types we already know for a host, so the SSH handshake can ask for those first (as OpenSSH does). */
export function knownKeyTypes(entries: KnownHostEntry[], host: string, port: number): string[] {
  const name = knownHostName(host, port)
  return [...new Set(entries.filter((entry) => !entry.marker && hostFieldMatches(entry.hosts, name)).map((entry) => entry.keyType))]
}

/** Trust on first use: records the host in pinctl's own file, hashed like `HashKnownHosts yes`. */
export function recordHostKey(file: string, host: string, port: number, blob: Buffer): void {
  mkdirSync(dirname(file), {recursive: true, mode: 0o700})
  const salt = randomBytes(20)
  const hash = createHmac('sha1', salt).update(knownHostName(host, port)).digest('base64')
  appendFileSync(file, `|1|${salt.toString('base64')}|${hash} ${keyTypeOf(blob)} ${blob.toString('base64')}\n`, {mode: 0o600})
}
