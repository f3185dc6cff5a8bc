import {awsSettings} from '../aws/clients.js'
import {bootstrapBrokers, describeCluster, findCluster} from '../aws/kafka.js'
import type {Config} from '../config/resolve.js'
import {ConfigError} from '../errors.js'

/**
 * Bootstrap servers for the client host: an explicit setting wins (local brokers, the sandbox);
 * otherwise MSK is asked for the configured cluster (IAM listener, port 9098, for auth=iam), and
 * DescribeClusterV2 gives the optional ZooKeeper string the seed put in kafka-rest.properties.
 */
export async function resolveBootstrap(config: Config): Promise<{bootstrapServers: string; zookeeper?: string}> {
  if (config.bootstrapServers) return {bootstrapServers: config.bootstrapServers, zookeeper: config.zookeeper}
  if (!config.clusterArn && !config.clusterName) {
    throw new ConfigError('no bootstrap servers and no MSK cluster configured', 'set clusterName / PINCTL_CLUSTER (`pinctl init` finds it), or pass --bootstrap-servers')
  }
  const aws = awsSettings(config)
  const arn = config.clusterArn ?? (await findCluster(aws, config.clusterName!)).arn
  const [bootstrapServers, info] = await Promise.all([bootstrapBrokers(aws, arn, config.auth), describeCluster(aws, arn)])
  return {bootstrapServers, zookeeper: config.zookeeper ?? info.zookeeper}
}
