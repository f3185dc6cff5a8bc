import {Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {requireSetting, type Config} from '../../config/resolve.js'
import {RemoteCommandError} from '../../errors.js'
import {inventoryFlags, kafkaFlags, sshFlags, sshOverrides} from '../../flags.js'
import {topicsOutcome} from '../../inventory/outcomes.js'
import type {InventoryReport} from '../../inventory/run.js'
import {checkTopicName} from '../../kafka/host-tools.js'
import {createTopicsViaApi} from '../../kafka/topics-api.js'
import {createTopics, failedTopicsMessage, type TopicResult} from '../../kafka/topics.js'
import {clusterArnFor, resolveBootstrap} from '../../kafka/cluster.js'

export default class TopicsCreate extends BaseCommand<typeof TopicsCreate> {
  static summary = 'Create the <user>.pin, <user>.geo and <user>.user topics (if not present)'
  static description =
    'Runs kafka-topics.sh --create --if-not-exists on the client host with client.properties, all topics in one remote command with ' +
    'their JVMs side by side. Reports created / already present / failed per topic; exits 5 if any failed.'
  static examples = [
    '<%= config.bin %> topics create --user 12b287eedf6d',
    '<%= config.bin %> topics create --topic 12b287eedf6d.audit --partitions 3 --replication-factor 3',
    '<%= config.bin %> topics create --json',
    "<%= config.bin %> topics create --inventory hosts.yaml   # each entry's user id names its topics",
    '<%= config.bin %> topics create --via api --replication-factor 3   # Kafka >= 3.6 clusters',
  ]
  static flags = {
    ...sshFlags,
    ...kafkaFlags,
    ...inventoryFlags,
    topic: Flags.string({description: 'another topic to create as well (repeatable)', multiple: true}),
    partitions: Flags.integer({description: 'partitions per topic (default: the broker default)', min: 1}),
    'replication-factor': Flags.integer({description: 'replicas per partition (default: the broker default; 3 with --via api)', min: 1}),
    via: Flags.option({
      options: ['host', 'api'] as const,
      default: 'host',
      description: "host: kafka-topics.sh on the client host (the seed's way); api: MSK's topic API (Kafka ≥ 3.6 clusters only)",
    })(),
  }

  async run(): Promise<{topics: TopicResult[]} | InventoryReport<{topics: TopicResult[]}>> {
    const overrides = {...sshOverrides(this.flags), bootstrapServers: this.flags['bootstrap-servers']}
    if (this.flags.inventory) {
      return this.onEveryHost(overrides, async ({config, label}) =>
        topicsOutcome(await this.createTopicsFor(config, (note) => this.reporter.info(`[${label}] ${note}`))),
      )
    }
    const config = this.settings(overrides)
    const results = await this.createTopicsFor(
      config,
      (note) => this.reporter.info(note),
      (message) => this.reporter.step(message),
    )
    for (const result of results) {
      if (result.status === 'created') this.reporter.success(`${result.topic}: created`)
      else if (result.status === 'exists') this.reporter.success(`${result.topic}: already present`)
      else this.reporter.error(`${result.topic}: failed: ${result.reason}`)
    }
    const failed = results.filter((result) => result.status === 'failed')
    if (failed.length > 0) {
      const hint = 'see the reasons above; `pinctl doctor` checks broker reachability and permissions'
      this.failAfterResult(new RemoteCommandError(failedTopicsMessage(failed.length, results.length), hint))
    }
    return {topics: results}
  }

  /** The user's three topics and any --topic, on the host of `config` (or with MSK's API for --via api). */
  private async createTopicsFor(config: Config, onNote: (note: string) => void, announce?: (step: string) => void): Promise<TopicResult[]> {
    const {pin, geo, user} = requireSetting(config, 'topics')
    const topics = [...new Set([pin, geo, user, ...(this.flags.topic ?? []).map(checkTopicName)])]
    const options = {partitions: this.flags.partitions, replicationFactor: this.flags['replication-factor']}
    if (this.flags.via === 'api') {
      const aws = this.awsSettings(config)
      const clusterArn = await clusterArnFor(aws, config)
      announce?.(`creating ${topics.join(', ')} with MSK's topic API`)
      return createTopicsViaApi(aws, clusterArn, topics, options)
    }
    const {bootstrapServers} = await resolveBootstrap(config, this.awsSettings(config))
    announce?.(`creating ${topics.join(', ')} (kafka-topics.sh --if-not-exists on ${config.host})`)
    return this.onHost(config, (session) => createTopics(session, {bootstrapServers, topics, ...options}), onNote)
  }
}
