import {GetRoleCommand, IAMClient} from '@aws-sdk/client-iam'
import {DescribeClusterV2Command, GetBootstrapBrokersCommand, KafkaClient, ListClustersV2Command} from '@aws-sdk/client-kafka'
import {
  type ConnectorState,
  CreateConnectorCommand,
  CreateWorkerConfigurationCommand,
  DeleteConnectorCommand,
  DescribeConnectorCommand,
  KafkaConnectClient,
  ListConnectorsCommand,
  ListCustomPluginsCommand,
  ListWorkerConfigurationsCommand,
} from '@aws-sdk/client-kafkaconnect'
import {mockClient} from 'aws-sdk-client-mock'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {createConnector, deleteConnector} from '../../src/connect/connector.js'
import {buildCreateConnectorRequest, diffConnector, seedConnectorConfiguration} from '../../src/connect/connector-request.js'
import {ConfigError, VerifyError} from '../../src/errors.js'
import {fakeClock, recorder} from './fake-clock.js'
import * as msk from './fixtures/msk.js'

const golden = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'connector-create.golden.json'), 'utf8'))
const kafka = mockClient(KafkaClient)
const kc = mockClient(KafkaConnectClient)
const iam = mockClient(IAMClient)
const aws = {region: 'us-east-1'}

function options(overrides: Record<string, unknown> = {}) {
  return {
    aws,
    userId: '12b287eedf6d',
    bucket: 'user-12b287eedf6d-bucket',
    connectorName: '12b287eedf6d-connector',
    pluginName: '12b287eedf6d-plugin',
    cluster: {name: 'pinterest-msk-cluster'},
    auth: 'iam' as const,
    roleName: '12b287eedf6d-ec2-access-role',
    clock: fakeClock(),
    progress: recorder(),
    ...overrides,
  }
}

/** DescribeConnector as MSK Connect answers for a connector made from `request`. */
function described(request: typeof golden, state: ConnectorState = 'RUNNING', extra: Record<string, unknown> = {}) {
  return {
    connectorArn: msk.CONNECTOR_ARN,
    connectorName: request.connectorName,
    connectorState: state,
    currentVersion: 'K2SS6JJ2ZRFHX6',
    creationTime: new Date('2024-05-02T10:00:00Z'),
    capacity: {
      provisionedCapacity: {
        mcuCount: request.capacity.provisionedCapacity.mcuCount,
        workerCount: request.capacity.provisionedCapacity.workerCount,
      },
    },
    connectorConfiguration: request.connectorConfiguration,
    kafkaCluster: request.kafkaCluster,
    kafkaClusterClientAuthentication: request.kafkaClusterClientAuthentication,
    kafkaClusterEncryptionInTransit: request.kafkaClusterEncryptionInTransit,
    kafkaConnectVersion: request.kafkaConnectVersion,
    plugins: request.plugins,
    serviceExecutionRoleArn: request.serviceExecutionRoleArn,
    ...extra,
  }
}

beforeEach(() => {
  for (const mock of [kafka, kc, iam]) mock.reset()
  kafka.on(ListClustersV2Command).resolves(msk.listClustersV2)
  kafka.on(DescribeClusterV2Command).resolves(msk.describeClusterV2)
  kafka.on(GetBootstrapBrokersCommand).resolves(msk.getBootstrapBrokers)
  iam.on(GetRoleCommand, {RoleName: '12b287eedf6d-ec2-access-role'}).resolves(msk.getRole)
  kc.on(ListCustomPluginsCommand).resolves({customPlugins: [msk.pluginSummary('ACTIVE')]})
  kc.on(ListConnectorsCommand).resolves({connectors: []})
  kc.on(CreateConnectorCommand).resolves({
    connectorArn: msk.CONNECTOR_ARN,
    connectorName: '12b287eedf6d-connector',
    connectorState: 'CREATING' as const,
  })
})
afterEach(() => {
  for (const mock of [kafka, kc, iam]) mock.reset()
})

