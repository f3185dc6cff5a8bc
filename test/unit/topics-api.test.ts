import {CreateTopicCommand, DescribeClusterV2Command, KafkaClient} from '@aws-sdk/client-kafka'
import {mockClient} from 'aws-sdk-client-mock'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {ConfigError} from '../../src/errors.js'
import {createTopicsViaApi, supportsTopicApi} from '../../src/kafka/topics-api.js'

const kafka = mockClient(KafkaClient)
const ARN = 'arn:aws:kafka:us-east-1:123456789012:cluster/pinterest-msk-cluster/abc-1'
const aws = {region: 'us-east-1'}

function cluster(version: string) {
  return {
    ClusterInfo: {
      ClusterArn: ARN,
      ClusterName: 'pinterest-msk-cluster',
      State: 'ACTIVE' as const,
      ClusterType: 'PROVISIONED' as const,
      Provisioned: {
        CurrentBrokerSoftwareInfo: {KafkaVersion: version},
        BrokerNodeGroupInfo: {ClientSubnets: [], SecurityGroups: [], InstanceType: 'kafka.m5.large'},
        NumberOfBrokerNodes: 3,
      },
    },
  }
}

function conflict(): Error {
  const error = new Error('Topic already exists')
  error.name = 'ConflictException'
  return error
}

beforeEach(() => kafka.reset())
afterEach(() => kafka.reset())

describe('topics create --via api', () => {
  it.each([
    ['2.8.1', false],
    ['3.5.1', false],
    ['3.6.0', true],
    ['3.7.x.kraft', true],
    ['4.0.0', true],
    [undefined, false],
  ])('Kafka %s has the topic API: %s', (version, has) => {
    expect(supportsTopicApi(version)).toBe(has)
  })

  it("refuses the seed's 2.8.1 cluster, naming the version and the default way", async () => {
    kafka.on(DescribeClusterV2Command).resolves(cluster('2.8.1'))
    const error = await createTopicsViaApi(aws, ARN, ['u.pin'], {}).catch((e) => e)
    expect(error).toBeInstanceOf(ConfigError)
    expect(error.message).toBe("MSK's topic API needs a provisioned cluster on Kafka 3.6 or newer; pinterest-msk-cluster runs Kafka 2.8.1")
    expect(error.hint).toMatch(/kafka-topics.sh on the client host/)
    expect(kafka.commandCalls(CreateTopicCommand)).toHaveLength(0)
  })

  it('creates each topic on a 3.6+ cluster; an existing one is reported as present', async () => {
    kafka.on(DescribeClusterV2Command).resolves(cluster('3.6.0'))
    kafka.on(CreateTopicCommand, {TopicName: 'u.pin'}).resolves({TopicName: 'u.pin', Status: 'CREATING'})
    kafka.on(CreateTopicCommand, {TopicName: 'u.geo'}).rejects(conflict())
    const results = await createTopicsViaApi(aws, ARN, ['u.pin', 'u.geo'], {partitions: 3})
    expect(results).toEqual([
      {topic: 'u.pin', status: 'created'},
      {topic: 'u.geo', status: 'exists'},
    ])
    expect(kafka.commandCalls(CreateTopicCommand)[0].args[0].input).toEqual({
      ClusterArn: ARN,
      TopicName: 'u.pin',
      PartitionCount: 3,
      ReplicationFactor: 3,
    })
  })

  it('reports a failed topic with its reason and goes on with the others', async () => {
    kafka.on(DescribeClusterV2Command).resolves(cluster('3.7.x'))
    const denied = new Error('User is not authorized to perform kafka:CreateTopic')
    denied.name = 'ForbiddenException'
    kafka.on(CreateTopicCommand, {TopicName: 'u.pin'}).rejects(denied)
    kafka.on(CreateTopicCommand, {TopicName: 'u.geo'}).resolves({})
    const results = await createTopicsViaApi(aws, ARN, ['u.pin', 'u.geo'], {})
    expect(results[0]).toMatchObject({topic: 'u.pin', status: 'failed', reason: expect.stringMatching(/kafka:CreateTopic/)})
    expect(results[1]).toEqual({topic: 'u.geo', status: 'created'})
  })
})
