import {ConfigError} from '../errors.js'
import {awsCall, awsClient, awsPages, translateAwsError, type AwsSettings} from './clients.js'

export interface ObjectHead {
  /** Without the quotes S3 puts around it. A single-part upload's ETag is the MD5 of the content. */
  etag?: string
  size?: number
  versionId?: string
  /** User metadata (x-amz-meta-*), keys in lower case. */
  metadata: Record<string, string>
}

export interface PrefixSummary {
  objects: number
  bytes: number
  newest?: Date
  /** Counting stopped at the limit; `objects` is a lower bound. */
  truncated: boolean
}

function s3Client(settings: AwsSettings) {
  // A local endpoint (moto, the sandbox) has no per-bucket host names: address buckets by path.
  const create = (sdk: typeof import('@aws-sdk/client-s3'), config: Record<string, unknown>) =>
    new sdk.S3Client({...config, ...(config.endpoint ? {forcePathStyle: true} : {})})
  return awsClient('S3', settings, () => import('@aws-sdk/client-s3'), create)
}

function noSuchBucket(bucket: string) {
  return (name: string) =>
    name === 'NoSuchBucket'
      ? new ConfigError(
          `S3 bucket ${bucket} does not exist (or is in another account)`,
          'check bucket (PINCTL_BUCKET, default user-<uid>-bucket) and --user',
        )
      : undefined
}

/** The object's ETag, size and metadata, or undefined when there is no such object. */
export async function headObject(settings: AwsSettings, bucket: string, key: string): Promise<ObjectHead | undefined> {
  const {sdk, client} = await s3Client(settings)
  try {
    const answer = await client.send(new sdk.HeadObjectCommand({Bucket: bucket, Key: key}))
    return {
      etag: answer.ETag?.replaceAll('"', ''),
      size: answer.ContentLength,
      versionId: answer.VersionId,
      metadata: Object.fromEntries(Object.entries(answer.Metadata ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
    }
  } catch (error) {
    const name = (error as Error).name
    const status = (error as {$metadata?: {httpStatusCode?: number}}).$metadata?.httpStatusCode
    if (name === 'NotFound' || name === 'NoSuchKey' || status === 404) {
      // HEAD has no body, so a missing bucket also looks like 404: tell them apart.
      await assertBucket(settings, bucket)
      return undefined
    }
    throw translateAwsError('s3:HeadObject', error)
  }
}

export async function assertBucket(settings: AwsSettings, bucket: string): Promise<void> {
  const {sdk, client} = await s3Client(settings)
  await awsCall(
    's3:HeadBucket',
    () => client.send(new sdk.HeadBucketCommand({Bucket: bucket})),
    (name, error) => {
      const status = (error as {$metadata?: {httpStatusCode?: number}}).$metadata?.httpStatusCode
      return name === 'NotFound' || name === 'NoSuchBucket' || status === 404 ? noSuchBucket(bucket)('NoSuchBucket') : undefined
    },
  )
}

export async function putObject(
  settings: AwsSettings,
  bucket: string,
  key: string,
  body: Uint8Array,
  options: {metadata?: Record<string, string>; contentType?: string} = {},
): Promise<{etag?: string; versionId?: string}> {
  const {sdk, client} = await s3Client(settings)
  const answer = await awsCall(
    's3:PutObject',
    () =>
      client.send(
        new sdk.PutObjectCommand({Bucket: bucket, Key: key, Body: body, Metadata: options.metadata, ContentType: options.contentType}),
      ),
    noSuchBucket(bucket),
  )
  return {etag: answer.ETag?.replaceAll('"', ''), versionId: answer.VersionId}
}

/** Pages of ListObjectsV2 under a prefix, one request per page; breaking out of the loop stops the listing. */
async function* objectPages(settings: AwsSettings, bucket: string, prefix: string, signal?: AbortSignal) {
  const {sdk, client} = await s3Client(settings)
  const pages = sdk.paginateListObjectsV2({client}, {Bucket: bucket, Prefix: prefix}, {abortSignal: signal})
  for await (const page of awsPages('s3:ListObjectsV2', pages, noSuchBucket(bucket))) {
    yield {contents: page.Contents ?? [], more: Boolean(page.IsTruncated && page.NextContinuationToken)}
  }
}

/** Count and total size of the objects under a prefix and the newest one's time, stopping at `limit` objects. */
export async function summarizePrefix(
  settings: AwsSettings,
  bucket: string,
  prefix: string,
  {limit = 100_000, signal}: {limit?: number; signal?: AbortSignal} = {},
): Promise<PrefixSummary> {
  const summary: PrefixSummary = {objects: 0, bytes: 0, truncated: false}
  for await (const page of objectPages(settings, bucket, prefix, signal)) {
    for (const object of page.contents) {
      summary.objects++
      summary.bytes += object.Size ?? 0
      if (object.LastModified && (!summary.newest || object.LastModified > summary.newest)) summary.newest = object.LastModified
    }
    if (page.more && summary.objects >= limit) {
      summary.truncated = true
      break
    }
  }
  return summary
}

export function bucketArn(bucket: string, region: string): string {
  return `arn:${partitionOf(region)}:s3:::${bucket}`
}

export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn'
  if (region.startsWith('us-gov-')) return 'aws-us-gov'
  return 'aws'
}

export interface ObjectEntry {
  key: string
  size: number
  lastModified?: Date
}

/** The objects under a prefix (key, size, time), stopping after `limit`; `truncated` says there were more. */
export async function listObjects(
  settings: AwsSettings,
  bucket: string,
  prefix: string,
  {limit = 10_000, signal}: {limit?: number; signal?: AbortSignal} = {},
): Promise<{objects: ObjectEntry[]; truncated: boolean}> {
  const objects: ObjectEntry[] = []
  for await (const page of objectPages(settings, bucket, prefix, signal)) {
    for (const object of page.contents) {
      if (object.Key) objects.push({key: object.Key, size: object.Size ?? 0, lastModified: object.LastModified})
    }
    if (page.more && objects.length >= limit) return {objects, truncated: true}
  }
  return {objects, truncated: false}
}

/** The first `maxBytes` of an object as UTF-8 text (a ranged GET: a big object is not downloaded whole). */
export async function getObjectText(settings: AwsSettings, bucket: string, key: string, maxBytes = 65_536): Promise<string> {
  const {sdk, client} = await s3Client(settings)
  const answer = await awsCall(
    's3:GetObject',
    () => client.send(new sdk.GetObjectCommand({Bucket: bucket, Key: key, Range: `bytes=0-${maxBytes - 1}`})),
    noSuchBucket(bucket),
  )
  return answer.Body ? await answer.Body.transformToString('utf8') : ''
}
