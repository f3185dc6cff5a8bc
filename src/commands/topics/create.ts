import {Flags} from '@oclif/core'

import {awsSettings} from '../../aws/clients.js'
import {BaseCommand} from '../../base-command.js'
import {requireSetting} from '../../config/resolve.js'
import {RemoteCommandError} from '../../errors.js'
import {kafkaFlags, sshFlags, sshOverrides} from '../../flags.js'
import {checkTopicName} from '../../kafka/host-tools.js'
import {createTopicsViaApi} from '../../kafka/topics-api.js'
import {createTopics, type TopicResult} from '../../kafka/topics.js'
import {clusterArnFor, resolveBootstrap} from '../../kafka/cluster.js'

export default class TopicsCreate extends BaseCommand<typeof TopicsCreate> {
  static summary = 'Create the <user>.pin, <user>.geo and <user>.user topics (if not present)'
  static description = 'Runs kafka-topics.sh --create --if-not-exists on the client host with client.properties, all topics in one remote command with their JVMs side by side. Reports created / already present / failed per topic; exits 5 if any failed.'
  static examples = [
    '<%= config.bin %> topics create --user 12b287eedf6d',
    '<%= config.bin %> topics create --topic 12b287eedf6d.audit --partitions 3 --replication-factor 3',
    '<%= config.bin %> topics create --json',
    '<%= config.bin %> topics create --via api --replication-factor 3   # Kafka >= 3.6 clusters',
  ]
  static flags = {
    ...sshFlags,
    ...kafkaFlags,
    topic: Flags.string({description: 'another topic to create as well (repeatable)', multiple: true}),
    partitions: Flags.integer({description: 'partitions per topic (default: the broker default)', min: 1}),
    'replication-factor': Flags.integer({description: 'replicas per partition (default: the broker default; 3 with --via api)', min: 1}),
    via: Flags.option({options: ['host', 'api'] as const, default: 'host', description: "host: kafka-topics.sh on the client host (the seed's way); api: MSK's topic API (Kafka ≥ 3.6 clusters only)"})(),
  }

  async run(): Promise<{topics: TopicResult[]}> {
    const config = this.settings({...sshOverrides(this.flags), bootstrapServers: this.flags['bootstrap-servers']})
    const {pin, geo, user} = requireSetting(config, 'topics')
    const topics = [...new Set([pin, geo, user, ...(this.flags.topic ?? []).map(checkTopicName)])]
    const options = {partitions: this.flags.partitions, replicationFactor: this.flags['replication-factor']}
    let results: TopicResult[]
    if (this.flags.via === 'api') {
      const aws = awsSettings(config)
      const clusterArn = await clusterArnFor(aws, config)
      this.reporter.step(`creating ${topics.join(', ')} with MSK's topic API`)
      results = await createTopicsViaApi(aws, clusterArn, topics, options)
    } else {
      const {bootstrapServers} = await resolveBootstrap(config)
      this.reporter.step(`creating ${topics.join(', ')} (kafka-topics.sh --if-not-exists on ${config.host})`)
      results = await this.onHost(config, (session) => createTopics(session, {bootstrapServers, topics, ...options}))
    }
    for (const result of results) {
      if (result.status === 'created') this.reporter.success(`${result.topic}: created`)
      else if (result.status === 'exists') this.reporter.success(`${result.topic}: already present`)
      else this.reporter.error(`${result.topic}: failed: ${result.reason}`)
    }
    const failed = results.filter((result) => result.status === 'failed')
    if (failed.length > 0) {
      this.failAfterResult(new RemoteCommandError(`${failed.length} of ${results.length} topics could not be created`, 'see the reasons above; `pinctl doctor` checks broker reachability and permissions'))
    }
    return {topics: results}
  }
}
