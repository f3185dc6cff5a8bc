import {APIGatewayClient, GetResourcesCommand, GetRestApisCommand} from '@aws-sdk/client-api-gateway'
import {DescribeInstancesCommand, EC2Client} from '@aws-sdk/client-ec2'
import {mockClient} from 'aws-sdk-client-mock'
import {afterEach, describe, expect, it} from 'vitest'

import {findRestApis, getResources} from '../../src/aws/apigateway.js'
import {awsClient} from '../../src/aws/clients.js'
import {listRunningInstances} from '../../src/aws/ec2.js'
import {AwsError} from '../../src/errors.js'

const apigw = mockClient(APIGatewayClient)
const ec2 = mockClient(EC2Client)
const aws = {region: 'us-east-1'}

afterEach(() => {
  apigw.reset()
  ec2.reset()
})

/** Answers the given pages in turn and records each request's input as it was when sent (the paginator reuses one object). */
function pagesOf<T>(pages: T[]) {
  const sent: Array<Record<string, unknown>> = []
  const answer = (input: object) => {
    sent.push({...input})
    return pages.shift()
  }
  return {sent, answer}
}

describe('paginated AWS calls', () => {
  it('findRestApis follows position over every page, 500 a page', async () => {
    const {sent, answer} = pagesOf([
      {items: [{id: 'a1', name: 'someone'}], position: 'p2'},
      {items: [{id: 'a2', name: '12b287eedf6d'}], position: 'p3'},
      {items: [{id: 'a3', name: '12b287eedf6d'}]},
    ])
    apigw.on(GetRestApisCommand).callsFake(answer)
    expect(await findRestApis(aws, '12b287eedf6d')).toEqual([
      {id: 'a2', name: '12b287eedf6d'},
      {id: 'a3', name: '12b287eedf6d'},
    ])
    expect(sent).toEqual([{limit: 500}, {limit: 500, position: 'p2'}, {limit: 500, position: 'p3'}])
  })

  it('listRunningInstances reads every page of DescribeInstances', async () => {
    const instance = (id: string, launched: string) => ({InstanceId: id, State: {Name: 'running' as const}, LaunchTime: new Date(launched)})
    const {sent, answer} = pagesOf([
      {Reservations: [{Instances: [instance('i-old', '2024-01-01T00:00:00Z')]}], NextToken: 'n2'},
      {Reservations: [{Instances: [instance('i-new', '2024-02-01T00:00:00Z')]}]},
    ])
    ec2.on(DescribeInstancesCommand).callsFake(answer)
    expect((await listRunningInstances(aws)).map((found) => found.id)).toEqual(['i-new', 'i-old'])
    expect(sent.map((input) => input.NextToken)).toEqual([undefined, 'n2'])
  })

  it('a failure on a later page is an AwsError naming the call, not the SDK error', async () => {
    apigw
      .on(GetResourcesCommand)
      .resolvesOnce({items: [{id: 'root01', path: '/'}], position: 'p2'})
      .rejects(Object.assign(new Error('Rate exceeded'), {name: 'TooManyRequestsException'}))
    const error = await getResources(aws, 'api1').catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(AwsError)
    expect((error as Error).message).toBe('apigateway:GetResources failed: TooManyRequestsException: Rate exceeded')
  })
})

describe('awsClient', () => {
  it('imports the SDK once and keeps one client per service and resolved endpoint', async () => {
    let loads = 0
    const load = async () => {
      loads++
      return {}
    }
    const create = (_sdk: object, config: Record<string, unknown>) => ({config})
    const first = await awsClient('TEST_PAGING', {region: 'us-east-1'}, load, create)
    const again = await awsClient('TEST_PAGING', {region: 'us-east-1'}, load, create)
    const elsewhere = await awsClient('TEST_PAGING', {region: 'us-east-1', endpoint: 'http://127.0.0.1:5000'}, load, create)
    expect(again.client).toBe(first.client)
    expect(elsewhere.client).not.toBe(first.client)
    expect(elsewhere.client.config).toMatchObject({endpoint: 'http://127.0.0.1:5000', region: 'us-east-1'})
    expect(loads).toBe(2)
  })
})
