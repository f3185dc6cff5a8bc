import {readFileSync} from 'node:fs'

import type {AwsSettings} from '../aws/clients.js'
import {createCustomPlugin, describeCustomPlugin, listCustomPlugins, type CustomPluginSummary} from '../aws/kafkaconnect.js'
import {bucketArn, headObject, putObject} from '../aws/s3.js'
import {ConfigError, VerifyError} from '../errors.js'
import {silentProgress, type Progress} from '../progress.js'
import {obtainArtifact, S3_SINK_ZIP, type LocalArtifact, type PluginArtifact} from './plugin-zip.js'
import type {Clock} from '../clock.js'
import {waitForState} from './wait.js'

export interface PluginObject {
  bucket: string
  key: string
  uri: string
  status: 'uploaded' | 'unchanged' | 'replaced'
  /** Why an existing object was left alone or replaced. */
  reason: string
  versionId?: string
}

export interface PluginCreateOptions {
  aws: AwsSettings
  bucket: string
  pluginName: string
  artifact: PluginArtifact
  file?: string
  cacheDir?: string
  /** Object key; default kafka-connect-s3/<zip name>. */
  key?: string
  wait?: boolean
  timeoutMs?: number
  clock?: Clock
  signal?: AbortSignal
  progress?: Progress
  fetch?: typeof fetch
}

export interface PluginCreateResult {
  pluginName: string
  pluginArn: string
  state: string
  plugin: 'created' | 'exists'
  artifact: {name: string; url?: string; size: number; sha512: string; verified: boolean; source: LocalArtifact['source']}
  object: PluginObject
}

export interface PluginRow {
  name: string
  arn: string
  state: string
  revision?: number
  location?: string
  created?: string
  description?: string
}

const PLUGIN_DONE = ['ACTIVE'] as const
const PLUGIN_FAILED = ['CREATE_FAILED'] as const

/**
 * The MSK Connect custom plugin, as it was made by hand in the console: the S3 sink zip into the bucket (only
 * when absent or different) and a custom plugin made from it (only when none with that name exists), then a
 * bounded wait for ACTIVE. The zip is fetched on this machine, not on the EC2 host: the upload needs only the
 * operator's AWS credentials, the checksum is checked where the operator sees it, and re-runs reuse the local
 * cache.
 */
export async function createPlugin(options: PluginCreateOptions): Promise<PluginCreateResult> {
  const progress = options.progress ?? silentProgress
  const local = await obtainArtifact({
    artifact: options.artifact,
    file: options.file,
    cacheDir: options.cacheDir,
    fetch: options.fetch,
    signal: options.signal,
    progress,
  })
  const key = options.key ?? `${S3_SINK_ZIP.keyPrefix}${local.name}`
  const object = await ensurePluginObject(options.aws, options.bucket, key, local, progress)
  const location = {bucketArn: bucketArn(options.bucket, options.aws.region), fileKey: key}

  const plugin = await findPlugin(options.aws, options.pluginName)
  let arn: string
  let state: string
  if (plugin?.customPluginArn) {
    checkSameLocation(plugin, location, options.pluginName)
    const md5 = plugin.latestRevision?.fileDescription?.fileMd5
    if (md5 && md5 !== local.md5) {
      progress.warn(
        `custom plugin ${options.pluginName} was made from a different file (MD5 ${md5}, this zip ${local.md5}); ` +
          'plugins are immutable: delete it and run this again to use the new zip',
      )
    }
    arn = plugin.customPluginArn
    state = plugin.customPluginState ?? 'UNKNOWN'
    progress.success(`custom plugin ${options.pluginName} exists (${state})`)
  } else {
    progress.step(`creating custom plugin ${options.pluginName} from ${object.uri}`)
    const answer = await createCustomPlugin(options.aws, {
      name: options.pluginName,
      // Pin the exact object version on a versioned bucket ("null" is what a suspended one reports).
      location: {...location, ...(object.versionId && object.versionId !== 'null' ? {objectVersion: object.versionId} : {})},
      description: `Confluent S3 sink ${S3_SINK_ZIP.version} (pinctl)`,
    })
    arn = answer.arn
    state = answer.state ?? 'CREATING'
  }
  const created = !plugin?.customPluginArn

  if (state === 'CREATE_FAILED') {
    const description = await describeCustomPlugin(options.aws, arn)
    throw failedPlugin(options.pluginName, arn, description.stateDescription?.message)
  }
  if (state === 'DELETING') {
    throw new ConfigError(
      `custom plugin ${options.pluginName} is being deleted`,
      'wait until it is gone (`pinctl connector plugin list`), then run this again',
    )
  }
  if (options.wait !== false && state !== 'ACTIVE') {
    const result = await waitForState({
      what: `custom plugin ${options.pluginName}`,
      poll: () => describeCustomPlugin(options.aws, arn),
      stateOf: (answer) => answer.customPluginState,
      until: PLUGIN_DONE,
      failOn: PLUGIN_FAILED,
      reasonOf: (answer) => answer.stateDescription?.message,
      timeoutMs: options.timeoutMs ?? 10 * 60_000,
      clock: options.clock,
      signal: options.signal,
      progress,
      failedHint:
        `check that the zip is a Kafka Connect plugin; delete the plugin (aws kafkaconnect delete-custom-plugin ` +
        `--custom-plugin-arn ${arn}) and run this again`,
      timeoutHint: 'MSK Connect usually needs a minute or two: check later with `pinctl connector plugin list`, or raise --timeout',
    })
    state = result.state
  }
  return {
    pluginName: options.pluginName,
    pluginArn: arn,
    state,
    plugin: created ? 'created' : 'exists',
    artifact: {name: local.name, url: local.url, size: local.size, sha512: local.sha512, verified: local.verified, source: local.source},
    object,
  }
}

