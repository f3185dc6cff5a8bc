import {type AwsSettings, awsSettings} from '../aws/clients.js'
import {bootstrapBrokers, describeCluster, findCluster} from '../aws/kafka.js'
import type {Config} from '../config/resolve.js'
import {ConfigError} from '../errors.js'

/** The MSK cluster's ARN: the configured ARN, else the one cluster with the configured name. */
export async function clusterArnFor(aws: AwsSettings, cluster: {clusterArn?: string; clusterName?: string}): Promise<string> {
  if (cluster.clusterArn) return cluster.clusterArn
  if (!cluster.clusterName) {
    throw new ConfigError(
      'no MSK cluster: pass --cluster, set PINCTL_CLUSTER or run `pinctl init`',
      'or --cluster-arn / PINCTL_CLUSTER_ARN; `pinctl init` lists the clusters',
    )
  }
  return (await findCluster(aws, cluster.clusterName)).arn
}

/**
 * Bootstrap servers for the client host: an explicit setting wins (local brokers, the sandbox);
 * otherwise MSK is asked for the configured cluster (IAM listener, port 9098, for auth=iam), and
 * DescribeClusterV2 gives the optional ZooKeeper string the seed put in kafka-rest.properties.
 */
export async function resolveBootstrap(
  config: Config,
  aws: AwsSettings = awsSettings(config),
): Promise<{bootstrapServers: string; zookeeper?: string}> {
  if (config.bootstrapServers) return {bootstrapServers: config.bootstrapServers, zookeeper: config.zookeeper}
  if (!config.clusterArn && !config.clusterName) {
    throw new ConfigError(
      'no MSK cluster and no bootstrap servers: pass --cluster or --bootstrap-servers, set PINCTL_CLUSTER or run `pinctl init`',
      'the bootstrap servers are asked of MSK for the cluster; local brokers are given directly',
    )
  }
  const arn = await clusterArnFor(aws, config)
  const [bootstrapServers, info] = await Promise.all([bootstrapBrokers(aws, arn, config.auth), describeCluster(aws, arn)])
  return {bootstrapServers, zookeeper: config.zookeeper ?? info.zookeeper}
}