describe("the seed's connector configuration", () => {
  it('is exactly the body in the golden file (the console settings of the original pipeline)', async () => {
    kc.on(DescribeConnectorCommand).resolvesOnce(described(golden, 'CREATING')).resolves(described(golden, 'RUNNING'))
    const result = await createConnector(options())
    const sent = kc.commandCalls(CreateConnectorCommand)[0].args[0].input
    expect(JSON.parse(JSON.stringify(sent))).toEqual(golden)
    expect(result).toMatchObject({status: 'created', state: 'RUNNING', connectorArn: msk.CONNECTOR_ARN})
  })

  it('looks everything up: cluster by exact name, brokers on the IAM port, network, role ARN from IAM', async () => {
    kc.on(DescribeConnectorCommand).resolves(described(golden))
    await createConnector(options())
    expect(kafka.commandCalls(ListClustersV2Command)[0].args[0].input).toMatchObject({ClusterNameFilter: 'pinterest-msk-cluster'})
    expect(kafka.commandCalls(DescribeClusterV2Command)[0].args[0].input).toEqual({ClusterArn: msk.CLUSTER_ARN})
    expect(kafka.commandCalls(GetBootstrapBrokersCommand)[0].args[0].input).toEqual({ClusterArn: msk.CLUSTER_ARN})
    expect(iam.commandCalls(GetRoleCommand)).toHaveLength(1)
  })

  it('uses the plaintext listener, no auth and no TLS for auth=plaintext (local brokers)', () => {
    const request = buildCreateConnectorRequest({
      connectorName: 'c',
      userId: 'u1',
      region: 'eu-west-1',
      bucket: 'b',
      plugin: {arn: 'p', revision: 2},
      bootstrapServers: '127.0.0.1:9092',
      subnets: ['s'],
      securityGroups: ['g'],
      auth: 'plaintext',
      serviceExecutionRoleArn: 'r',
      capacity: {kind: 'autoscaling', minWorkers: 1, maxWorkers: 2, mcu: 2, scaleInPercent: 20, scaleOutPercent: 80},
      kafkaConnectVersion: '2.7.1',
    })
    expect(request.kafkaClusterClientAuthentication).toEqual({authenticationType: 'NONE'})
    expect(request.kafkaClusterEncryptionInTransit).toEqual({encryptionType: 'PLAINTEXT'})
    expect(request.capacity).toEqual({
      autoScaling: {
        minWorkerCount: 1,
        maxWorkerCount: 2,
        mcuCount: 2,
        scaleInPolicy: {cpuUtilizationPercentage: 20},
        scaleOutPolicy: {cpuUtilizationPercentage: 80},
      },
    })
    expect(request.connectorConfiguration).toEqual(seedConnectorConfiguration({userId: 'u1', region: 'eu-west-1', bucket: 'b'}))
  })

  it('takes --role-arn without asking IAM, and --bootstrap-servers without asking MSK', async () => {
    kc.on(DescribeConnectorCommand).resolves(described(golden))
    await createConnector(options({roleArn: 'arn:aws:iam::1:role/x', bootstrapServers: 'b-1:9098'}))
    expect(iam.commandCalls(GetRoleCommand)).toHaveLength(0)
    expect(kafka.commandCalls(GetBootstrapBrokersCommand)).toHaveLength(0)
    const sent = kc.commandCalls(CreateConnectorCommand)[0].args[0].input
    expect(sent.serviceExecutionRoleArn).toBe('arn:aws:iam::1:role/x')
    expect(sent.kafkaCluster?.apacheKafkaCluster?.bootstrapServers).toBe('b-1:9098')
  })
})

