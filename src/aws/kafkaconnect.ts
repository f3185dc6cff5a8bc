import type {
  ConnectorSummary,
  CreateConnectorRequest,
  CustomPluginSummary,
  DescribeConnectorResponse,
  DescribeCustomPluginResponse,
  DescribeWorkerConfigurationResponse,
  WorkerConfigurationSummary,
} from '@aws-sdk/client-kafkaconnect'

import {AwsError, ConfigError} from '../errors.js'
import {awsCall, awsClient, awsPages, translateAwsError, type AwsSettings} from './clients.js'

export type {ConnectorSummary, CreateConnectorRequest, CustomPluginSummary, DescribeConnectorResponse, DescribeCustomPluginResponse}

function kafkaConnect(settings: AwsSettings) {
  const load = () => import('@aws-sdk/client-kafkaconnect')
  return awsClient('KAFKACONNECT', settings, load, (sdk, config) => new sdk.KafkaConnectClient(config))
}

/** An endpoint that answers with HTML or another service's JSON is not MSK Connect: say so instead of a parse error. */
function notMskConnect(name: string, error: Error): Error | undefined {
  if (name !== 'SyntaxError' && !/Deserialization error|Unexpected token/.test(error.message)) return undefined
  const endpoint = process.env.AWS_ENDPOINT_URL_KAFKACONNECT || process.env.AWS_ENDPOINT_URL
  return new AwsError(
    `the endpoint ${endpoint ?? '(default)'} did not answer like MSK Connect (${error.message.split('\n')[0].slice(0, 80)})`,
    'moto has no MSK Connect: in the sandbox set AWS_ENDPOINT_URL_KAFKACONNECT (eval "$(scripts/sandbox env)" does)',
    {cause: error},
  )
}

function kafkaConnectCall<T>(
  action: string,
  call: () => Promise<T>,
  known: (name: string, error: Error) => Error | undefined = () => undefined,
): Promise<T> {
  return awsCall(action, call, (name, error) => known(name, error) ?? notMskConnect(name, error))
}

/** Every item of every page of a List* call, failures translated as kafkaConnectCall does. */
async function collect<Page, T>(action: string, pages: AsyncIterable<Page>, items: (page: Page) => T[] | undefined): Promise<T[]> {
  const all: T[] = []
  for await (const page of awsPages(action, pages, notMskConnect)) all.push(...(items(page) ?? []))
  return all
}

export async function listCustomPlugins(settings: AwsSettings, namePrefix?: string): Promise<CustomPluginSummary[]> {
  const {sdk, client} = await kafkaConnect(settings)
  return collect('kafkaconnect:ListCustomPlugins', sdk.paginateListCustomPlugins({client}, {namePrefix}), (page) => page.customPlugins)
}

export async function describeCustomPlugin(settings: AwsSettings, arn: string): Promise<DescribeCustomPluginResponse> {
  const {sdk, client} = await kafkaConnect(settings)
  return kafkaConnectCall('kafkaconnect:DescribeCustomPlugin', () =>
    client.send(new sdk.DescribeCustomPluginCommand({customPluginArn: arn})),
  )
}

export interface S3PluginLocation {
  bucketArn: string
  fileKey: string
  objectVersion?: string
}

export async function createCustomPlugin(
  settings: AwsSettings,
  input: {name: string; location: S3PluginLocation; description?: string},
): Promise<{arn: string; state?: string}> {
  const {sdk, client} = await kafkaConnect(settings)
  const answer = await kafkaConnectCall(
    'kafkaconnect:CreateCustomPlugin',
    () =>
      client.send(
        new sdk.CreateCustomPluginCommand({
          name: input.name,
          contentType: 'ZIP',
          description: input.description,
          location: {s3Location: input.location},
        }),
      ),
    (name, error) =>
      name === 'ConflictException'
        ? new ConfigError(`a custom plugin named ${input.name} already exists: ${error.message}`, 'choose another name with --plugin-name')
        : undefined,
  )
  if (!answer.customPluginArn) throw new AwsError(`MSK Connect returned no ARN for plugin ${input.name}`)
  return {arn: answer.customPluginArn, state: answer.customPluginState}
}

