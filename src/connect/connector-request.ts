import type {BrokerAuth} from '../aws/kafka.js'
import type {CreateConnectorRequest, DescribeConnectorResponse} from '../aws/kafkaconnect.js'

export type ConnectorCapacity =
  | {kind: 'provisioned'; workers: number; mcu: number}
  | {kind: 'autoscaling'; minWorkers: number; maxWorkers: number; mcu: number; scaleInPercent: number; scaleOutPercent: number}

export const DEFAULT_CAPACITY: ConnectorCapacity = {kind: 'provisioned', workers: 1, mcu: 1}
export const DEFAULT_KAFKA_CONNECT_VERSION = '2.7.1'

/** The S3 sink configuration the original pipeline used in the console, key for key: every topic <uid>.* as JSON into the bucket. */
export function seedConnectorConfiguration(input: {userId: string; region: string; bucket: string}): Record<string, string> {
  return {
    'connector.class': 'io.confluent.connect.s3.S3SinkConnector',
    's3.region': input.region,
    'flush.size': '1',
    'schema.compatibility': 'NONE',
    'tasks.max': '3',
    'topics.regex': `${input.userId}.*`,
    'format.class': 'io.confluent.connect.s3.format.json.JsonFormat',
    'partitioner.class': 'io.confluent.connect.storage.partitioner.DefaultPartitioner',
    'value.converter.schemas.enable': 'false',
    'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'storage.class': 'io.confluent.connect.s3.storage.S3Storage',
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    's3.bucket.name': input.bucket,
  }
}

export interface ConnectorSpec {
  connectorName: string
  userId: string
  region: string
  bucket: string
  plugin: {arn: string; revision: number}
  bootstrapServers: string
  subnets: string[]
  securityGroups: string[]
  auth: BrokerAuth
  serviceExecutionRoleArn: string
  capacity: ConnectorCapacity
  kafkaConnectVersion: string
  workerConfiguration?: {arn: string; revision: number}
}

/** The CreateConnector body: IAM + TLS towards MSK (`iam`), or no auth and plaintext (`plaintext`, local brokers). */
export function buildCreateConnectorRequest(spec: ConnectorSpec): CreateConnectorRequest {
  return {
    connectorName: spec.connectorName,
    connectorDescription: `S3 sink: topics ${spec.userId}.* into s3://${spec.bucket}/topics/ (pinctl)`,
    kafkaConnectVersion: spec.kafkaConnectVersion,
    capacity: capacityRequest(spec.capacity),
    connectorConfiguration: seedConnectorConfiguration(spec),
    kafkaCluster: {
      apacheKafkaCluster: {
        bootstrapServers: spec.bootstrapServers,
        vpc: {subnets: spec.subnets, securityGroups: spec.securityGroups},
      },
    },
    kafkaClusterClientAuthentication: {authenticationType: spec.auth === 'iam' ? 'IAM' : 'NONE'},
    kafkaClusterEncryptionInTransit: {encryptionType: spec.auth === 'iam' ? 'TLS' : 'PLAINTEXT'},
    plugins: [{customPlugin: {customPluginArn: spec.plugin.arn, revision: spec.plugin.revision}}],
    serviceExecutionRoleArn: spec.serviceExecutionRoleArn,
    ...(spec.workerConfiguration
      ? {workerConfiguration: {workerConfigurationArn: spec.workerConfiguration.arn, revision: spec.workerConfiguration.revision}}
      : {}),
  }
}

function capacityRequest(capacity: ConnectorCapacity): CreateConnectorRequest['capacity'] {
  if (capacity.kind === 'provisioned') return {provisionedCapacity: {mcuCount: capacity.mcu, workerCount: capacity.workers}}
  return {
    autoScaling: {
      minWorkerCount: capacity.minWorkers,
      maxWorkerCount: capacity.maxWorkers,
      mcuCount: capacity.mcu,
      scaleInPolicy: {cpuUtilizationPercentage: capacity.scaleInPercent},
      scaleOutPolicy: {cpuUtilizationPercentage: capacity.scaleOutPercent},
    },
  }
}

