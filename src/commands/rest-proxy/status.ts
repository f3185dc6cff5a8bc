import {BaseCommand} from '../../base-command.js'
import {VerifyError} from '../../errors.js'
import {sshFlags, sshOverrides} from '../../flags.js'
import {restProxyStatus, type RestProxyStatus} from '../../kafka/rest-proxy-service.js'

export default class RestProxyStatusCommand extends BaseCommand<typeof RestProxyStatusCommand> {
  static summary = 'Is the REST proxy running on the host, and does GET /topics answer?'
  static description = 'Exits 0 when the proxy runs and answers, 6 otherwise.'
  static examples = ['<%= config.bin %> rest-proxy status', '<%= config.bin %> rest-proxy status --json']
  static flags = {...sshFlags}

  async run(): Promise<RestProxyStatus> {
    const config = this.settings(sshOverrides(this.flags))
    const status = await this.onHost(config, (session) => restProxyStatus(session, config.restProxyPort))
    const how = status.manager === 'systemd' ? 'systemd unit kafka-rest' : 'background process'
    let problem: VerifyError | undefined
    if (!status.installed) problem = new VerifyError('the Confluent package is not installed on the host', 'run `pinctl setup-client`')
    else if (!status.running) problem = new VerifyError(`the REST proxy is not running (${how})`, 'start it with `pinctl rest-proxy start`')
    else if (!status.answers)
      problem = new VerifyError(
        `the REST proxy runs (${how}, pid ${status.pid}) but GET :${config.restProxyPort}/topics fails: ${status.detail}`,
        '`pinctl rest-proxy logs` shows why',
      )
    if (problem) this.failAfterResult(problem)
    else
      this.reporter.success(`running (${how}, pid ${status.pid}); GET :${config.restProxyPort}/topics → ${status.topics!.length} topic(s)`)
    return status
  }
}
