import {
  addMethodRequestParameter,
  createDeployment,
  createResource,
  findRestApis,
  getDeployment,
  getIntegration,
  getMethod,
  getResources,
  getRestApi,
  getStageDeploymentId,
  putIntegration,
  putMethod,
  type Integration,
} from '../aws/apigateway.js'
import type {AwsSettings} from '../aws/clients.js'
import {partitionOf} from '../aws/s3.js'
import {ConfigError} from '../errors.js'
import {silentProgress, type Progress} from '../progress.js'

export const PROXY_PATH_PART = '{proxy+}'
export const PROXY_PATH = `/${PROXY_PATH_PART}`
export const PROXY_METHOD = 'ANY'
export const METHOD_PARAMETER = 'method.request.path.proxy'
export const INTEGRATION_PARAMETER = 'integration.request.path.proxy'
export const DEFAULT_STAGE = 'test'

export interface WireOptions {
  aws: AwsSettings
  /** Looked up by name when no id is given (the course names the API after the user id). */
  apiId?: string
  apiName?: string
  host: string
  port: number
  stage?: string
  progress?: Progress
}

export type StepStatus = 'created' | 'updated' | 'ok'

export interface WireResult {
  apiId: string
  apiName?: string
  resourceId: string
  integrationUri: string
  stage: string
  deploymentId: string
  invokeUrl: string
  steps: {resource: StepStatus; method: StepStatus; integration: StepStatus; deployment: 'created' | 'ok'}
  changed: boolean
}

export function integrationUri(host: string, port: number): string {
  const hostPart = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host
  return `http://${hostPart}:${port}/{proxy}`
}

export function invokeUrl(apiId: string, region: string, stage: string): string {
  const domain = partitionOf(region) === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com'
  return `https://${apiId}.execute-api.${region}.${domain}/${stage}`
}

/** Settings the seed chose in the console's "HTTP proxy integration" for {proxy+} ANY. */
export function proxyIntegrationRequest(apiId: string, resourceId: string, uri: string) {
  return {
    restApiId: apiId,
    resourceId,
    httpMethod: PROXY_METHOD,
    type: 'HTTP_PROXY' as const,
    integrationHttpMethod: PROXY_METHOD,
    uri,
    connectionType: 'INTERNET' as const,
    passthroughBehavior: 'WHEN_NO_MATCH',
    requestParameters: {[INTEGRATION_PARAMETER]: METHOD_PARAMETER},
    cacheKeyParameters: [METHOD_PARAMETER],
    timeoutInMillis: 29_000,
  }
}

function integrationMatches(integration: Integration, uri: string): boolean {
  return (
    integration.type === 'HTTP_PROXY' &&
    integration.uri === uri &&
    (integration.httpMethod ?? PROXY_METHOD) === PROXY_METHOD &&
    integration.requestParameters?.[INTEGRATION_PARAMETER] === METHOD_PARAMETER
  )
}

/**
 * The API Gateway proxy that was set up by hand in the console, made with the API: `{proxy+}` under `/`, `ANY`
 * on it, an HTTP proxy integration to the REST proxy on the client host, and a deployment to stage `test`.
 * Each part is read first and changed only when missing or different; a deployment is made only when something
 * changed or the stage lacks it.
 */