/**
 * Uploads the zip unless the object already holds it: proven by the SHA-256 pinctl stores in the object's
 * metadata, or by an ETag equal to the MD5 (a single-part upload, like the seed's `aws s3 cp` of a small file).
 */
export async function ensurePluginObject(
  aws: AwsSettings,
  bucket: string,
  key: string,
  local: LocalArtifact,
  progress: Progress = silentProgress,
): Promise<PluginObject> {
  const uri = `s3://${bucket}/${key}`
  const head = await headObject(aws, bucket, key)
  if (head) {
    if (head.metadata.sha256 === local.sha256) {
      progress.success(`${uri} already holds this zip (SHA-256 in its metadata): not uploading`)
      return {bucket, key, uri, status: 'unchanged', reason: 'same SHA-256 (object metadata)', versionId: head.versionId}
    }
    if (head.etag === local.md5) {
      progress.success(`${uri} already holds this zip (ETag = MD5): not uploading`)
      return {bucket, key, uri, status: 'unchanged', reason: 'ETag equals the MD5', versionId: head.versionId}
    }
  }
  const reason = !head
    ? 'no object at that key'
    : head.metadata.sha256
      ? `different content (SHA-256 ${head.metadata.sha256})`
      : 'cannot prove it identical (no SHA-256 metadata, ETag is not this MD5)'
  progress.step(`uploading ${local.name} to ${uri} (${reason})`)
  const put = await putObject(aws, bucket, key, readFileSync(local.path), {
    contentType: 'application/zip',
    metadata: {sha256: local.sha256, sha512: local.sha512},
  })
  progress.success(`uploaded ${uri}`)
  return {bucket, key, uri, status: head ? 'replaced' : 'uploaded', reason, versionId: put.versionId}
}

export async function findPlugin(aws: AwsSettings, name: string): Promise<CustomPluginSummary | undefined> {
  const plugins = await listCustomPlugins(aws, name)
  return plugins.find((plugin) => plugin.name === name)
}

export async function listPlugins(aws: AwsSettings): Promise<PluginRow[]> {
  const plugins = await listCustomPlugins(aws)
  return plugins
    .map((plugin) => ({
      name: plugin.name ?? '?',
      arn: plugin.customPluginArn ?? '?',
      state: plugin.customPluginState ?? 'UNKNOWN',
      revision: plugin.latestRevision?.revision,
      location: locationUri(plugin),
      created: plugin.creationTime?.toISOString(),
      description: plugin.description,
    }))
    .sort((a, b) => a.name.localeCompare(b.name))
}

function locationUri(plugin: CustomPluginSummary): string | undefined {
  const s3 = plugin.latestRevision?.location?.s3Location
  if (!s3?.bucketArn || !s3.fileKey) return undefined
  return `s3://${s3.bucketArn.split(':::').pop()}/${s3.fileKey}`
}

function checkSameLocation(plugin: CustomPluginSummary, wanted: {bucketArn: string; fileKey: string}, name: string): void {
  const s3 = plugin.latestRevision?.location?.s3Location
  if (!s3) return // the list answer may leave the revision out; nothing to compare then
  if (s3.bucketArn !== wanted.bucketArn || s3.fileKey !== wanted.fileKey) {
    throw new ConfigError(
      `custom plugin ${name} already exists with another location (${locationUri(plugin)})`,
      `use it as it is, choose another name with --plugin-name, or delete it (aws kafkaconnect delete-custom-plugin --custom-plugin-arn ` +
        `${plugin.customPluginArn})`,
    )
  }
}

function failedPlugin(name: string, arn: string, reason?: string): VerifyError {
  return new VerifyError(
    `custom plugin ${name} is CREATE_FAILED${reason ? `: ${reason}` : ' (no reason given)'}`,
    `fix the zip, delete the plugin (aws kafkaconnect delete-custom-plugin --custom-plugin-arn ${arn}) and run this again`,
  )
}
