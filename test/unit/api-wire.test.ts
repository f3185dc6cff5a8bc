import {
  APIGatewayClient,
  CreateDeploymentCommand,
  CreateResourceCommand,
  GetDeploymentCommand,
  GetIntegrationCommand,
  GetMethodCommand,
  GetResourcesCommand,
  GetRestApisCommand,
  GetStageCommand,
  PutIntegrationCommand,
  PutMethodCommand,
  UpdateMethodCommand,
} from '@aws-sdk/client-api-gateway'
import {mockClient} from 'aws-sdk-client-mock'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {integrationUri, wireApi} from '../../src/api/wire.js'
import {ConfigError} from '../../src/errors.js'
import {recorder} from './fake-clock.js'

const apigw = mockClient(APIGatewayClient)
const aws = {region: 'us-east-1'}
const HOST = 'ec2-54-81-124-13.compute-1.amazonaws.com'
const URI = `http://${HOST}:8082/{proxy}`
const options = {aws, apiName: '12b287eedf6d', host: HOST, port: 8082}

function notFound(message: string) {
  return Object.assign(new Error(message), {name: 'NotFoundException', $metadata: {httpStatusCode: 404}})
}

const wiredIntegration = {
  type: 'HTTP_PROXY' as const,
  httpMethod: 'ANY',
  uri: URI,
  connectionType: 'INTERNET' as const,
  passthroughBehavior: 'WHEN_NO_MATCH',
  requestParameters: {'integration.request.path.proxy': 'method.request.path.proxy'},
  cacheKeyParameters: ['method.request.path.proxy'],
  timeoutInMillis: 29000,
}

/** The API as the course hands it over: only the root resource, no stage. */
function freshApi() {
  apigw.on(GetRestApisCommand).resolves({
    items: [
      {id: 'other123', name: 'someone-else'},
      {id: '5i08sjvi96', name: '12b287eedf6d'},
    ],
  })
  apigw.on(GetResourcesCommand).resolves({items: [{id: 'root01', path: '/'}]})
  apigw.on(CreateResourceCommand).resolves({id: 'prx001', parentId: 'root01', pathPart: '{proxy+}', path: '/{proxy+}'})
  apigw.on(GetMethodCommand).rejects(notFound('Invalid Method identifier specified'))
  apigw.on(PutMethodCommand).resolves({httpMethod: 'ANY', authorizationType: 'NONE'})
  apigw.on(GetIntegrationCommand).rejects(notFound('Invalid Integration identifier specified'))
  apigw.on(PutIntegrationCommand).resolves(wiredIntegration)
  apigw.on(GetStageCommand).rejects(notFound('Invalid Stage identifier specified'))
  apigw.on(CreateDeploymentCommand).resolves({id: 'dep001'})
}

/** The same API after a successful wire (AWS answers GetDeployment with an API summary). */
function wiredApi(integration: Record<string, unknown> = wiredIntegration) {
  apigw.on(GetRestApisCommand).resolves({items: [{id: '5i08sjvi96', name: '12b287eedf6d'}]})
  apigw.on(GetResourcesCommand).resolves({
    items: [
      {id: 'root01', path: '/'},
      {id: 'prx001', parentId: 'root01', pathPart: '{proxy+}', path: '/{proxy+}'},
    ],
  })
  apigw
    .on(GetMethodCommand)
    .resolves({httpMethod: 'ANY', authorizationType: 'NONE', requestParameters: {'method.request.path.proxy': true}})
  apigw.on(GetIntegrationCommand).resolves(integration)
  apigw.on(GetStageCommand).resolves({stageName: 'test', deploymentId: 'dep001'})
  apigw.on(GetDeploymentCommand).resolves({id: 'dep001', apiSummary: {'/{proxy+}': {ANY: {authorizationType: 'NONE'}}}})
  apigw.on(CreateDeploymentCommand).resolves({id: 'dep002'})
  apigw.on(PutIntegrationCommand).resolves(wiredIntegration)
}

const WRITES = new Set([
  'CreateResourceCommand',
  'PutMethodCommand',
  'UpdateMethodCommand',
  'PutIntegrationCommand',
  'CreateDeploymentCommand',
])
/** The calls that change the API, in the order they were made. */
const writes = () =>
  apigw
    .calls()
    .map((call) => (call.args[0] as object).constructor.name)
    .filter((name) => WRITES.has(name))

beforeEach(() => apigw.reset())
afterEach(() => apigw.reset())

