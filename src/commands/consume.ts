import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../base-command.js'
import {InterruptedError} from '../errors.js'
import {kafkaFlags, sshFlags, sshOverrides} from '../flags.js'
import {type ConsumedRecord, formatRecord, type OutputFormat, runConsumer} from '../kafka/consume.js'
import {checkGroupName, topicFor} from '../kafka/host-tools.js'
import {resolveBootstrap} from '../provision/cluster.js'
import {withHostSession} from '../ssh/target.js'

export default class Consume extends BaseCommand<typeof Consume> {
  static summary = 'Stream records of a topic with kafka-console-consumer.sh on the host'
  static description = 'Records go to stdout (one per line with --output json), messages to stderr, so the output pipes cleanly. Ctrl-C stops the remote consumer; the exit code is then 130.'
  static examples = [
    '<%= config.bin %> consume pin --from-beginning',
    '<%= config.bin %> consume geo --from-beginning --max-messages 10 --output json | jq .value.country',
    '<%= config.bin %> consume 12b287eedf6d.user --group audit --timeout 30 --output pretty',
  ]
  static args = {topic: Args.string({description: 'pin, geo, user, or a full topic name', required: true})}
  static flags = {
    ...sshFlags,
    ...kafkaFlags,
    group: Flags.string({description: 'consumer group', default: 'students'}),
    'from-beginning': Flags.boolean({description: 'start at the earliest offset (for a new group)'}),
    'max-messages': Flags.integer({description: 'stop after this many records', min: 1}),
    timeout: Flags.integer({description: 'stop after this many seconds without a record', min: 1}),
    output: Flags.option({options: ['raw', 'json', 'pretty'] as const, default: 'raw', description: 'raw: the value; json: one object per line (topic, partition, offset, timestamp, key, value); pretty: readable'})(),
  }

  async run(): Promise<{topic: string; count: number; records: ConsumedRecord[]}> {
    const config = this.settings({...sshOverrides(this.flags), bootstrapServers: this.flags['bootstrap-servers']})
    const topic = topicFor(this.args.topic, config.topics)
    checkGroupName(this.flags.group)
    const {bootstrapServers} = await resolveBootstrap(config)
    const collected: ConsumedRecord[] = []
    const json = this.jsonEnabled()
    const format = this.flags.output as OutputFormat
    this.reporter.step(`consuming ${topic} as group ${this.flags.group} on ${config.host}${this.flags['from-beginning'] ? ' from the beginning' : ''} (Ctrl-C to stop)`)
    const result = await withHostSession(config, (note) => this.reporter.info(note), (session) =>
      runConsumer(
        session,
        {bootstrapServers, topic, group: this.flags.group, fromBeginning: this.flags['from-beginning'], maxMessages: this.flags['max-messages'], timeoutMs: this.flags.timeout ? this.flags.timeout * 1000 : undefined},
        (record) => (json ? collected.push(record) : process.stdout.write(`${formatRecord(record, format)}\n`)),
        this.abort.signal,
        (line) => this.reporter.warn(line),
      ),
    )
    this.reporter.info(`${result.count} record(s) consumed from ${topic}`)
    if (result.interrupted) throw new InterruptedError(`stopped after ${result.count} record(s); the remote consumer was stopped`)
    return {topic, count: result.count, records: collected}
  }
}
