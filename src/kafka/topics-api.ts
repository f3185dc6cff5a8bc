import type {AwsSettings} from '../aws/clients.js'
import {createTopicOnCluster, describeCluster} from '../aws/kafka.js'
import {ConfigError} from '../errors.js'
import type {TopicResult} from './topics.js'

/** MSK's own topic API exists only for provisioned clusters on Kafka 3.6 or newer. */
export function supportsTopicApi(kafkaVersion: string | undefined): boolean {
  const match = /^(\d+)\.(\d+)/.exec(kafkaVersion ?? '')
  if (!match) return false
  const [major, minor] = [Number(match[1]), Number(match[2])]
  return major > 3 || (major === 3 && minor >= 6)
}

/**
 * `topics create --via api`: no SSH, no JVM; MSK creates the topics. Refuses, naming the version,
 * on clusters that do not have the API (the seed's 2.8.1 cluster among them).
 */
export async function createTopicsViaApi(
  aws: AwsSettings,
  clusterArn: string,
  topics: string[],
  options: {partitions?: number; replicationFactor?: number},
): Promise<TopicResult[]> {
  const cluster = await describeCluster(aws, clusterArn)
  if (cluster.type !== 'PROVISIONED' || !supportsTopicApi(cluster.kafkaVersion)) {
    const what = cluster.type === 'PROVISIONED' ? `runs Kafka ${cluster.kafkaVersion ?? '(unknown version)'}` : 'is serverless'
    throw new ConfigError(
      `MSK's topic API needs a provisioned cluster on Kafka 3.6 or newer; ${cluster.name} ${what}`,
      'leave out --via api: topics are then made with kafka-topics.sh on the client host, as in the seed',
    )
  }
  const results: TopicResult[] = []
  for (const name of topics) {
    try {
      const status = await createTopicOnCluster(aws, cluster.arn, {
        name,
        partitions: options.partitions ?? 1,
        replicationFactor: options.replicationFactor ?? 3,
      })
      results.push({topic: name, status})
    } catch (error) {
      results.push({topic: name, status: 'failed', reason: (error as Error).message})
    }
  }
  return results
}
