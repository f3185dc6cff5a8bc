import {BaseCommand} from '../../base-command.js'
import {lockFlags, sshFlags, sshOverrides} from '../../flags.js'
import {stopRestProxy} from '../../kafka/rest-proxy-service.js'

export default class RestProxyStop extends BaseCommand<typeof RestProxyStop> {
  static summary = 'Stop the REST proxy on the host'
  static examples = ['<%= config.bin %> rest-proxy stop']
  static flags = {...sshFlags, ...lockFlags}

  async run(): Promise<{wasRunning: boolean}> {
    const config = this.settings(sshOverrides(this.flags))
    const result = await this.onHost(config, (session) =>
      stopRestProxy(session, {
        command: 'rest-proxy stop',
        timeoutMs: this.flags['lock-timeout'],
        signal: this.abort.signal,
        onWait: (holder, waited) => this.reportLockWait(holder, waited),
      }),
    )
    this.reporter.success(result.wasRunning ? 'stopped the REST proxy' : 'the REST proxy was not running')
    return result
  }
}