export async function wireApi(options: WireOptions): Promise<WireResult> {
  const progress = options.progress ?? silentProgress
  const stage = options.stage ?? DEFAULT_STAGE
  const api = await resolveApi(options)
  const uri = integrationUri(options.host, options.port)

  const resources = await getResources(options.aws, api.id)
  const root = resources.find((r) => r.path === '/')
  if (!root?.id) throw new ConfigError(`REST API ${api.id} has no root resource`, 'check the API in the API Gateway console')
  let resource = resources.find((r) => r.path === PROXY_PATH || (r.parentId === root.id && r.pathPart === PROXY_PATH_PART))
  const steps: WireResult['steps'] = {resource: 'ok', method: 'ok', integration: 'ok', deployment: 'ok'}
  if (resource?.id) {
    progress.success(`resource ${PROXY_PATH} exists (${resource.id})`)
  } else {
    progress.step(`creating resource ${PROXY_PATH}`)
    resource = await createResource(options.aws, api.id, root.id, PROXY_PATH_PART)
    steps.resource = 'created'
  }
  const resourceId = resource.id!

  const method = await getMethod(options.aws, api.id, resourceId, PROXY_METHOD)
  if (!method) {
    progress.step(`adding method ${PROXY_METHOD} ${PROXY_PATH} (no authorization, path parameter proxy)`)
    await putMethod(options.aws, api.id, resourceId, PROXY_METHOD, {[METHOD_PARAMETER]: true})
    steps.method = 'created'
  } else if (method.requestParameters?.[METHOD_PARAMETER] === undefined) {
    progress.step(`declaring the path parameter proxy on ${PROXY_METHOD} ${PROXY_PATH}`)
    await addMethodRequestParameter(options.aws, api.id, resourceId, PROXY_METHOD, METHOD_PARAMETER)
    steps.method = 'updated'
  } else {
    progress.success(`method ${PROXY_METHOD} ${PROXY_PATH} exists`)
    if (method.authorizationType && method.authorizationType !== 'NONE') {
      progress.warn(`method ${PROXY_METHOD} ${PROXY_PATH} uses authorization ${method.authorizationType}: left as it is`)
    }
  }

  const integration = steps.method === 'created' ? undefined : await getIntegration(options.aws, api.id, resourceId, PROXY_METHOD)
  if (integration && integrationMatches(integration, uri)) {
    progress.success(`integration → ${uri} exists`)
  } else {
    progress.step(
      integration
        ? `updating the integration: ${integration.type} ${integration.uri ?? ''} → HTTP_PROXY ${uri}`
        : `adding HTTP proxy integration → ${uri}`,
    )
    await putIntegration(options.aws, proxyIntegrationRequest(api.id, resourceId, uri))
    steps.integration = integration ? 'updated' : 'created'
  }

  const changed = steps.resource !== 'ok' || steps.method !== 'ok' || steps.integration !== 'ok'
  let deploymentId = await getStageDeploymentId(options.aws, api.id, stage)
  const why = changed
    ? 'the API changed'
    : !deploymentId
      ? `there is no stage ${stage}`
      : await staleDeployment(options.aws, api.id, deploymentId, uri)
  if (why) {
    progress.step(`deploying to stage ${stage} (${why})`)
    deploymentId = await createDeployment(options.aws, api.id, stage, `pinctl api wire: ${PROXY_METHOD} ${PROXY_PATH} → ${uri}`)
    steps.deployment = 'created'
  } else {
    progress.success(`stage ${stage} serves the current API (deployment ${deploymentId})`)
  }

  return {
    apiId: api.id,
    apiName: api.name,
    resourceId,
    integrationUri: uri,
    stage,
    deploymentId: deploymentId!,
    invokeUrl: invokeUrl(api.id, options.aws.region, stage),
    steps,
    changed: changed || steps.deployment === 'created',
  }
}

async function resolveApi(options: WireOptions): Promise<{id: string; name?: string}> {
  if (options.apiId) return getRestApi(options.aws, options.apiId)
  if (!options.apiName)
    throw new ConfigError('no API named', 'pass --api-id, or --user (the API is named after the user id), or set apiName')
  const found = await findRestApis(options.aws, options.apiName)
  if (found.length === 0) {
    throw new ConfigError(
      `no REST API named ${JSON.stringify(options.apiName)} in ${options.aws.region}`,
      'pass --api-id, or check --user / apiName and --region; `aws apigateway get-rest-apis` lists them',
    )
  }
  if (found.length > 1) {
    throw new ConfigError(
      `${found.length} REST APIs are named ${JSON.stringify(options.apiName)}: ${found.map((a) => a.id).join(', ')}`,
      'choose one with --api-id',
    )
  }
  return found[0]
}

/**
 * Why the stage's deployment does not serve the wiring, or undefined when it does or cannot be told.
 * AWS answers GetDeployment with an API summary (path → methods); moto does not, and then the stage is trusted.
 */
async function staleDeployment(aws: AwsSettings, apiId: string, deploymentId: string, uri: string): Promise<string | undefined> {
  const deployment = await getDeployment(aws, apiId, deploymentId)
  if (!deployment) return `its deployment ${deploymentId} is gone`
  const summary = deployment.apiSummary
  if (!summary) return undefined
  if (!summary[PROXY_PATH]?.[PROXY_METHOD])
    return `the deployed API has no ${PROXY_METHOD} ${PROXY_PATH} (deployed before wiring; integration ${uri})`
  return undefined
}
