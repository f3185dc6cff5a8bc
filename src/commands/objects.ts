import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../base-command.js'
import {requireSetting} from '../config/resolve.js'
import {formatStoredRecord, readStoredRecords, type StoredFormat, type StoredRecord} from '../connect/objects.js'
import {topicFor} from '../kafka/host-tools.js'

export default class Objects extends BaseCommand<typeof Objects> {
  static summary = 'Print the records the S3 sink connector wrote to the bucket, newest first'
  static description =
    'Reads the JSON objects under topics/<topic>/ in the bucket (user-<user>-bucket by default), the files a notebook mounting the ' +
    'bucket reads. Records go to stdout, one per line (raw: the value; json: {key, partition, offset, value} with the S3 object key), ' +
    'messages to stderr.'
  static examples = [
    '<%= config.bin %> objects pin',
    '<%= config.bin %> objects geo --limit 5 --output pretty',
    '<%= config.bin %> objects user --limit 100 --output json | jq .value.date_joined',
  ]
  static args = {topic: Args.string({description: 'pin, geo, user, or a full topic name', required: true})}
  static flags = {
    bucket: Flags.string({description: 'bucket the sink writes to [default: user-<user>-bucket]'}),
    limit: Flags.integer({description: 'records to print, newest (highest offset) first', default: 20, min: 1}),
    output: Flags.option({
      options: ['raw', 'json', 'pretty'] as const,
      default: 'raw',
      description: 'raw: the value; json: one object per line (key, partition, offset, value); pretty: readable',
    })(),
  }

  async run(): Promise<{bucket: string; topic: string; objects: number; records: StoredRecord[]}> {
    const config = this.settings({bucket: this.flags.bucket})
    const topic = topicFor(this.args.topic, config.topics)
    const bucket = requireSetting(config, 'bucket')
    this.reporter.step(`reading s3://${bucket}/topics/${topic}/`)
    const options = {limit: this.flags.limit, signal: this.abort.signal}
    const {records, objects} = await readStoredRecords(this.awsSettings(config), bucket, topic, options)
    if (!this.jsonEnabled()) {
      for (const record of records) process.stdout.write(`${formatStoredRecord(record, this.flags.output as StoredFormat)}\n`)
    }
    if (objects === 0) {
      this.reporter.warn(`nothing under s3://${bucket}/topics/${topic}/ yet: \`pinctl connector status\` shows whether the connector runs`)
    }
    this.reporter.info(`${records.length} record(s), newest first (${objects} object(s) under s3://${bucket}/topics/${topic}/)`)
    return {bucket, topic, objects, records}
  }
}
