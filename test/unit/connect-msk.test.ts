import {DescribeClusterV2Command, GetBootstrapBrokersCommand, KafkaClient, ListClustersV2Command} from '@aws-sdk/client-kafka'
import {mockClient} from 'aws-sdk-client-mock'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {bootstrapBrokers, describeCluster, findCluster} from '../../src/aws/kafka.js'
import {ConfigError} from '../../src/errors.js'
import * as msk from './fixtures/msk.js'

const kafka = mockClient(KafkaClient)
const aws = {region: 'us-east-1'}

beforeEach(() => kafka.reset())
afterEach(() => kafka.reset())

describe('src/aws/kafka.ts', () => {
  it('findCluster takes the exact name from a prefix match, across pages', async () => {
    kafka
      .on(ListClustersV2Command)
      .resolvesOnce({
        ClusterInfoList: [{ClusterArn: 'arn:other', ClusterName: 'pinterest-msk-cluster-old', State: 'ACTIVE'}],
        NextToken: 'n',
      })
      .resolves(msk.listClustersV2)
    expect(await findCluster(aws, 'pinterest-msk-cluster')).toEqual({arn: msk.CLUSTER_ARN, name: 'pinterest-msk-cluster', state: 'ACTIVE'})
  })

  it('findCluster names the near misses when there is no exact match', async () => {
    kafka
      .on(ListClustersV2Command)
      .resolves({ClusterInfoList: [{ClusterArn: 'arn:other', ClusterName: 'pinterest-msk-cluster-old', State: 'ACTIVE'}]})
    const error = await findCluster(aws, 'pinterest-msk-cluster').catch((e) => e)
    expect(error).toBeInstanceOf(ConfigError)
    expect(error.hint).toContain('pinterest-msk-cluster-old')
  })

  it('describeCluster returns network and ZooKeeper of a provisioned cluster, and the VPC of a serverless one', async () => {
    kafka.on(DescribeClusterV2Command).resolves(msk.describeClusterV2)
    expect(await describeCluster(aws, msk.CLUSTER_ARN)).toMatchObject({
      type: 'PROVISIONED',
      kafkaVersion: '2.8.1',
      subnets: msk.SUBNETS,
      securityGroups: msk.SECURITY_GROUPS,
      zookeeper: expect.stringContaining(':2181'),
    })
    kafka.on(DescribeClusterV2Command).resolves({
      ClusterInfo: {
        ClusterArn: 'arn:s',
        ClusterName: 's',
        State: 'ACTIVE',
        ClusterType: 'SERVERLESS',
        Serverless: {
          VpcConfigs: [
            {SubnetIds: ['a', 'b'], SecurityGroupIds: ['g']},
            {SubnetIds: ['c'], SecurityGroupIds: ['g']},
          ],
        },
      },
    })
    const serverless = await describeCluster(aws, 'arn:s')
    expect(serverless).toMatchObject({type: 'SERVERLESS', subnets: ['a', 'b', 'c'], securityGroups: ['g']})
    expect(serverless.zookeeper).toBeUndefined()
  })

  it('bootstrapBrokers picks the IAM (9098) or plaintext (9092) string', async () => {
    kafka.on(GetBootstrapBrokersCommand).resolves(msk.getBootstrapBrokers)
    expect(await bootstrapBrokers(aws, msk.CLUSTER_ARN, 'iam')).toBe(msk.IAM_BROKERS)
    expect(await bootstrapBrokers(aws, msk.CLUSTER_ARN, 'plaintext')).toBe(msk.PLAINTEXT_BROKERS)
  })

  it('bootstrapBrokers says when the cluster does not exist', async () => {
    kafka.on(GetBootstrapBrokersCommand).rejects(Object.assign(new Error('not found'), {name: 'NotFoundException'}))
    const error = await bootstrapBrokers(aws, 'arn:gone', 'iam').catch((e) => e)
    expect(error).toBeInstanceOf(ConfigError)
    expect(error.message).toBe('MSK cluster arn:gone not found in us-east-1')
  })
})