export async function listConnectors(settings: AwsSettings, namePrefix?: string): Promise<ConnectorSummary[]> {
  const {sdk, client} = await kafkaConnect(settings)
  const pages = sdk.paginateListConnectors({client}, {connectorNamePrefix: namePrefix})
  return collect('kafkaconnect:ListConnectors', pages, (page) => page.connectors)
}

/** The connector's description, or undefined once it is gone (after a delete). */
export async function describeConnector(settings: AwsSettings, arn: string): Promise<DescribeConnectorResponse | undefined> {
  const {sdk, client} = await kafkaConnect(settings)
  try {
    return await client.send(new sdk.DescribeConnectorCommand({connectorArn: arn}))
  } catch (error) {
    if ((error as Error).name === 'NotFoundException') return undefined
    throw translateAwsError('kafkaconnect:DescribeConnector', error, notMskConnect)
  }
}

export async function createConnector(settings: AwsSettings, request: CreateConnectorRequest): Promise<{arn: string; state?: string}> {
  const {sdk, client} = await kafkaConnect(settings)
  const answer = await kafkaConnectCall(
    'kafkaconnect:CreateConnector',
    () => client.send(new sdk.CreateConnectorCommand(request)),
    (name, error) =>
      name === 'BadRequestException'
        ? new ConfigError(
            `MSK Connect rejected the connector: ${error.message}`,
            'check the capacity flags, the plugin and the role (it must trust kafkaconnect.amazonaws.com)',
          )
        : name === 'ConflictException'
          ? new ConfigError(`connector ${request.connectorName} already exists: ${error.message}`)
          : undefined,
  )
  if (!answer.connectorArn) throw new AwsError(`MSK Connect returned no ARN for connector ${request.connectorName}`)
  return {arn: answer.connectorArn, state: answer.connectorState}
}

export async function deleteConnector(settings: AwsSettings, arn: string, currentVersion?: string): Promise<{state?: string}> {
  const {sdk, client} = await kafkaConnect(settings)
  const answer = await kafkaConnectCall('kafkaconnect:DeleteConnector', () =>
    client.send(new sdk.DeleteConnectorCommand({connectorArn: arn, currentVersion})),
  )
  return {state: answer.connectorState}
}

export async function listWorkerConfigurations(settings: AwsSettings, namePrefix?: string): Promise<WorkerConfigurationSummary[]> {
  const {sdk, client} = await kafkaConnect(settings)
  const pages = sdk.paginateListWorkerConfigurations({client}, {namePrefix})
  return collect('kafkaconnect:ListWorkerConfigurations', pages, (page) => page.workerConfigurations)
}

export async function describeWorkerConfiguration(settings: AwsSettings, arn: string): Promise<DescribeWorkerConfigurationResponse> {
  const {sdk, client} = await kafkaConnect(settings)
  return kafkaConnectCall('kafkaconnect:DescribeWorkerConfiguration', () =>
    client.send(new sdk.DescribeWorkerConfigurationCommand({workerConfigurationArn: arn})),
  )
}

/** `properties` is the worker properties file's text; the API wants it base64-encoded. */
export async function createWorkerConfiguration(
  settings: AwsSettings,
  name: string,
  properties: string,
): Promise<{arn: string; revision: number}> {
  const {sdk, client} = await kafkaConnect(settings)
  const answer = await kafkaConnectCall('kafkaconnect:CreateWorkerConfiguration', () =>
    client.send(
      new sdk.CreateWorkerConfigurationCommand({name, propertiesFileContent: Buffer.from(properties, 'utf8').toString('base64')}),
    ),
  )
  if (!answer.workerConfigurationArn) throw new AwsError(`MSK Connect returned no ARN for worker configuration ${name}`)
  return {arn: answer.workerConfigurationArn, revision: answer.latestRevision?.revision ?? 1}
}
