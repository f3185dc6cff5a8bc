import {BaseCommand} from '../../base-command.js'
import {describeSettings, type SettingReport} from '../../config/describe.js'
import {kafkaFlags, sshFlags, sshOverrides} from '../../flags.js'
import {renderTable} from '../../ux/table.js'

export default class ConfigShow extends BaseCommand<typeof ConfigShow> {
  static summary = 'Show every setting, its value and where it came from'
  static description =
    'Like `aws configure list` and `git config --show-origin`: each setting with its source — a flag, an environment ' +
    'variable (named), the config file or the user file (with its path), a default, or derived from the user id. The ' +
    'global flags apply, so `pinctl config --user x` shows what a command given --user x would use. Reads files only: ' +
    'no AWS call, no SSH.'
  static aliases = ['config:show']
  static examples = [
    '<%= config.bin %> config',
    '<%= config.bin %> config --user 12b287eedf6d --region eu-west-1',
    '<%= config.bin %> config show --json | jq \'.settings[] | select(.source != "not set")\'',
  ]

  static flags = {...sshFlags, ...kafkaFlags}

  async run(): Promise<{settings: SettingReport[]}> {
    const settings = describeSettings(this.settings({...sshOverrides(this.flags), bootstrapServers: this.flags['bootstrap-servers']}))
    if (!this.jsonEnabled()) {
      const rows = settings.map((setting) => [setting.key, setting.value === null ? '-' : String(setting.value), setting.source])
      this.log(renderTable(['SETTING', 'VALUE', 'SOURCE'], rows))
    }
    return {settings}
  }
}
