import {Flags} from '@oclif/core'

import {BaseCommand} from '../base-command.js'
import {ConfigError} from '../errors.js'
import {sshFlags, sshOverrides} from '../flags.js'
import {openShell, runRemote, type RemoteRunResult} from '../ssh/remote-shell.js'
import {sshTarget} from '../ssh/target.js'

export default class Ssh extends BaseCommand<typeof Ssh> {
  static summary = 'Open a shell on the EC2 client host, or run one command there'
  static description =
    'With a command after `--`, runs it on the host (as ssh does, the words are joined and read by the remote shell) and exits with its ' +
    "exit code. Without one, opens an interactive shell with the system ssh client, using the configured key and pinctl's verified " +
    'known_hosts.'
  static examples = [
    '<%= config.bin %> ssh',
    '<%= config.bin %> ssh -- uname -a',
    "<%= config.bin %> ssh -- 'ls ~/kafka_2.12-2.8.1/libs | grep iam'",
    '<%= config.bin %> ssh --json -- java -version',
  ]
  static strict = false
  static flags = {
    ...sshFlags,
    tty: Flags.boolean({description: 'force a terminal for the command (like ssh -t)', default: false}),
  }

  async run(): Promise<RemoteRunResult | void> {
    const target = sshTarget(this.settings(sshOverrides(this.flags)))
    const command = this.rest.join(' ').trim()
    const onNote = (message: string) => this.reporter.info(message)
    if (!command || this.flags.tty) {
      if (!this.factory.terminal.stdin.isTTY) {
        throw new ConfigError(
          'an interactive shell needs a terminal, and stdin is not one',
          'give a command after --, e.g. `pinctl ssh -- uname -a`',
        )
      }
      process.exitCode = await openShell(target, command, onNote, this.factory.openSession)
      return
    }
    const result = await runRemote(target, command, {
      capture: this.jsonEnabled(),
      signal: this.abort.signal,
      onNote,
      open: this.factory.openSession,
      output: this.factory.terminal,
    })
    process.exitCode = result.exitCode ?? 255
    return result
  }
}
