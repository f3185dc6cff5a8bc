import type {AwsSettings} from '../aws/clients.js'
import {getRoleArn} from '../aws/iam.js'
import {bootstrapBrokers, describeCluster, type BrokerAuth} from '../aws/kafka.js'
import {clusterArnFor} from '../kafka/cluster.js'
import {
  createConnector as createConnectorCall,
  createWorkerConfiguration,
  deleteConnector as deleteConnectorCall,
  describeConnector,
  describeCustomPlugin,
  describeWorkerConfiguration,
  listConnectors,
  listWorkerConfigurations,
  type ConnectorSummary,
  type CreateConnectorRequest,
} from '../aws/kafkaconnect.js'
import {ConfigError, VerifyError} from '../errors.js'
import {silentProgress, type Progress} from '../progress.js'
import {
  buildCreateConnectorRequest,
  type ConnectorCapacity,
  type ConnectorDifference,
  DEFAULT_CAPACITY,
  DEFAULT_KAFKA_CONNECT_VERSION,
  describeCapacity,
  diffConnector,
} from './connector-request.js'
import {findPlugin} from './plugin.js'
import type {Clock} from '../clock.js'
import {GONE, waitForState} from './wait.js'

export interface WaitSettings {
  wait?: boolean
  timeoutMs?: number
  clock?: Clock
  signal?: AbortSignal
  progress?: Progress
}

export interface ConnectorCreateOptions extends WaitSettings {
  aws: AwsSettings
  userId: string
  bucket: string
  connectorName: string
  pluginName: string
  cluster: {arn?: string; name?: string}
  auth: BrokerAuth
  /** Overrides what MSK GetBootstrapBrokers answers. */
  bootstrapServers?: string
  roleArn?: string
  roleName?: string
  capacity?: ConnectorCapacity
  kafkaConnectVersion?: string
  /** An existing worker configuration by name, or one created from `file` (a worker .properties file) under that name. */
  workerConfiguration?: {name: string; file?: string; properties?: string}
  replace?: boolean
}

export interface ConnectorCreateResult {
  connectorName: string
  connectorArn: string
  state: string
  status: 'created' | 'exists' | 'replaced'
  differences: ConnectorDifference[]
  request: CreateConnectorRequest
}

const CONNECTOR_TIMEOUT = 30 * 60_000

/**
 * Creates the S3 sink connector that was made by hand in the MSK Connect console. Everything the console
 * asked for is looked up: the plugin's ARN, the cluster's brokers (IAM port) and network, the role's ARN.
 * Re-running with the same settings changes nothing; with different ones it shows the difference and stops
 * unless `replace` (delete, then create).
 */
export async function createConnector(options: ConnectorCreateOptions): Promise<ConnectorCreateResult> {
  const progress = options.progress ?? silentProgress
  const request = await resolveConnectorRequest(options, progress)

  let existing = await findConnector(options.aws, options.connectorName)
  if (existing?.connectorState === 'DELETING') {
    await waitUntilGone(options, existing.connectorArn!, progress)
    existing = undefined
  }
  let replaced = false
  let differences: ConnectorDifference[] = []
  if (existing) {
    const arn = existing.connectorArn!
    const current = await describeConnector(options.aws, arn)
    if (current) {
      differences = diffConnector(current, request)
      if (differences.length > 0) {
        progress.warn(`connector ${options.connectorName} exists with a different configuration:`)
        for (const d of differences) progress.info(`  ${d.field}: ${d.current} → ${d.desired}`)
        if (!options.replace) {
          throw new ConfigError(
            `connector ${options.connectorName} exists with a different configuration (${differences.length} ` +
              `difference${differences.length === 1 ? '' : 's'}, listed above)`,
            'pass --replace to delete it and create it with this configuration, or change the flags to match it',
          )
        }
      } else if (current.connectorState === 'FAILED' && !options.replace) {
        throw new VerifyError(
          `connector ${options.connectorName} exists with this configuration but is FAILED: ` +
            `${current.stateDescription?.message ?? 'no reason given'}`,
          'fix the cause (role permissions, network, plugin), then run again with --replace to recreate it',
        )
      } else if (current.connectorState !== 'FAILED') {
        progress.success(`connector ${options.connectorName} exists with this configuration (${current.connectorState})`)
        const state = await waitRunning(options, arn, current.connectorState ?? 'UNKNOWN', progress)
        return {connectorName: options.connectorName, connectorArn: arn, state, status: 'exists', differences, request}
      }
      progress.step(`deleting connector ${options.connectorName} to replace it`)
      await deleteConnectorCall(options.aws, arn, current.currentVersion)
      await waitUntilGone(options, arn, progress)
      replaced = true
    }
  }

  progress.step(
    `creating connector ${options.connectorName} (${describeCapacity(request.capacity)}, topics.regex ` +
      `${request.connectorConfiguration?.['topics.regex']})`,
  )
  const created = await createConnectorCall(options.aws, request)
  const state = await waitRunning(options, created.arn, created.state ?? 'CREATING', progress)
  return {
    connectorName: options.connectorName,
    connectorArn: created.arn,
    state,
    status: replaced ? 'replaced' : 'created',
    differences,
    request,
  }
}

