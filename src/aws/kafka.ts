import {AwsError, ConfigError} from '../errors.js'
import {awsCall, awsClient, awsPages, type AwsSettings} from './clients.js'

export interface ClusterRef {
  arn: string
  name: string
  state: string
}

/** What pinctl needs from DescribeClusterV2: the network a connector must join and the ZooKeeper string. */
export interface ClusterInfo extends ClusterRef {
  type: 'PROVISIONED' | 'SERVERLESS'
  kafkaVersion?: string
  subnets: string[]
  securityGroups: string[]
  /** Absent on KRaft and serverless clusters. */
  zookeeper?: string
  zookeeperTls?: string
}

export type BrokerAuth = 'iam' | 'plaintext'

function kafkaClient(settings: AwsSettings) {
  return awsClient(
    'KAFKA',
    settings,
    () => import('@aws-sdk/client-kafka'),
    (sdk, config) => new sdk.KafkaClient(config),
  )
}

function clusterNotFound(what: string, settings: AwsSettings) {
  return (name: string) =>
    name === 'NotFoundException'
      ? new ConfigError(
          `MSK cluster ${what} not found in ${settings.region}`,
          'check clusterName / clusterArn (PINCTL_CLUSTER / PINCTL_CLUSTER_ARN) and --region; `aws kafka list-clusters-v2` lists them',
        )
      : undefined
}

/** Every cluster in the region (ListClustersV2, every page) for `pinctl init`, or those whose name starts with `namePrefix`. */
export async function listClusters(settings: AwsSettings, namePrefix?: string): Promise<ClusterRef[]> {
  const {sdk, client} = await kafkaClient(settings)
  const found: ClusterRef[] = []
  for await (const page of awsPages('kafka:ListClustersV2', sdk.paginateListClustersV2({client}, {ClusterNameFilter: namePrefix}))) {
    for (const cluster of page.ClusterInfoList ?? []) {
      if (cluster.ClusterArn && cluster.ClusterName) {
        found.push({arn: cluster.ClusterArn, name: cluster.ClusterName, state: cluster.State ?? 'UNKNOWN'})
      }
    }
  }
  return found
}

/** The cluster with exactly this name (ListClustersV2's filter matches a name prefix). */
export async function findCluster(settings: AwsSettings, name: string): Promise<ClusterRef> {
  const found = await listClusters(settings, name)
  const exact = found.find((cluster) => cluster.name === name)
  if (exact) return exact
  const similar = found.map((cluster) => cluster.name)
  throw new ConfigError(
    `no MSK cluster named ${JSON.stringify(name)} in ${settings.region}`,
    similar.length > 0
      ? `clusters starting with that name: ${similar.join(', ')}`
      : 'check clusterName (PINCTL_CLUSTER) and --region; `aws kafka list-clusters-v2` lists them',
  )
}

export async function describeCluster(settings: AwsSettings, arn: string): Promise<ClusterInfo> {
  const {sdk, client} = await kafkaClient(settings)
  const answer = await awsCall(
    'kafka:DescribeClusterV2',
    () => client.send(new sdk.DescribeClusterV2Command({ClusterArn: arn})),
    clusterNotFound(arn, settings),
  )
  const info = answer.ClusterInfo
  if (!info?.ClusterArn) throw new AwsError(`MSK returned no description for cluster ${arn}`)
  const base = {arn: info.ClusterArn, name: info.ClusterName ?? arn, state: info.State ?? 'UNKNOWN'}
  if (info.Serverless) {
    const vpcs = info.Serverless.VpcConfigs ?? []
    return {
      ...base,
      type: 'SERVERLESS',
      subnets: vpcs.flatMap((vpc) => vpc.SubnetIds ?? []),
      securityGroups: [...new Set(vpcs.flatMap((vpc) => vpc.SecurityGroupIds ?? []))],
    }
  }
  const provisioned = info.Provisioned
  return {
    ...base,
    type: 'PROVISIONED',
    kafkaVersion: provisioned?.CurrentBrokerSoftwareInfo?.KafkaVersion,
    subnets: provisioned?.BrokerNodeGroupInfo?.ClientSubnets ?? [],
    securityGroups: provisioned?.BrokerNodeGroupInfo?.SecurityGroups ?? [],
    zookeeper: provisioned?.ZookeeperConnectString || undefined,
    zookeeperTls: provisioned?.ZookeeperConnectStringTls || undefined,
  }
}

/** The broker string for an auth mode: SASL/IAM (port 9098) for `iam`, plaintext (9092) for `plaintext`. */
export async function bootstrapBrokers(settings: AwsSettings, arn: string, auth: BrokerAuth): Promise<string> {
  const {sdk, client} = await kafkaClient(settings)
  const answer = await awsCall(
    'kafka:GetBootstrapBrokers',
    () => client.send(new sdk.GetBootstrapBrokersCommand({ClusterArn: arn})),
    clusterNotFound(arn, settings),
  )
  const brokers = auth === 'iam' ? answer.BootstrapBrokerStringSaslIam : answer.BootstrapBrokerString
  if (brokers) return brokers
  const offered = [
    answer.BootstrapBrokerStringSaslIam && 'iam (9098)',
    answer.BootstrapBrokerString && 'plaintext (9092)',
    answer.BootstrapBrokerStringTls && 'tls (9094)',
    answer.BootstrapBrokerStringSaslScram && 'scram (9096)',
  ].filter(Boolean)
  throw new ConfigError(
    `MSK cluster ${arn} has no ${auth === 'iam' ? 'IAM (SASL_SSL, 9098)' : 'plaintext (9092)'} listener`,
    offered.length > 0
      ? `the cluster offers: ${offered.join(', ')}; enable ` +
          `${auth === 'iam' ? 'IAM client authentication on the cluster' : 'plaintext traffic'} or set auth (PINCTL_AUTH) to match`
      : 'the cluster is not ready yet, or the identity in use cannot see its brokers',
  )
}

class TopicExists extends Error {}

/** MSK's topic API (Kafka ≥ 3.6, provisioned): 'exists' when the topic is already there. */
export async function createTopicOnCluster(
  settings: AwsSettings,
  arn: string,
  topic: {name: string; partitions: number; replicationFactor: number},
): Promise<'created' | 'exists'> {
  const {sdk, client} = await kafkaClient(settings)
  try {
    await awsCall(
      'kafka:CreateTopic',
      () =>
        client.send(
          new sdk.CreateTopicCommand({
            ClusterArn: arn,
            TopicName: topic.name,
            PartitionCount: topic.partitions,
            ReplicationFactor: topic.replicationFactor,
          }),
        ),
      (name, error) => (name === 'ConflictException' || /already exists/i.test(error.message) ? new TopicExists() : undefined),
    )
    return 'created'
  } catch (error) {
    if (error instanceof TopicExists) return 'exists'
    throw error
  }
}
