import {Flags} from '@oclif/core'
import {styleText} from 'node:util'

import {BaseCommand} from '../../base-command.js'
import {requireSetting} from '../../config/resolve.js'
import {durationFlagWithDefault} from '../../flags.js'
import {connectorStatus, renderStatus, type ConnectorStatus, watchConnectorStatus} from '../../connect/status.js'

export default class ConnectorStatusCommand extends BaseCommand<typeof ConnectorStatusCommand> {
  static summary = 'Show the plugin, the connector and the objects the sink has written per topic'
  static description =
    `Plugin state; connector state with MSK Connect's failure reason and worker capacity; and for each of the three ` +
    `topics the number of objects, their size and the newest object's time under topics/<topic>/ in the bucket. --watch refreshes until ` +
    `Ctrl-C (with --json: one JSON document per line).`
  static examples = [
    '<%= config.bin %> connector status',
    '<%= config.bin %> connector status --watch --interval 5s',
    "<%= config.bin %> connector status --json | jq '.topics[] | {topic, objects}'",
  ]
  static flags = {
    'connector-name': Flags.string({description: 'connector name [default: <user>-connector]', env: 'PINCTL_CONNECTOR'}),
    'plugin-name': Flags.string({description: 'custom plugin name [default: <user>-plugin]', env: 'PINCTL_PLUGIN'}),
    bucket: Flags.string({description: 'bucket the sink writes to [default: user-<user>-bucket]', env: 'PINCTL_BUCKET'}),
    watch: Flags.boolean({char: 'w', description: 'refresh until Ctrl-C'}),
    interval: durationFlagWithDefault('10s', {description: 'refresh interval for --watch (e.g. 5s)'}),
  }

  async run(): Promise<ConnectorStatus | void> {
    const config = this.settings({
      connectorName: this.flags['connector-name'],
      pluginName: this.flags['plugin-name'],
      bucket: this.flags.bucket,
    })
    const topics = requireSetting(config, 'topics')
    const options = {
      aws: this.awsSettings(config),
      pluginName: requireSetting(config, 'pluginName'),
      connectorName: requireSetting(config, 'connectorName'),
      bucket: requireSetting(config, 'bucket'),
      topics: [topics.pin, topics.geo, topics.user],
      signal: this.abort.signal,
    }
    const paint = (style: Parameters<typeof styleText>[0], text: string) => styleText(style, text, {stream: process.stdout})
    if (!this.flags.watch) {
      const status = await connectorStatus(options)
      for (const line of renderStatus(status, paint)) this.log(line)
      return status
    }
    // Ctrl-C ends a watch normally, not as an error.
    await watchConnectorStatus(options, {
      intervalMs: this.flags.interval,
      onStatus: (status) => {
        if (this.jsonEnabled()) {
          process.stdout.write(`${JSON.stringify(status)}\n`)
          return
        }
        if (this.factory.terminal.stdout.isTTY) this.factory.terminal.stdout.write('\u001B[2J\u001B[H')
        this.log(paint('dim', `${status.checkedAt}  (every ${Math.round(this.flags.interval / 1000)}s, Ctrl-C to stop)`))
        for (const line of renderStatus(status, paint)) this.log(line)
      },
    })
  }
}
