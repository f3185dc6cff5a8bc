import {Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {requireSetting} from '../../config/resolve.js'
import {deleteConnector, type ConnectorDeleteResult} from '../../connect/connector.js'
import {waitFlags} from '../../connect/connector-flags.js'
import {ConfigError} from '../../errors.js'
import {interactiveTerminal} from '../../factory.js'
import {terminalPrompter} from '../../ux/prompts.js'

export default class ConnectorDelete extends BaseCommand<typeof ConnectorDelete> {
  static summary = 'Delete the S3 sink connector (the plugin and the objects in the bucket stay)'
  static description =
    'Asks for confirmation on a terminal; without one (scripts, CI) it refuses unless --yes is given (exit 2). Waits until MSK Connect ' +
    'has removed the connector. A connector that does not exist is not an error.'
  static examples = [
    '<%= config.bin %> connector delete',
    '<%= config.bin %> connector delete --yes --no-wait',
    '<%= config.bin %> connector delete --yes --json',
  ]
  static flags = {
    'connector-name': Flags.string({description: 'connector name [default: <user>-connector]', env: 'PINCTL_CONNECTOR'}),
    yes: Flags.boolean({char: 'y', description: 'do not ask for confirmation'}),
    ...waitFlags('30m'),
  }

  async run(): Promise<ConnectorDeleteResult> {
    const config = this.settings({connectorName: this.flags['connector-name']})
    const connectorName = requireSetting(config, 'connectorName')
    if (!this.flags.yes) {
      if (!interactiveTerminal(this.factory.terminal)) {
        throw new ConfigError(
          `refusing to delete connector ${connectorName} without confirmation (no terminal to ask on)`,
          'pass --yes to delete it non-interactively',
        )
      }
      const sure = await terminalPrompter.confirm({
        message: `Delete MSK Connect connector ${connectorName} in ${config.region}?`,
        default: false,
      })
      if (!sure) {
        this.reporter.info('not deleted')
        return {connectorName, status: 'kept'}
      }
    }
    const result = await deleteConnector({
      aws: this.awsSettings(config),
      connectorName,
      wait: this.flags.wait,
      timeoutMs: this.flags.timeout,
      signal: this.abort.signal,
      progress: this.reporter,
    })
    if (result.status === 'deleted') this.reporter.success(`deleted connector ${connectorName}`)
    if (result.status === 'deleting') this.reporter.success(`connector ${connectorName} is being deleted`)
    return result
  }
}
