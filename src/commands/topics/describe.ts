import {Args} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {kafkaFlags, sshFlags, sshOverrides} from '../../flags.js'
import {topicFor} from '../../kafka/host-tools.js'
import {describeTopics, type TopicDescription} from '../../kafka/topics.js'
import {resolveBootstrap} from '../../kafka/cluster.js'

export default class TopicsDescribe extends BaseCommand<typeof TopicsDescribe> {
  static summary = 'Partitions, replication, leader and ISR of one topic or all'
  static examples = [
    '<%= config.bin %> topics describe pin',
    '<%= config.bin %> topics describe 12b287eedf6d.geo --json',
    '<%= config.bin %> topics describe',
  ]
  static args = {topic: Args.string({description: 'pin, geo, user or a full topic name (default: all)'})}
  static flags = {...sshFlags, ...kafkaFlags}

  async run(): Promise<{topics: TopicDescription[]}> {
    const config = this.settings({...sshOverrides(this.flags), bootstrapServers: this.flags['bootstrap-servers']})
    const topic = this.args.topic ? topicFor(this.args.topic, config.topics) : undefined
    const {bootstrapServers} = await resolveBootstrap(config, this.awsSettings(config))
    const topics = await this.onHost(config, (session) => describeTopics(session, bootstrapServers, topic))
    if (!this.jsonEnabled()) {
      for (const entry of topics) {
        const configs = entry.configs ? ` configs=${entry.configs}` : ''
        this.log(`${entry.topic}  partitions=${entry.partitionCount} replication=${entry.replicationFactor}${configs}`)
        for (const p of entry.partitions)
          this.log(`  partition ${p.partition}  leader=${p.leader ?? 'none'}  replicas=${p.replicas.join(',')}  isr=${p.isr.join(',')}`)
      }
    }
    return {topics}
  }
}
