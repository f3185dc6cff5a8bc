import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../base-command.js'
import {RemoteCommandError} from '../errors.js'
import {sshFlags, sshOverrides} from '../flags.js'
import {topicFor} from '../kafka/host-tools.js'
import {withProxy} from '../kafka/produce.js'
import {readRecordsInput} from '../kafka/records-input.js'
import {produceRecords, type RecordOutcome} from '../kafka/rest-proxy.js'

export default class Produce extends BaseCommand<typeof Produce> {
  static summary = 'Send JSON records to a topic through the REST proxy (v2 API)'
  static description =
    'POSTs {"records":[{"value":…}]} (with "key" and "partition" when given) as application/vnd.kafka.json.v2+json, ' +
    "through the API Gateway invoke URL or, by default, an SSH tunnel to the host's :8082. A 200 whose entry carries " +
    'error_code counts as a failure (exit 5).'
  static examples = [
    `<%= config.bin %> produce pin --data '{"index": 1, "title": "hello"}'`,
    '<%= config.bin %> produce geo --file geo.jsonl',
    `echo '{"ind": 7}' | <%= config.bin %> produce user`,
    '<%= config.bin %> produce pin --file pins.jsonl --invoke-url https://abc123.execute-api.us-east-1.amazonaws.com/test',
    `<%= config.bin %> produce pin --key user-7 --partition 0 --data '{"index": 2}'`,
  ]
  static args = {topic: Args.string({description: 'pin, geo, user, or a full topic name', required: true})}
  static flags = {
    ...sshFlags,
    data: Flags.string({description: 'one JSON record, or a JSON array of records', exclusive: ['file']}),
    file: Flags.string({description: 'file with one JSON record per line (or a JSON array); - for stdin'}),
    'invoke-url': Flags.string({description: 'API Gateway invoke URL (…/test); default: SSH tunnel to the host'}),
    key: Flags.string({description: 'key of every record (sent as a JSON string, as kcat -k)'}),
    partition: Flags.integer({description: 'write every record to this partition (default: the producer chooses)', min: 0}),
  }

  async run(): Promise<{topic: string; via: string; records: RecordOutcome[]}> {
    const config = this.settings(sshOverrides(this.flags))
    const topic = topicFor(this.args.topic, config.topics)
    const values = await readRecordsInput({data: this.flags.data, file: this.flags.file}, this.factory.terminal.stdin)
    const result = await withProxy(
      config,
      this.flags['invoke-url'],
      (note) => this.reporter.info(note),
      async (transport, via) => {
        this.reporter.step(`posting ${values.length} record(s) to ${topic} via ${via}`)
        return {via, records: await produceRecords(transport, topic, values, {key: this.flags.key, partition: this.flags.partition})}
      },
      [topic],
      this.factory.openSession,
    )
    for (const outcome of result.records) {
      if (outcome.ok) this.reporter.success(`record ${outcome.index}: partition ${outcome.partition} offset ${outcome.offset}`)
      else this.reporter.error(`record ${outcome.index}: ${outcome.errorCode ? `error_code ${outcome.errorCode}: ` : ''}${outcome.error}`)
    }
    const failed = result.records.filter((outcome) => !outcome.ok).length
    if (failed > 0) {
      this.failAfterResult(
        new RemoteCommandError(
          `${failed} of ${values.length} record(s) were not written`,
          'error_code 50003 is retriable (broker busy or topic missing); 50002 is a Kafka error: see `pinctl rest-proxy logs`',
        ),
      )
    }
    return {topic, ...result}
  }
}
