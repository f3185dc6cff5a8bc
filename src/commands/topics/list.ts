import {BaseCommand} from '../../base-command.js'
import {kafkaFlags, sshFlags, sshOverrides} from '../../flags.js'
import {listTopics} from '../../kafka/topics.js'
import {resolveBootstrap} from '../../kafka/cluster.js'

export default class TopicsList extends BaseCommand<typeof TopicsList> {
  static summary = 'List the topics on the cluster, as the client host sees them'
  static examples = ['<%= config.bin %> topics list', '<%= config.bin %> topics list --json']
  static flags = {...sshFlags, ...kafkaFlags}

  async run(): Promise<{topics: string[]}> {
    const config = this.settings({...sshOverrides(this.flags), bootstrapServers: this.flags['bootstrap-servers']})
    const {bootstrapServers} = await resolveBootstrap(config, this.awsSettings(config))
    const topics = await this.onHost(config, (session) => listTopics(session, bootstrapServers))
    if (!this.jsonEnabled()) for (const topic of topics) this.log(topic)
    return {topics}
  }
}