async function resolveConnectorRequest(options: ConnectorCreateOptions, progress: Progress): Promise<CreateConnectorRequest> {
  const plugin = await findPlugin(options.aws, options.pluginName)
  if (!plugin?.customPluginArn) {
    throw new ConfigError(
      `no custom plugin named ${options.pluginName}`,
      'create it first: `pinctl connector plugin create` (or name another with --plugin-name)',
    )
  }
  if (plugin.customPluginState !== 'ACTIVE') {
    const reason =
      plugin.customPluginState === 'CREATE_FAILED'
        ? (await describeCustomPlugin(options.aws, plugin.customPluginArn)).stateDescription?.message
        : undefined
    throw new ConfigError(
      `custom plugin ${options.pluginName} is ${plugin.customPluginState}${reason ? `: ${reason}` : ''}, not ACTIVE`,
      plugin.customPluginState === 'CREATING'
        ? 'wait for it: `pinctl connector plugin create` waits until it is ACTIVE'
        : 'see `pinctl connector plugin create`',
    )
  }

  const clusterArn = await clusterArnFor(options.aws, {clusterArn: options.cluster.arn, clusterName: options.cluster.name})
  const cluster = await describeCluster(options.aws, clusterArn)
  if (cluster.state !== 'ACTIVE') progress.warn(`MSK cluster ${cluster.name} is ${cluster.state}, not ACTIVE`)
  if (cluster.subnets.length === 0) {
    throw new ConfigError(
      `MSK cluster ${cluster.name} reports no client subnets`,
      "MSK Connect needs the cluster's subnets and security groups; check the cluster in the console",
    )
  }
  const bootstrapServers = options.bootstrapServers ?? (await bootstrapBrokers(options.aws, clusterArn, options.auth))

  let roleArn = options.roleArn
  if (!roleArn) {
    if (!options.roleName)
      throw new ConfigError('no service execution role', 'pass --role-arn, or --user so the role <uid>-ec2-access-role is looked up')
    roleArn = await getRoleArn(options.aws, options.roleName)
  }

  const workerConfiguration = options.workerConfiguration
    ? await ensureWorkerConfiguration(options.aws, options.workerConfiguration, progress)
    : undefined
  return buildCreateConnectorRequest({
    connectorName: options.connectorName,
    userId: options.userId,
    region: options.aws.region,
    bucket: options.bucket,
    plugin: {arn: plugin.customPluginArn, revision: plugin.latestRevision?.revision ?? 1},
    bootstrapServers,
    subnets: cluster.subnets,
    securityGroups: cluster.securityGroups,
    auth: options.auth,
    serviceExecutionRoleArn: roleArn,
    capacity: options.capacity ?? DEFAULT_CAPACITY,
    kafkaConnectVersion: options.kafkaConnectVersion ?? DEFAULT_KAFKA_CONNECT_VERSION,
    workerConfiguration,
  })
}

