import {BaseCommand} from '../../base-command.js'
import {configFileReports, type ConfigFileReport} from '../../config/describe.js'
import {renderTable} from '../../ux/table.js'

export default class ConfigPath extends BaseCommand<typeof ConfigPath> {
  static summary = 'Print the config files pinctl reads, highest precedence first'
  static description =
    'The project file (./pinctl.json, or the file --config / PINCTL_CONFIG names) wins over the user file; flags and ' +
    'environment variables win over both. A missing file is simply not read.'
  static examples = ['<%= config.bin %> config path', '<%= config.bin %> config path --config ./prod.json --json']

  async run(): Promise<{files: ConfigFileReport[]}> {
    const flags = this.flags as {config?: string}
    const files = configFileReports({configFile: flags.config})
    if (!this.jsonEnabled()) {
      this.log(
        renderTable(
          ['FILE', 'EXISTS', 'WHY'],
          files.map((file) => [file.path, file.exists ? 'yes' : 'no', file.reason]),
        ),
      )
    }
    return {files}
  }
}
