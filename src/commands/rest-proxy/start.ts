import {BaseCommand} from '../../base-command.js'
import {kafkaFlags, lockFlags, sshFlags, sshOverrides} from '../../flags.js'
import {provisionHost, type ProvisionReport} from '../../provision/runner.js'
import {provisionSettings} from '../../provision/settings.js'
import {renderStepDone} from '../../ux/plan.js'

export default class RestProxyStart extends BaseCommand<typeof RestProxyStart> {
  static summary = 'Start the REST proxy as a service (systemd, or a background process) and wait for GET /topics'
  static description =
    'The setup-client steps rest-properties, rest-proxy and verify: kafka-rest.properties is brought up to date, and the proxy is ' +
    '(re)started only if it is not running with the current configuration. Needs the Confluent package (`pinctl setup-client` installs it).'
  static examples = ['<%= config.bin %> rest-proxy start']
  static flags = {...sshFlags, ...kafkaFlags, ...lockFlags}

  async run(): Promise<ProvisionReport> {
    const config = this.settings({...sshOverrides(this.flags), bootstrapServers: this.flags['bootstrap-servers']})
    const report = await provisionHost({
      ...provisionSettings(config, {}, this.awsSettings(config)),
      dryRun: false,
      only: ['rest-properties', 'rest-proxy', 'verify'],
      onStepDone: (step) => renderStepDone(this.reporter, step),
      onNote: (note) => this.reporter.info(note),
      signal: this.abort.signal,
      command: 'rest-proxy start',
      lockTimeoutMs: this.flags['lock-timeout'],
      onLockWait: (holder, waited) => this.reportLockWait(holder, waited),
      openSession: this.factory.openSession,
    })
    const proxy = report.steps.find((step) => step.name === 'rest-proxy')
    this.reporter.success(
      proxy?.status === 'changed' ? 'REST proxy started and answering' : 'REST proxy already running with the current configuration',
    )
    return report
  }
}