describe('api wire', () => {
  it('on a fresh API: resource {proxy+}, method ANY, HTTP proxy integration, deployment to test — in that order', async () => {
    freshApi()
    const result = await wireApi({...options, progress: recorder()})
    expect(writes()).toEqual(['CreateResourceCommand', 'PutMethodCommand', 'PutIntegrationCommand', 'CreateDeploymentCommand'])
    expect(apigw.commandCalls(CreateResourceCommand)[0].args[0].input).toEqual({
      restApiId: '5i08sjvi96',
      parentId: 'root01',
      pathPart: '{proxy+}',
    })
    expect(apigw.commandCalls(PutMethodCommand)[0].args[0].input).toEqual({
      restApiId: '5i08sjvi96',
      resourceId: 'prx001',
      httpMethod: 'ANY',
      authorizationType: 'NONE',
      requestParameters: {'method.request.path.proxy': true},
    })
    expect(apigw.commandCalls(PutIntegrationCommand)[0].args[0].input).toEqual({
      restApiId: '5i08sjvi96',
      resourceId: 'prx001',
      httpMethod: 'ANY',
      type: 'HTTP_PROXY',
      integrationHttpMethod: 'ANY',
      uri: URI,
      connectionType: 'INTERNET',
      passthroughBehavior: 'WHEN_NO_MATCH',
      requestParameters: {'integration.request.path.proxy': 'method.request.path.proxy'},
      cacheKeyParameters: ['method.request.path.proxy'],
      timeoutInMillis: 29000,
    })
    expect(apigw.commandCalls(CreateDeploymentCommand)[0].args[0].input).toMatchObject({restApiId: '5i08sjvi96', stageName: 'test'})
    expect(result).toMatchObject({
      apiId: '5i08sjvi96',
      invokeUrl: 'https://5i08sjvi96.execute-api.us-east-1.amazonaws.com/test',
      steps: {resource: 'created', method: 'created', integration: 'created', deployment: 'created'},
      changed: true,
    })
  })

  it('changes nothing on an API that is already wired and deployed', async () => {
    wiredApi()
    const progress = recorder()
    const result = await wireApi({...options, progress})
    expect(writes()).toEqual([])
    expect(result).toMatchObject({
      changed: false,
      deploymentId: 'dep001',
      steps: {resource: 'ok', method: 'ok', integration: 'ok', deployment: 'ok'},
    })
    expect(progress.text()).toContain('stage test serves the current API (deployment dep001)')
  })

  it('repoints an integration to a new host and deploys again', async () => {
    wiredApi({...wiredIntegration, uri: 'http://ec2-old.compute-1.amazonaws.com:8082/{proxy}'})
    const result = await wireApi(options)
    expect(writes()).toEqual(['PutIntegrationCommand', 'CreateDeploymentCommand'])
    expect(result).toMatchObject({steps: {integration: 'updated', deployment: 'created'}, deploymentId: 'dep002'})
  })

  it('declares the proxy path parameter on a method made without it', async () => {
    wiredApi()
    apigw.on(GetMethodCommand).resolves({httpMethod: 'ANY', authorizationType: 'NONE'})
    await wireApi(options)
    expect(apigw.commandCalls(UpdateMethodCommand)[0].args[0].input.patchOperations).toEqual([
      {op: 'add', path: '/requestParameters/method.request.path.proxy', value: 'true'},
    ])
  })

  it('deploys again when the stage serves a deployment made before the wiring', async () => {
    wiredApi()
    apigw.on(GetDeploymentCommand).resolves({id: 'dep001', apiSummary: {'/': {}}})
    const result = await wireApi(options)
    expect(writes()).toEqual(['CreateDeploymentCommand'])
    expect(result.steps.deployment).toBe('created')
  })

  it('finds no API, or too many, by name and says what to do', async () => {
    apigw.on(GetRestApisCommand).resolves({items: [{id: 'a1', name: 'other'}]})
    const none = await wireApi(options).catch((e) => e)
    expect(none).toBeInstanceOf(ConfigError)
    expect(none.message).toBe('no REST API named "12b287eedf6d" in us-east-1')
    apigw.on(GetRestApisCommand).resolves({
      items: [
        {id: 'a1', name: '12b287eedf6d'},
        {id: 'a2', name: '12b287eedf6d'},
      ],
    })
    const twice = await wireApi(options).catch((e) => e)
    expect(twice.message).toContain('a1, a2')
    expect(twice.hint).toMatch(/--api-id/)
  })

  it('brackets an IPv6 host in the integration URI', () => {
    expect(integrationUri('::1', 8082)).toBe('http://[::1]:8082/{proxy}')
    expect(integrationUri('127.0.0.1', 18082)).toBe('http://127.0.0.1:18082/{proxy}')
  })
})