describe('connector create is idempotent', () => {
  const existing = {
    connectors: [
      {
        connectorName: '12b287eedf6d-connector',
        connectorArn: msk.CONNECTOR_ARN,
        connectorState: 'RUNNING' as const,
        currentVersion: 'K2SS6JJ2ZRFHX6',
      },
    ],
  }

  it('reports ok for an existing connector with the same configuration and creates nothing', async () => {
    kc.on(ListConnectorsCommand).resolves(existing)
    kc.on(DescribeConnectorCommand).resolves(described(golden))
    const result = await createConnector(options())
    expect(result).toMatchObject({status: 'exists', state: 'RUNNING', differences: []})
    expect(kc.commandCalls(CreateConnectorCommand)).toHaveLength(0)
    expect(kc.commandCalls(DeleteConnectorCommand)).toHaveLength(0)
  })

  it('shows the differences and stops (exit 2) when the configuration differs', async () => {
    const current = described(golden, 'RUNNING', {
      connectorConfiguration: {...golden.connectorConfiguration, 'flush.size': '100', 'rotate.interval.ms': '60000'},
      capacity: {provisionedCapacity: {mcuCount: 1, workerCount: 2}},
    })
    kc.on(ListConnectorsCommand).resolves(existing)
    kc.on(DescribeConnectorCommand).resolves(current)
    const progress = recorder()
    const error = await createConnector(options({progress})).catch((e) => e)
    expect(error).toBeInstanceOf(ConfigError)
    expect(error.exitCode).toBe(2)
    expect(error.message).toBe('connector 12b287eedf6d-connector exists with a different configuration (3 differences, listed above)')
    expect(error.hint).toMatch(/--replace/)
    expect(progress.lines).toContain('info   config flush.size: 100 → 1')
    expect(progress.lines).toContain('info   config rotate.interval.ms: 60000 → (absent)')
    expect(progress.lines).toContain('info   capacity: 2 workers × 1 MCU → 1 worker × 1 MCU')
    expect(kc.commandCalls(CreateConnectorCommand)).toHaveLength(0)
  })

  it('with --replace deletes the old one, waits until it is gone and creates the new one', async () => {
    kc.on(ListConnectorsCommand).resolves(existing)
    const gone = Object.assign(new Error('not found'), {name: 'NotFoundException'})
    kc.on(DescribeConnectorCommand)
      .resolvesOnce(described(golden, 'RUNNING', {capacity: {provisionedCapacity: {mcuCount: 2, workerCount: 1}}}))
      .resolvesOnce(described(golden, 'DELETING'))
      .rejectsOnce(gone)
      .resolves(described(golden, 'RUNNING'))
    kc.on(DeleteConnectorCommand).resolves({connectorArn: msk.CONNECTOR_ARN, connectorState: 'DELETING' as const})
    const result = await createConnector(options({replace: true}))
    expect(kc.commandCalls(DeleteConnectorCommand)[0].args[0].input).toEqual({
      connectorArn: msk.CONNECTOR_ARN,
      currentVersion: 'K2SS6JJ2ZRFHX6',
    })
    expect(kc.commandCalls(CreateConnectorCommand)).toHaveLength(1)
    expect(result).toMatchObject({status: 'replaced', state: 'RUNNING'})
  })

  it('reports an existing FAILED connector with its reason instead of pretending it is fine', async () => {
    kc.on(ListConnectorsCommand).resolves(existing)
    kc.on(DescribeConnectorCommand).resolves(
      described(golden, 'FAILED', {stateDescription: {code: 'UnknownError', message: 'The last operation failed.'}}),
    )
    const error = await createConnector(options()).catch((e) => e)
    expect(error).toBeInstanceOf(VerifyError)
    expect(error.message).toMatch(/is FAILED: The last operation failed\./)
    expect(error.hint).toMatch(/--replace/)
  })
})

describe('waiting for the connector', () => {
  it('ends on FAILED with the reason MSK Connect gives', async () => {
    kc.on(DescribeConnectorCommand)
      .resolvesOnce(described(golden, 'CREATING'))
      .resolves(
        described(golden, 'FAILED', {
          stateDescription: {
            code: 'InvalidInput.InvalidConnectorConfiguration',
            message: 'The connector configuration is invalid. Message: Missing required configuration "s3.bucket.name"',
          },
        }),
      )
    const error = await createConnector(options()).catch((e) => e)
    expect(error).toBeInstanceOf(VerifyError)
    expect(error.message).toBe(
      'connector 12b287eedf6d-connector is FAILED: The connector configuration is invalid. Message: Missing required configuration ' +
        '"s3.bucket.name"',
    )
  })

  it('ends at the time bound naming the state it is stuck in', async () => {
    kc.on(DescribeConnectorCommand).resolves(described(golden, 'CREATING'))
    const clock = fakeClock()
    const error = await createConnector(options({timeoutMs: 5 * 60_000, clock})).catch((e) => e)
    expect(error).toBeInstanceOf(VerifyError)
    expect(error.message).toBe('connector 12b287eedf6d-connector is still CREATING after 5m (the limit)')
    expect(error.hint).toMatch(/connector status/)
    expect(clock.elapsed()).toBe(5 * 60_000)
  })

  it('does not wait with wait=false', async () => {
    const result = await createConnector(options({wait: false}))
    expect(result.state).toBe('CREATING')
    expect(kc.commandCalls(DescribeConnectorCommand)).toHaveLength(0)
  })
})

