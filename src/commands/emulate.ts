import {Flags} from '@oclif/core'

import {BaseCommand} from '../base-command.js'
import {requireSetting} from '../config/resolve.js'
import {InterruptedError, RemoteCommandError} from '../errors.js'
import {dbCredsFlags, sshFlags, sshOverrides} from '../flags.js'
import {type EmulationProgress, runEmulation} from '../kafka/emulate.js'
import {withProxy} from '../kafka/produce.js'
import {type SourceKind, withRecordSource} from '../source/source.js'

export default class Emulate extends BaseCommand<typeof Emulate> {
  static summary = "Post realistic pin/geo/user records through the REST proxy (the seed's posting loop)"
  static description =
    "Each post sends one record of each kind (fields of the seed's pinterest_data, geolocation_data and user_data tables) to <user>.pin, " +
    '<user>.geo and <user>.user. Runs for --count posts, or until Ctrl-C without one. Records are generated from --seed, or with ' +
    '--source db read from the MySQL/MariaDB database of db_creds.yaml (one random row number of the three tables per post, drawn from ' +
    '--seed), so a run can be repeated.'
  static examples = [
    '<%= config.bin %> emulate --count 10',
    '<%= config.bin %> emulate --rate 5',
    '<%= config.bin %> emulate --source db --db-creds db_creds.yaml --count 50',
    '<%= config.bin %> emulate --count 100 --rate 20 --invoke-url https://abc123.execute-api.us-east-1.amazonaws.com/test',
  ]
  static flags = {
    ...sshFlags,
    ...dbCredsFlags,
    count: Flags.integer({description: 'posts to send (default: until Ctrl-C)', min: 1}),
    rate: Flags.integer({description: 'posts per second', default: 2, min: 1, max: 1000}),
    seed: Flags.integer({description: 'seed of the record generator, or of the row numbers with --source db', default: 1}),
    source: Flags.option({
      options: ['generator', 'db'] as const,
      default: 'generator',
      description: 'generator: made-up records; db: rows of the source database (--db-creds)',
    })(),
    'invoke-url': Flags.string({description: 'API Gateway invoke URL (…/test); default: SSH tunnel to the host'}),
  }

  async run(): Promise<EmulationProgress & {interrupted: boolean}> {
    const config = this.settings({...sshOverrides(this.flags), dbCreds: this.flags['db-creds']})
    const topics = requireSetting(config, 'topics')
    const live = Boolean(this.factory.terminal.stderr.isTTY)
    const result = await withRecordSource(this.flags.source as SourceKind, config, this.flags.seed, (source) =>
      withProxy(
        config,
        this.flags['invoke-url'],
        (note) => this.reporter.info(note),
        (transport, via) => {
          const until = this.flags.count ? ` (${this.flags.count} posts)` : ' (Ctrl-C to stop)'
          this.reporter.step(
            `posting ${source.description} to ${topics.pin}, ${topics.geo}, ${topics.user} via ${via} at ${this.flags.rate}/s${until}`,
          )
          return runEmulation(transport, {
            topics,
            records: source.records,
            count: this.flags.count,
            rate: this.flags.rate,
            seed: this.flags.seed,
            signal: this.abort.signal,
            onProgress: (progress) => {
              const line =
                `posts ${progress.posts}  pin ${progress.sent.pin}  geo ${progress.sent.geo}  user ${progress.sent.user}  ` +
                `failed ${progress.failed}`
              // On a terminal one line counts up in place; in a log every tenth post gets a line.
              if (live || progress.posts % 10 === 0) this.reporter.progress(line)
            },
          })
        },
        [topics.pin, topics.geo, topics.user],
        this.factory.openSession,
      ),
    )
    this.reporter.info(`sent ${result.sent.pin} pin, ${result.sent.geo} geo, ${result.sent.user} user record(s); ${result.failed} failed`)
    if (result.failed > 0) {
      this.failAfterResult(
        new RemoteCommandError(
          `${result.failed} record(s) were not written (last: ${result.lastError})`,
          "`pinctl rest-proxy status` and `pinctl rest-proxy logs` show the proxy's side",
        ),
      )
    } else if (result.interrupted && this.flags.count) {
      throw new InterruptedError(`stopped after ${result.posts} of ${this.flags.count} posts`)
    }
    return result
  }
}
