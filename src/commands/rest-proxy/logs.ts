import {Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {sshFlags, sshOverrides} from '../../flags.js'
import {RemoteCommandError} from '../../errors.js'
import {NO_LOG_EXIT, restProxyLogsCommand} from '../../kafka/rest-proxy-service.js'
import {runRemote} from '../../ssh/remote-shell.js'
import {sshTarget} from '../../ssh/target.js'

export default class RestProxyLogs extends BaseCommand<typeof RestProxyLogs> {
  static summary = "Show the REST proxy's log on the host (journald, or ~/.pinctl/kafka-rest.log)"
  static examples = [
    '<%= config.bin %> rest-proxy logs',
    '<%= config.bin %> rest-proxy logs --lines 200',
    '<%= config.bin %> rest-proxy logs --follow',
  ]
  static flags = {
    ...sshFlags,
    lines: Flags.integer({char: 'n', description: 'lines to show', default: 50, min: 1}),
    follow: Flags.boolean({char: 'f', description: 'keep printing new lines (Ctrl-C to stop)'}),
  }

  async run(): Promise<void> {
    const target = sshTarget(this.settings(sshOverrides(this.flags)))
    const result = await runRemote(target, restProxyLogsCommand(this.flags.lines, this.flags.follow), {
      capture: false,
      signal: this.abort.signal,
      onNote: (note) => this.reporter.info(note),
    })
    if (result.exitCode === NO_LOG_EXIT) {
      throw new RemoteCommandError(
        `no REST proxy log on ${target.host}: the proxy was never started there`,
        'start it with `pinctl rest-proxy start` (or `pinctl setup-client`)',
      )
    }
    if (result.exitCode) process.exitCode = result.exitCode
  }
}
