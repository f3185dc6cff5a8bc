import {readFileSync} from 'node:fs'

import {ConfigError} from './errors.js'

/** One download: where it lives upstream and the SHA-512 that proves it (null: nobody publishes one). */
export interface Artifact {
  name: string
  url: string
  sha512: string | null
}

/**
 * The pinned version table. Kafka's SHA-512 is Apache's published one; the IAM jars are the
 * immutable Maven Central shadow jars (classifier `all`), hashed here from Maven Central — the
 * GitHub release URL the seed used is not reachable from every host and pins nothing. Confluent
 * publishes no checksum for its archive: pass one with --confluent-sha512 or the artifacts file.
 */
export const KAFKA_DIR = 'kafka_2.12-2.8.1'
export const CONFLUENT_DIR = 'confluent-7.2.0'

export const PINNED: Record<string, Artifact> = {
  kafka: {
    name: 'kafka_2.12-2.8.1.tgz',
    url: 'https://archive.apache.org/dist/kafka/2.8.1/kafka_2.12-2.8.1.tgz',
    sha512:
      '287cf3b43cc723e9a2dacc83e153152a74cf9c39d86eb0702cc8d237be95577098e0b984687f3f7ea37bb2782f7df23dd597fd618af03a48460e6b3f4931b6c2',
  },
  'iam-2.3.6': {
    name: 'aws-msk-iam-auth-2.3.6-all.jar',
    url: 'https://repo1.maven.org/maven2/software/amazon/msk/aws-msk-iam-auth/2.3.6/aws-msk-iam-auth-2.3.6-all.jar',
    sha512:
      '27cdaa3265cf782fc23a717284433d839a3db6d4bf18b0a76cc9c39b0faef071a9ca2650ff7d7a8cd71804279a22a869d97876975d69a604965a85ac1d5dd72d',
  },
  'iam-2.3.4': {
    name: 'aws-msk-iam-auth-2.3.4-all.jar',
    url: 'https://repo1.maven.org/maven2/software/amazon/msk/aws-msk-iam-auth/2.3.4/aws-msk-iam-auth-2.3.4-all.jar',
    sha512:
      'b4f07ba15ecb7626de6dcd5376841311e824fa1f91e3fbc4cc951a97513d60bb18380c8a3829d19978e2d544d11ee29f27ecefd3c2f623e529d11f49be290b74',
  },
  confluent: {
    name: 'confluent-7.2.0.tar.gz',
    url: 'https://packages.confluent.io/archive/7.2/confluent-7.2.0.tar.gz',
    sha512: null,
  },
  // Confluent Hub and its CDN publish no checksum for the S3 sink either: --sha512 or the artifacts file.
  's3-sink': {
    name: 'confluentinc-kafka-connect-s3-10.0.3.zip',
    url:
      'https://d1i4a15mxbxib1.cloudfront.net/api/plugins/confluentinc/kafka-connect-s3/versions/10.0.3/' +
      'confluentinc-kafka-connect-s3-10.0.3.zip',
    sha512: null,
  },
}

/** 2.3.5+ is compiled for Java 17 (class file 61): on Java 8/11 it fails with UnsupportedClassVersionError. */
export function iamJarFor(javaMajor: number): 'iam-2.3.6' | 'iam-2.3.4' {
  return javaMajor >= 17 ? 'iam-2.3.6' : 'iam-2.3.4'
}

export interface ArtifactOverrides {
  /** Replaces the whole URL of the artifact (the mirror is then not applied). */
  url?: string
  /** Base URL that replaces scheme and host of every download (air-gapped hosts, the sandbox). */
  mirror?: string
  /** JSON file {"<url path>": "<sha512>"} whose checksums replace the pinned ones. */
  artifactsFile?: string
  /** Per-artifact checksum given on the command line. */
  sha512?: Record<string, string | undefined>
}

/**
 * The URL and checksum actually used for an artifact: an explicit URL, else the mirror applied to
 * the pinned URL; a checksum given for it, else the artifacts file's entry for the URL's path,
 * else the pinned one.
 */
export function resolveArtifact(key: keyof typeof PINNED | string, overrides: ArtifactOverrides = {}): Artifact {
  const pinned = PINNED[key]
  if (!pinned) throw new ConfigError(`unknown artifact ${key}`)
  const upstream = new URL(pinned.url)
  const url = overrides.url ?? (overrides.mirror ? `${overrides.mirror.replace(/\/+$/, '')}${upstream.pathname}` : pinned.url)
  const path = overrides.url ? new URL(overrides.url).pathname : upstream.pathname
  const name = overrides.url ? path.split('/').pop() || pinned.name : pinned.name
  const table = overrides.artifactsFile ? readArtifactsFile(overrides.artifactsFile) : {}
  const sha512 = overrides.sha512?.[key] ?? table[path] ?? pinned.sha512
  if (sha512 !== null && !/^[0-9a-f]{128}$/i.test(sha512)) {
    throw new ConfigError(
      `the SHA-512 for ${name} is not 128 hex characters`,
      'check the --sha512 flags and the artifacts file (PINCTL_ARTIFACTS_FILE)',
    )
  }
  return {name, url, sha512: sha512 === null ? null : sha512.toLowerCase()}
}

const artifactFiles = new Map<string, Record<string, string>>()

function readArtifactsFile(path: string): Record<string, string> {
  const cached = artifactFiles.get(path)
  if (cached) return cached
  let data: unknown
  try {
    data = JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    throw new ConfigError(
      `cannot read the artifacts file ${path}: ${(error as Error).message}`,
      'it must be JSON: {"/url/path": "<sha512 hex>", …}',
    )
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ConfigError(`the artifacts file ${path} must hold a JSON object of url path → sha512`)
  }
  const table = Object.fromEntries(Object.entries(data).filter(([, value]) => typeof value === 'string')) as Record<string, string>
  artifactFiles.set(path, table)
  return table
}
