import {createHash, randomBytes} from 'node:crypto'
import {createReadStream, createWriteStream, mkdirSync, renameSync, rmSync, statSync} from 'node:fs'
import {homedir} from 'node:os'
import {join} from 'node:path'
import {Readable} from 'node:stream'
import {pipeline} from 'node:stream/promises'

import {type Artifact, PINNED, resolveArtifact} from '../artifacts.js'
import {silentProgress, type Progress} from '../progress.js'
import {ConfigError, VerifyError} from '../errors.js'
import {formatBytes} from './format.js'

/** Where the seed put the S3 sink zip (s3://<bucket>/kafka-connect-s3/<zip>) and its version; URL and checksum are in src/artifacts.ts. */
export const S3_SINK_ZIP = {
  name: PINNED['s3-sink'].name,
  version: '10.0.3',
  keyPrefix: 'kafka-connect-s3/',
}

export type PluginArtifact = Artifact

export interface ArtifactChoice {
  /** Replaces the whole URL (then the mirror is not applied). */
  url?: string
  sha512?: string
  /** Base URL that replaces scheme and host of the upstream URL, path kept (scripts/SANDBOX-CONTRACT.md). */
  mirror?: string
  /** JSON {"<url path>": "<sha512>"}: checksums that replace the pinned one. */
  artifactsFile?: string
}

/** The S3 sink zip from the one pinned version table, with --url, --sha512, the mirror and the artifacts file applied. */
export function resolvePluginArtifact(choice: ArtifactChoice = {}): PluginArtifact {
  return resolveArtifact('s3-sink', {
    url: choice.url,
    mirror: choice.mirror,
    artifactsFile: choice.artifactsFile,
    sha512: {'s3-sink': choice.sha512},
  })
}

export interface LocalArtifact {
  path: string
  name: string
  size: number
  sha512: string
  sha256: string
  md5: string
  /** The SHA-512 matched a known one; false when none was known. */
  verified: boolean
  source: 'download' | 'cache' | 'file'
  url?: string
}

export interface ObtainOptions {
  artifact: PluginArtifact
  /** A zip already on disk (air-gapped machines): used instead of downloading. */
  file?: string
  cacheDir?: string
  fetch?: typeof fetch
  signal?: AbortSignal
  progress?: Progress
}

export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  return env.PINCTL_CACHE_DIR || join(env.XDG_CACHE_HOME || join(home, '.cache'), 'pinctl')
}

/**
 * The zip on local disk, verified when a SHA-512 is known. Downloads land in a cache keyed by URL, written
 * to a temp file and renamed only after the checks, so a broken download is never reused.
 */
export async function obtainArtifact(options: ObtainOptions): Promise<LocalArtifact> {
  const progress = options.progress ?? silentProgress
  const {artifact} = options
  if (options.file) {
    const local = await describeFile(options.file, artifact.name, 'file')
    return verify(local, artifact, progress, options.file)
  }
  const dir = join(options.cacheDir ?? defaultCacheDir(), 'downloads', createHash('sha256').update(artifact.url).digest('hex').slice(0, 16))
  const cached = join(dir, artifact.name)
  if (exists(cached)) {
    const local = await describeFile(cached, artifact.name, 'cache', artifact.url)
    if (artifact.sha512 === null || local.sha512 === artifact.sha512) {
      progress.info(`using the cached download ${cached}`)
      return verify(local, artifact, progress, cached)
    }
    progress.warn(`the cached ${artifact.name} does not match the expected SHA-512: downloading it again`)
    rmSync(cached, {force: true})
  }
  mkdirSync(dir, {recursive: true})
  const temp = join(dir, `.${artifact.name}.${randomBytes(6).toString('hex')}.part`)
  progress.step(`downloading ${artifact.url}`)
  try {
    await download(artifact.url, temp, options.fetch ?? fetch, options.signal)
    const local = await describeFile(temp, artifact.name, 'download', artifact.url)
    const checked = verify(local, artifact, progress, artifact.url)
    renameSync(temp, cached)
    progress.info(`downloaded ${formatBytes(local.size)} to ${cached}`)
    return {...checked, path: cached}
  } finally {
    rmSync(temp, {force: true})
  }
}

async function download(url: string, path: string, fetchImpl: typeof fetch, signal?: AbortSignal): Promise<void> {
  let response: Response
  try {
    response = await fetchImpl(url, {signal, redirect: 'follow'})
  } catch (error) {
    if (signal?.aborted) throw error
    const cause = (error as {cause?: {code?: string; message?: string}}).cause
    throw new ConfigError(
      `cannot download ${url}: ${cause?.code ?? cause?.message ?? (error as Error).message}`,
      'check the network, or point the download elsewhere: --url, the mirror setting (PINCTL_MIRROR), or --file with a zip you already ' +
        'have',
    )
  }
  if (!response.ok || !response.body) {
    throw new ConfigError(
      `cannot download ${url}: HTTP ${response.status} ${response.statusText}`.trim(),
      'the artifact may have moved: pass --url (or set the mirror), or --file with a local copy',
    )
  }
  await pipeline(Readable.fromWeb(response.body as never), createWriteStream(path, {flags: 'wx'}), {signal})
}

async function describeFile(path: string, name: string, source: LocalArtifact['source'], url?: string): Promise<LocalArtifact> {
  const hashes = {sha512: createHash('sha512'), sha256: createHash('sha256'), md5: createHash('md5')}
  let size = 0
  let head: Buffer | undefined
  try {
    for await (const chunk of createReadStream(path)) {
      const buffer = chunk as Buffer
      if (!head) head = buffer.subarray(0, 4)
      size += buffer.length
      for (const hash of Object.values(hashes)) hash.update(buffer)
    }
  } catch (error) {
    throw new ConfigError(`cannot read ${path}: ${(error as Error).message}`, 'check the path given with --file')
  }
  if (!head || head.toString('latin1') !== 'PK\u0003\u0004') {
    const start = head ? JSON.stringify(head.toString('latin1')) : 'nothing'
    throw new VerifyError(
      `${source === 'file' ? path : name} is not a zip file (it starts with ${start})`,
      'a mirror or proxy may have answered with an error page: check the URL',
    )
  }
  return {
    path,
    name,
    size,
    sha512: hashes.sha512.digest('hex'),
    sha256: hashes.sha256.digest('hex'),
    md5: hashes.md5.digest('hex'),
    verified: false,
    source,
    url,
  }
}

function verify(local: LocalArtifact, artifact: PluginArtifact, progress: Progress, where: string): LocalArtifact {
  if (artifact.sha512 === null) {
    progress.warn(
      `${local.name} is NOT verified: no SHA-512 is published for it. Computed SHA-512: ${local.sha512} — ` +
        'once you trust this file, pin it with --sha512 or the artifacts file',
    )
    return {...local, verified: false}
  }
  if (local.sha512 !== artifact.sha512) {
    throw new VerifyError(
      `SHA-512 mismatch for ${local.name} from ${where}: expected ${artifact.sha512}, got ${local.sha512}`,
      'the file is not the one pinned: check --url / the mirror, or the checksum given with --sha512 or the artifacts file',
    )
  }
  progress.info(`SHA-512 verified for ${local.name}`)
  return {...local, verified: true}
}

function exists(path: string): boolean {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}