/** "1 worker × 1 MCU" / "autoscaling 1–2 workers × 1 MCU (in <20%, out >80% CPU)" from either a request or a description. */
export function describeCapacity(capacity: DescribeConnectorResponse['capacity'] | CreateConnectorRequest['capacity']): string {
  if (!capacity) return 'unknown'
  const auto = capacity.autoScaling
  if (auto) {
    return (
      `autoscaling ${auto.minWorkerCount}–${auto.maxWorkerCount} workers × ${auto.mcuCount} MCU (in ` +
      `<${auto.scaleInPolicy?.cpuUtilizationPercentage ?? '?'}%, out >${auto.scaleOutPolicy?.cpuUtilizationPercentage ?? '?'}% CPU)`
    )
  }
  const fixed = capacity.provisionedCapacity
  if (fixed) return `${fixed.workerCount} worker${fixed.workerCount === 1 ? '' : 's'} × ${fixed.mcuCount} MCU`
  return 'unknown'
}

export interface ConnectorDifference {
  field: string
  current: string
  desired: string
}

/** Shown for a field one side does not set. */
const NOT_SET = '(absent)'

/** What differs between a connector as MSK Connect describes it and the body pinctl would create it with. */
export function diffConnector(current: DescribeConnectorResponse, desired: CreateConnectorRequest): ConnectorDifference[] {
  const differences: ConnectorDifference[] = []
  const compare = (field: string, a: string | undefined, b: string | undefined) => {
    if ((a ?? NOT_SET) !== (b ?? NOT_SET)) differences.push({field, current: a ?? NOT_SET, desired: b ?? NOT_SET})
  }
  const list = (value: string[] | string | undefined) =>
    value === undefined
      ? undefined
      : [...(Array.isArray(value) ? value : value.split(','))]
          .map((s) => s.trim())
          .filter(Boolean)
          .sort()
          .join(',')

  const have = current.connectorConfiguration ?? {}
  const want = desired.connectorConfiguration ?? {}
  for (const key of [...new Set([...Object.keys(want), ...Object.keys(have)])].sort()) compare(`config ${key}`, have[key], want[key])
  compare('capacity', describeCapacity(current.capacity), describeCapacity(desired.capacity))
  const haveCluster = current.kafkaCluster?.apacheKafkaCluster
  const wantCluster = desired.kafkaCluster?.apacheKafkaCluster
  compare('bootstrap servers', list(haveCluster?.bootstrapServers), list(wantCluster?.bootstrapServers))
  compare('subnets', list(haveCluster?.vpc?.subnets), list(wantCluster?.vpc?.subnets))
  compare('security groups', list(haveCluster?.vpc?.securityGroups), list(wantCluster?.vpc?.securityGroups))
  compare(
    'client authentication',
    current.kafkaClusterClientAuthentication?.authenticationType,
    desired.kafkaClusterClientAuthentication?.authenticationType,
  )
  compare(
    'encryption in transit',
    current.kafkaClusterEncryptionInTransit?.encryptionType,
    desired.kafkaClusterEncryptionInTransit?.encryptionType,
  )
  compare('Kafka Connect version', current.kafkaConnectVersion, desired.kafkaConnectVersion)
  compare('service execution role', current.serviceExecutionRoleArn, desired.serviceExecutionRoleArn)
  const plugin = (arn?: string, revision?: number) => (arn ? `${arn} revision ${revision ?? '?'}` : undefined)
  compare(
    'plugin',
    plugin(current.plugins?.[0]?.customPlugin?.customPluginArn, current.plugins?.[0]?.customPlugin?.revision),
    plugin(desired.plugins?.[0]?.customPlugin?.customPluginArn, desired.plugins?.[0]?.customPlugin?.revision),
  )
  const worker = (arn?: string, revision?: number) => (arn ? `${arn} revision ${revision ?? '?'}` : undefined)
  compare(
    'worker configuration',
    worker(current.workerConfiguration?.workerConfigurationArn, current.workerConfiguration?.revision),
    worker(desired.workerConfiguration?.workerConfigurationArn, desired.workerConfiguration?.revision),
  )
  return differences
}
