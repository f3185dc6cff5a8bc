import {Args, Flags} from '@oclif/core'
import {setFlagsFromString} from 'node:v8'

import {BaseCommand} from '../base-command.js'
import {InterruptedError} from '../errors.js'
import {durationFlag, kafkaFlags, sshFlags, sshOverrides} from '../flags.js'
import {type ConsumedRecord, formatRecord, type OutputFormat, parseStartOffset, runConsumer} from '../kafka/consume.js'
import {checkGroupName, topicFor} from '../kafka/host-tools.js'
import {resolveBootstrap} from '../kafka/cluster.js'
import {writeData} from '../ux/output.js'

export default class Consume extends BaseCommand<typeof Consume> {
  static summary = 'Stream records of a topic with kafka-console-consumer.sh on the host'
  static description = [
    'Records go to stdout as they arrive, messages to stderr, so the output pipes cleanly. Two JSON forms: --output json',
    'streams one object per record, a line each, as it arrives (for jq and pipes); --json prints one document',
    '{topic, count, records} when the consumer stops (for scripts; give --max-messages or --timeout). Ctrl-C stops the',
    'remote consumer; the exit code is then 130.\n\nAs with kafka-console-consumer.sh, --partition reads one partition',
    'without a consumer group, and --offset (beginning, end or a number) says where in it to start.',
  ].join(' ')
  static examples = [
    '<%= config.bin %> consume pin --from-beginning',
    '<%= config.bin %> consume geo --from-beginning --max-messages 10 --output json | jq .value.country',
    '<%= config.bin %> consume 12b287eedf6d.user --group audit --timeout 30s --output pretty',
    '<%= config.bin %> consume pin --partition 0 --offset 3 --max-messages 5 --print-key',
    '<%= config.bin %> consume pin --from-beginning --timeout 10s --json | jq .count',
  ]
  static args = {topic: Args.string({description: 'pin, geo, user, or a full topic name', required: true})}
  static flags = {
    ...sshFlags,
    ...kafkaFlags,
    group: Flags.string({description: 'consumer group [default: students]', exclusive: ['partition']}),
    'from-beginning': Flags.boolean({description: 'start at the earliest offset (for a new group)', exclusive: ['offset']}),
    partition: Flags.integer({description: 'read only this partition (no consumer group)', min: 0}),
    offset: Flags.custom<string>({parse: async (input) => parseStartOffset(input)!})({
      description: 'where to start in --partition: beginning, end, or an offset number',
      dependsOn: ['partition'],
    }),
    'max-messages': Flags.integer({description: 'stop after this many records', min: 1}),
    timeout: durationFlag({description: 'stop after this long without a record (e.g. 30, 30s, 5m)'}),
    output: Flags.option({
      options: ['raw', 'json', 'pretty'] as const,
      description:
        'raw: the value; json: one object per record and line, streamed (topic, partition, offset, timestamp, key, value); ' +
        'pretty: readable [default: raw]',
      exclusive: ['json'],
    })(),
    'print-key': Flags.boolean({description: 'raw output: print the key, a tab, then the value (as kcat -K\\t)'}),
  }

  async run(): Promise<{topic: string; count: number; records: ConsumedRecord[]}> {
    const config = this.settings({...sshOverrides(this.flags), bootstrapServers: this.flags['bootstrap-servers']})
    const topic = topicFor(this.args.topic, config.topics)
    if (this.flags.group !== undefined) checkGroupName(this.flags.group)
    const {bootstrapServers} = await resolveBootstrap(config, this.awsSettings(config))
    const collected: ConsumedRecord[] = []
    const json = this.jsonEnabled()
    const format = (this.flags.output ?? 'raw') as OutputFormat
    const group = this.flags.partition === undefined ? (this.flags.group ?? 'students') : undefined
    const startOffset = this.flags.offset
    const printKey = this.flags['print-key']
    const start = this.flags.offset ? ` from offset ${this.flags.offset}` : this.flags['from-beginning'] ? ' from the beginning' : ''
    const where = group ? `as group ${group}` : `partition ${this.flags.partition}`
    this.reporter.step(`consuming ${topic} ${where}${start} on ${config.host} (Ctrl-C to stop)`)
    // Streaming parses and formats every record: short-lived garbage at a high rate, for which V8 would
    // grow its young generation to 64 MB. Kept at its start size (read by V8 at each growth), the peak
    // stays ~50 MB lower at 100,000 records for about the same time (bench/RESULTS.md).
    if (!json) setFlagsFromString('--semi-space-growth-factor=1')
    // The reader of our output went away (`pinctl consume pin | head`): stop the remote consumer and end quietly.
    const outputGone = new AbortController()
    const onOutputError = (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') outputGone.abort()
    }
    process.stdout.on('error', onOutputError)
    const result = await this.onHost(config, (session) =>
      runConsumer(
        session,
        {
          bootstrapServers,
          topic,
          group,
          partition: this.flags.partition,
          startOffset,
          fromBeginning: this.flags['from-beginning'],
          maxMessages: this.flags['max-messages'],
          timeoutMs: this.flags.timeout,
        },
        (records) =>
          json
            ? void collected.push(...records)
            : writeData(`${records.map((record) => formatRecord(record, format, {printKey})).join('\n')}\n`),
        AbortSignal.any([this.abort.signal, outputGone.signal]),
        (line) => this.reporter.warn(line),
      ),
    ).finally(() => process.stdout.off('error', onOutputError))
    this.reporter.info(`${result.count} record(s) consumed from ${topic}`)
    if (result.interrupted && outputGone.signal.aborted && !this.abort.signal.aborted)
      this.reporter.info('the output was closed: the remote consumer was stopped')
    else if (result.interrupted) throw new InterruptedError(`stopped after ${result.count} record(s); the remote consumer was stopped`)
    return {topic, count: result.count, records: collected}
  }
}