/** Worker configurations cannot be updated in place: an existing one with other content is an error, not replaced. */
async function ensureWorkerConfiguration(
  aws: AwsSettings,
  wanted: {name: string; properties?: string},
  progress: Progress,
): Promise<{arn: string; revision: number}> {
  const found = (await listWorkerConfigurations(aws, wanted.name)).find(
    (w) => w.name === wanted.name && w.workerConfigurationState !== 'DELETING',
  )
  if (found?.workerConfigurationArn) {
    const revision = found.latestRevision?.revision ?? 1
    if (wanted.properties !== undefined) {
      const described = await describeWorkerConfiguration(aws, found.workerConfigurationArn)
      const content = Buffer.from(described.latestRevision?.propertiesFileContent ?? '', 'base64').toString('utf8')
      if (content.trim() !== wanted.properties.trim()) {
        throw new ConfigError(
          `worker configuration ${wanted.name} exists with other properties`,
          'worker configurations are immutable: name a new one with --worker-config, or leave out --worker-config-file to use the ' +
            'existing one',
        )
      }
    }
    progress.success(`worker configuration ${wanted.name} exists (revision ${revision})`)
    return {arn: found.workerConfigurationArn, revision}
  }
  if (wanted.properties === undefined) {
    throw new ConfigError(
      `no worker configuration named ${wanted.name}`,
      'pass --worker-config-file to create it, or leave out --worker-config to use the MSK default',
    )
  }
  progress.step(`creating worker configuration ${wanted.name}`)
  return createWorkerConfiguration(aws, wanted.name, wanted.properties)
}

export async function findConnector(aws: AwsSettings, name: string): Promise<ConnectorSummary | undefined> {
  const connectors = await listConnectors(aws, name)
  return connectors.find((connector) => connector.connectorName === name)
}

async function waitRunning(options: ConnectorCreateOptions, arn: string, state: string, progress: Progress): Promise<string> {
  if (options.wait === false || state === 'RUNNING') return state
  const result = await waitForState({
    what: `connector ${options.connectorName}`,
    poll: () => describeConnector(options.aws, arn),
    stateOf: (c) => c.connectorState,
    until: ['RUNNING'],
    failOn: ['FAILED', GONE],
    reasonOf: (c) => c.stateDescription?.message,
    timeoutMs: options.timeoutMs ?? CONNECTOR_TIMEOUT,
    clock: options.clock,
    signal: options.signal,
    progress,
    failedHint: "see `pinctl connector status` and the connector's logs; after fixing the cause run `pinctl connector create --replace`",
    timeoutHint: 'MSK Connect often needs 5–10 minutes: check later with `pinctl connector status`, or raise --timeout',
  })
  return result.state
}

async function waitUntilGone(
  options: WaitSettings & {aws: AwsSettings; connectorName: string},
  arn: string,
  progress: Progress,
): Promise<void> {
  await waitForState({
    what: `connector ${options.connectorName}`,
    poll: () => describeConnector(options.aws, arn),
    stateOf: (c) => c.connectorState,
    until: [GONE],
    timeoutMs: options.timeoutMs ?? CONNECTOR_TIMEOUT,
    clock: options.clock,
    signal: options.signal,
    progress,
    timeoutHint: 'the delete may still finish: check later with `pinctl connector status`',
  })
}

export interface ConnectorDeleteOptions extends WaitSettings {
  aws: AwsSettings
  connectorName: string
}

export interface ConnectorDeleteResult {
  connectorName: string
  connectorArn?: string
  /** kept: the operator answered no at the confirmation. */
  status: 'deleted' | 'deleting' | 'absent' | 'kept'
}

/** Deletes the connector (the custom plugin and the bucket's objects stay); absent is fine. */
export async function deleteConnector(options: ConnectorDeleteOptions): Promise<ConnectorDeleteResult> {
  const progress = options.progress ?? silentProgress
  const existing = await findConnector(options.aws, options.connectorName)
  if (!existing?.connectorArn) {
    progress.success(`connector ${options.connectorName} does not exist: nothing to delete`)
    return {connectorName: options.connectorName, status: 'absent'}
  }
  const arn = existing.connectorArn
  if (existing.connectorState !== 'DELETING') {
    progress.step(`deleting connector ${options.connectorName}`)
    await deleteConnectorCall(options.aws, arn, existing.currentVersion)
  }
  if (options.wait === false) return {connectorName: options.connectorName, connectorArn: arn, status: 'deleting'}
  await waitUntilGone(options, arn, progress)
  return {connectorName: options.connectorName, connectorArn: arn, status: 'deleted'}
}
