import {Flags} from '@oclif/core'

import {BaseCommand} from '../base-command.js'
import {requireSetting} from '../config/resolve.js'
import {InterruptedError, RemoteCommandError} from '../errors.js'
import {sshFlags, sshOverrides} from '../flags.js'
import {type EmulationProgress, runEmulation} from '../kafka/emulate.js'
import {withProxy} from '../kafka/produce.js'

export default class Emulate extends BaseCommand<typeof Emulate> {
  static summary = "Post realistic pin/geo/user records through the REST proxy (the seed's posting loop)"
  static description = 'Each post sends one record of each kind (fields of the seed\'s pinterest_data, geolocation_data and user_data tables) to <user>.pin, <user>.geo and <user>.user. Runs for --count posts, or until Ctrl-C without one. Records are generated from --seed, so a run can be repeated.'
  static examples = [
    '<%= config.bin %> emulate --count 10',
    '<%= config.bin %> emulate --rate 5',
    '<%= config.bin %> emulate --count 100 --rate 20 --invoke-url https://abc123.execute-api.us-east-1.amazonaws.com/test',
  ]
  static flags = {
    ...sshFlags,
    count: Flags.integer({description: 'posts to send (default: until Ctrl-C)', min: 1}),
    rate: Flags.integer({description: 'posts per second', default: 2, min: 1, max: 1000}),
    seed: Flags.integer({description: 'seed of the record generator', default: 1}),
    'invoke-url': Flags.string({description: 'API Gateway invoke URL (…/test); default: SSH tunnel to the host'}),
  }

  async run(): Promise<EmulationProgress & {interrupted: boolean}> {
    const config = this.settings(sshOverrides(this.flags))
    const topics = requireSetting(config, 'topics', 'pass --user 12b287eedf6d (or set PINCTL_USER): the topics are named after it')
    const live = Boolean(process.stderr.isTTY)
    const result = await withProxy(config, this.flags['invoke-url'], (note) => this.reporter.info(note), (transport, via) => {
      this.reporter.step(`posting to ${topics.pin}, ${topics.geo}, ${topics.user} via ${via} at ${this.flags.rate}/s${this.flags.count ? ` (${this.flags.count} posts)` : ' (Ctrl-C to stop)'}`)
      return runEmulation(transport, {
        topics,
        count: this.flags.count,
        rate: this.flags.rate,
        seed: this.flags.seed,
        signal: this.abort.signal,
        onProgress: (progress) => {
          const line = `posts ${progress.posts}  pin ${progress.sent.pin}  geo ${progress.sent.geo}  user ${progress.sent.user}  failed ${progress.failed}`
          // On a terminal one line counts up in place; in a log every tenth post gets a line.
          if (live || progress.posts % 10 === 0) this.reporter.progress(line)
        },
      })
    }, [topics.pin, topics.geo, topics.user])
    this.reporter.info(`sent ${result.sent.pin} pin, ${result.sent.geo} geo, ${result.sent.user} user record(s); ${result.failed} failed`)
    if (result.failed > 0) {
      const error = new RemoteCommandError(`${result.failed} record(s) were not written (last: ${result.lastError})`, '`pinctl rest-proxy status` and `pinctl rest-proxy logs` show the proxy\'s side')
      if (!this.jsonEnabled()) throw error
      process.exitCode = error.exitCode
    } else if (result.interrupted && this.flags.count) {
      throw new InterruptedError(`stopped after ${result.posts} of ${this.flags.count} posts`)
    }
    return result
  }
}
