import type {Deployment, Integration, Method, PutIntegrationRequest, Resource} from '@aws-sdk/client-api-gateway'

import {AwsError, ConfigError} from '../errors.js'
import {awsCall, awsClient, awsPages, translateAwsError, type AwsSettings} from './clients.js'

export type {Deployment, Integration, Method, Resource}

function apiGateway(settings: AwsSettings) {
  return awsClient(
    'API_GATEWAY',
    settings,
    () => import('@aws-sdk/client-api-gateway'),
    (sdk, config) => new sdk.APIGatewayClient(config),
  )
}

function apiNotFound(apiId: string) {
  return (name: string, error: Error) =>
    name === 'NotFoundException' && /rest ?api|Invalid API identifier/i.test(error.message)
      ? new ConfigError(`REST API ${apiId} not found`, 'check --api-id, or the API name (apiName, default: the user id) and --region')
      : undefined
}

function isNotFound(error: unknown): boolean {
  return (error as Error)?.name === 'NotFoundException'
}

export async function findRestApis(settings: AwsSettings, name: string): Promise<Array<{id: string; name: string}>> {
  const {sdk, client} = await apiGateway(settings)
  const found: Array<{id: string; name: string}> = []
  for await (const page of awsPages('apigateway:GetRestApis', sdk.paginateGetRestApis({client}, {limit: 500}))) {
    for (const api of page.items ?? []) if (api.id && api.name === name) found.push({id: api.id, name: api.name})
  }
  return found
}

export async function getRestApi(settings: AwsSettings, apiId: string): Promise<{id: string; name?: string}> {
  const {sdk, client} = await apiGateway(settings)
  const api = await awsCall(
    'apigateway:GetRestApi',
    () => client.send(new sdk.GetRestApiCommand({restApiId: apiId})),
    (name) =>
      name === 'NotFoundException'
        ? new ConfigError(`REST API ${apiId} not found`, 'check --api-id and --region; `aws apigateway get-rest-apis` lists them')
        : undefined,
  )
  if (!api.id) throw new AwsError(`API Gateway returned no id for ${apiId}`)
  return {id: api.id, name: api.name}
}

export async function getResources(settings: AwsSettings, apiId: string): Promise<Resource[]> {
  const {sdk, client} = await apiGateway(settings)
  const all: Resource[] = []
  const pages = sdk.paginateGetResources({client}, {restApiId: apiId, limit: 500})
  for await (const page of awsPages('apigateway:GetResources', pages, apiNotFound(apiId))) {
    all.push(...(page.items ?? []))
  }
  return all
}

export async function createResource(settings: AwsSettings, apiId: string, parentId: string, pathPart: string): Promise<Resource> {
  const {sdk, client} = await apiGateway(settings)
  return awsCall('apigateway:CreateResource', () => client.send(new sdk.CreateResourceCommand({restApiId: apiId, parentId, pathPart})))
}

/** The method, or undefined when the resource has none for this HTTP method. */
export async function getMethod(settings: AwsSettings, apiId: string, resourceId: string, httpMethod: string): Promise<Method | undefined> {
  const {sdk, client} = await apiGateway(settings)
  try {
    return await client.send(new sdk.GetMethodCommand({restApiId: apiId, resourceId, httpMethod}))
  } catch (error) {
    if (isNotFound(error)) return undefined
    throw translateAwsError('apigateway:GetMethod', error)
  }
}

export async function putMethod(
  settings: AwsSettings,
  apiId: string,
  resourceId: string,
  httpMethod: string,
  requestParameters: Record<string, boolean>,
): Promise<Method> {
  const {sdk, client} = await apiGateway(settings)
  return awsCall('apigateway:PutMethod', () =>
    client.send(new sdk.PutMethodCommand({restApiId: apiId, resourceId, httpMethod, authorizationType: 'NONE', requestParameters})),
  )
}

/** Declares a request parameter on an existing method (PutMethod would fail with a conflict). */
export async function addMethodRequestParameter(
  settings: AwsSettings,
  apiId: string,
  resourceId: string,
  httpMethod: string,
  parameter: string,
): Promise<void> {
  const {sdk, client} = await apiGateway(settings)
  await awsCall('apigateway:UpdateMethod', () =>
    client.send(
      new sdk.UpdateMethodCommand({
        restApiId: apiId,
        resourceId,
        httpMethod,
        patchOperations: [{op: 'add', path: `/requestParameters/${parameter}`, value: 'true'}],
      }),
    ),
  )
}

/** The integration, or undefined when there is none (AWS answers 404; moto an empty object). */
export async function getIntegration(
  settings: AwsSettings,
  apiId: string,
  resourceId: string,
  httpMethod: string,
): Promise<Integration | undefined> {
  const {sdk, client} = await apiGateway(settings)
  try {
    const integration = await client.send(new sdk.GetIntegrationCommand({restApiId: apiId, resourceId, httpMethod}))
    return integration.type ? integration : undefined
  } catch (error) {
    if (isNotFound(error)) return undefined
    throw translateAwsError('apigateway:GetIntegration', error)
  }
}

export async function putIntegration(settings: AwsSettings, request: PutIntegrationRequest): Promise<Integration> {
  const {sdk, client} = await apiGateway(settings)
  return awsCall('apigateway:PutIntegration', () => client.send(new sdk.PutIntegrationCommand(request)))
}

/** The deployment a stage serves, or undefined when there is no such stage. */
export async function getStageDeploymentId(settings: AwsSettings, apiId: string, stageName: string): Promise<string | undefined> {
  const {sdk, client} = await apiGateway(settings)
  try {
    const stage = await client.send(new sdk.GetStageCommand({restApiId: apiId, stageName}))
    return stage.deploymentId
  } catch (error) {
    if (isNotFound(error)) return undefined
    throw translateAwsError('apigateway:GetStage', error)
  }
}

/** A deployment with its API summary (path → method → snapshot) where the service provides one. */
export async function getDeployment(settings: AwsSettings, apiId: string, deploymentId: string): Promise<Deployment | undefined> {
  const {sdk, client} = await apiGateway(settings)
  try {
    return await client.send(new sdk.GetDeploymentCommand({restApiId: apiId, deploymentId, embed: ['apisummary']}))
  } catch (error) {
    if (isNotFound(error)) return undefined
    throw translateAwsError('apigateway:GetDeployment', error)
  }
}

export async function createDeployment(settings: AwsSettings, apiId: string, stageName: string, description: string): Promise<string> {
  const {sdk, client} = await apiGateway(settings)
  const deployment = await awsCall('apigateway:CreateDeployment', () =>
    client.send(new sdk.CreateDeploymentCommand({restApiId: apiId, stageName, description})),
  )
  if (!deployment.id) throw new AwsError(`API Gateway returned no deployment id for ${apiId}`)
  return deployment.id
}
