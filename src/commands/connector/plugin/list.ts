import {BaseCommand} from '../../../base-command.js'
import {listPlugins, type PluginRow} from '../../../connect/plugin.js'

export default class ConnectorPluginList extends BaseCommand<typeof ConnectorPluginList> {
  static summary = 'List the MSK Connect custom plugins in the region'
  static description = 'One line per plugin: name, state, latest revision and the S3 object it was made from.'
  static examples = ['<%= config.bin %> connector plugin list', '<%= config.bin %> connector plugin list --json']

  async run(): Promise<{plugins: PluginRow[]}> {
    const config = this.settings()
    const plugins = await listPlugins(this.awsSettings(config))
    if (plugins.length === 0) this.reporter.info(`no custom plugins in ${config.region}`)
    const width = Math.max(4, ...plugins.map((p) => p.name.length))
    for (const plugin of plugins) {
      this.log(
        `${plugin.name.padEnd(width)}  ${plugin.state.padEnd(13)}  rev ${String(plugin.revision ?? '?').padEnd(3)}  ` +
          `${plugin.location ?? '-'}`,
      )
    }
    return {plugins}
  }
}