describe('connector create: what must exist first', () => {
  it('asks for the plugin when there is none', async () => {
    kc.on(ListCustomPluginsCommand).resolves({customPlugins: []})
    const error = await createConnector(options()).catch((e) => e)
    expect(error).toBeInstanceOf(ConfigError)
    expect(error.hint).toMatch(/connector plugin create/)
  })

  it('names the listener a cluster lacks', async () => {
    kafka.on(GetBootstrapBrokersCommand).resolves({BootstrapBrokerStringTls: 'b-1:9094'})
    const error = await createConnector(options()).catch((e) => e)
    expect(error.message).toContain('has no IAM (SASL_SSL, 9098) listener')
    expect(error.hint).toContain('tls (9094)')
  })

  it('creates a worker configuration from a properties file, base64-encoded', async () => {
    kc.on(DescribeConnectorCommand).resolves(described(golden))
    kc.on(ListWorkerConfigurationsCommand).resolves({workerConfigurations: []})
    kc.on(CreateWorkerConfigurationCommand).resolves({workerConfigurationArn: 'arn:wc', latestRevision: {revision: 1}})
    const properties = 'key.converter=org.apache.kafka.connect.storage.StringConverter\n'
    await createConnector(options({workerConfiguration: {name: 'confluent-worker', properties}}))
    expect(kc.commandCalls(CreateWorkerConfigurationCommand)[0].args[0].input).toEqual({
      name: 'confluent-worker',
      propertiesFileContent: Buffer.from(properties).toString('base64'),
    })
    expect(kc.commandCalls(CreateConnectorCommand)[0].args[0].input.workerConfiguration).toEqual({
      workerConfigurationArn: 'arn:wc',
      revision: 1,
    })
  })
})

describe('diffConnector', () => {
  it('ignores broker order and finds nothing for the same body', () => {
    const request = buildCreateConnectorRequest({
      connectorName: 'c',
      userId: 'u1',
      region: 'us-east-1',
      bucket: 'b',
      plugin: {arn: 'p', revision: 1},
      bootstrapServers: 'b-1:9098,b-2:9098',
      subnets: ['s1', 's2'],
      securityGroups: ['g'],
      auth: 'iam',
      serviceExecutionRoleArn: 'r',
      capacity: {kind: 'provisioned', workers: 1, mcu: 1},
      kafkaConnectVersion: '2.7.1',
    })
    const current = {
      ...described(request as never),
      kafkaCluster: {apacheKafkaCluster: {bootstrapServers: 'b-2:9098,b-1:9098', vpc: {subnets: ['s2', 's1'], securityGroups: ['g']}}},
    }
    expect(diffConnector(current as never, request)).toEqual([])
    expect(diffConnector({...current, serviceExecutionRoleArn: 'other'} as never, request)).toEqual([
      {field: 'service execution role', current: 'other', desired: 'r'},
    ])
  })
})

describe('connector delete', () => {
  it('deletes and waits until it is gone; a missing connector is fine', async () => {
    kc.on(ListConnectorsCommand)
      .resolvesOnce({
        connectors: [
          {
            connectorName: '12b287eedf6d-connector',
            connectorArn: msk.CONNECTOR_ARN,
            connectorState: 'RUNNING' as const,
            currentVersion: 'v1',
          },
        ],
      })
      .resolves({connectors: []})
    kc.on(DeleteConnectorCommand).resolves({connectorState: 'DELETING' as const})
    kc.on(DescribeConnectorCommand)
      .resolvesOnce(described(golden, 'DELETING'))
      .rejects(Object.assign(new Error('gone'), {name: 'NotFoundException'}))
    const clock = fakeClock()
    expect(await deleteConnector({aws, connectorName: '12b287eedf6d-connector', clock})).toMatchObject({status: 'deleted'})
    expect(kc.commandCalls(DeleteConnectorCommand)[0].args[0].input).toEqual({connectorArn: msk.CONNECTOR_ARN, currentVersion: 'v1'})
    expect(await deleteConnector({aws, connectorName: '12b287eedf6d-connector', clock})).toMatchObject({status: 'absent'})
    expect(kc.commandCalls(DeleteConnectorCommand)).toHaveLength(1)
  })
})
