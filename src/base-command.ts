import {Command, Flags, Interfaces} from '@oclif/core'

import {type AwsSettings, awsSettings} from './aws/clients.js'
import {resolveConfig, type Config, type ResolveOptions} from './config/resolve.js'
import type {ConfigInput} from './config/schema.js'
import {usageErrorFrom} from './cli/usage-error.js'
import {configEnvVariables} from './config/schema.js'
import {describeError, type ErrorReport, ExitCode, InterruptedError, type PinctlError} from './errors.js'
import {type Factory, processFactory} from './factory.js'
import {loadInventory} from './inventory/load.js'
import {runOnHosts, type HostTask, type InventoryReport} from './inventory/run.js'
import type {HostSession} from './ssh/session.js'
import {hostProgress, renderInventorySummary} from './ux/inventory.js'
import {Reporter} from './ux/output.js'

/** The shared flags' section in --help. */
const helpGroup = 'GLOBAL'

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof BaseCommand)['baseFlags'] & T['flags']>
export type BaseArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>

/**
 * Every pinctl command: --json, the shared flags, config loading, Ctrl-C as an AbortSignal,
 * and one place where errors become a one-line message, a hint and a documented exit code.
 */
export abstract class BaseCommand<T extends typeof Command> extends Command {
  static enableJsonFlag = true

  static baseFlags = {
    config: Flags.string({
      description: 'config file (default: ./pinctl.json, then $XDG_CONFIG_HOME/pinctl/config.json)',
      env: 'PINCTL_CONFIG',
      helpGroup,
    }),
    profile: Flags.string({description: 'AWS profile (AWS_PROFILE is read too)', env: 'PINCTL_PROFILE', helpGroup}),
    region: Flags.string({description: 'AWS region (default us-east-1; AWS_REGION is read too)', env: 'PINCTL_REGION', helpGroup}),
    'endpoint-url': Flags.string({
      description: "AWS endpoint for every service, as the AWS CLI's --endpoint-url (PINCTL_ENDPOINT_URL is read first)",
      env: 'AWS_ENDPOINT_URL',
      helpGroup,
    }),
    user: Flags.string({description: 'user id that names topics, bucket, role… (e.g. 12b287eedf6d)', env: 'PINCTL_USER', helpGroup}),
    debug: Flags.boolean({description: 'show stack traces and debug output', env: 'PINCTL_DEBUG', helpGroup}),
  }

  protected flags!: BaseFlags<T>
  protected args!: BaseArgs<T>
  /** Arguments after `--` (and any extra ones when a command is not strict). */
  protected rest: string[] = []
  protected reporter!: Reporter
  /** The session opener, terminal and clock services get from the command (fakes in tests). */
  protected factory: Factory = processFactory
  /** Aborted on the first Ctrl-C; services stop their remote work when it fires. */
  protected readonly abort = new AbortController()
  private cachedConfig?: Config
  private onSigint?: () => void

  public async init(): Promise<void> {
    await super.init()
    let parsed: Awaited<ReturnType<Command['parse']>>
    try {
      parsed = await this.parse({
        flags: this.ctor.flags,
        baseFlags: (super.ctor as typeof BaseCommand).baseFlags,
        enableJsonFlag: this.ctor.enableJsonFlag,
        args: this.ctor.args,
        strict: this.ctor.strict,
      })
    } catch (error) {
      throw usageErrorFrom(error, `${this.config.bin} ${this.id?.replaceAll(':', ' ') ?? ''}`.trim(), (flag) => this.envSourceOf(flag))
    }
    const {args, flags, argv, raw} = parsed
    this.flags = withoutConfigEnvValues(flags, this.ctor.flags, (super.ctor as typeof BaseCommand).baseFlags, raw) as BaseFlags<T>
    this.args = args as BaseArgs<T>
    this.rest = (argv as string[]).slice(Object.keys(this.ctor.args ?? {}).length)
    this.reporter = new Reporter(this.jsonEnabled())
    let interrupts = 0
    this.onSigint = () => {
      interrupts++
      if (interrupts === 1) {
        this.reporter.warn('interrupted: stopping (Ctrl-C again to quit at once)')
        this.abort.abort(new InterruptedError())
        return
      }
      process.exit(ExitCode.interrupted)
    }
    process.on('SIGINT', this.onSigint)
    // A service manager or `kill` stops pinctl like Ctrl-C does: remote work is stopped first.
    process.on('SIGTERM', this.onSigint)
  }

  /** Config with the shared flags and a command's own settings (flag values that are undefined are ignored). */
  protected settings(overrides: ConfigInput = {}): Config {
    this.cachedConfig ??= resolveConfig(this.resolveOptions(overrides))
    return this.cachedConfig
  }

  private resolveOptions(overrides: ConfigInput): ResolveOptions {
    const flags = this.flags as {config?: string; profile?: string; region?: string; user?: string; 'endpoint-url'?: string}
    return {
      configFile: flags.config,
      flags: {profile: flags.profile, region: flags.region, userId: flags.user, endpoint: flags['endpoint-url'], ...overrides},
    }
  }

  /**
   * --inventory: `task` on every host of the file (each entry over the config this command would use),
   * a line per host as it starts and ends, the summary table, and the worst host's exit code.
   */
  protected async onEveryHost<R>(overrides: ConfigInput, task: HostTask<R>): Promise<InventoryReport<R>> {
    const flags = this.flags as {inventory?: string; concurrency?: number}
    const hosts = await loadInventory(flags.inventory ?? '', this.resolveOptions(overrides))
    const progress = hostProgress(this.reporter, this.id?.replaceAll(':', ' ') ?? 'run')
    const report = await runOnHosts(hosts, task, {concurrency: flags.concurrency ?? 8, signal: this.abort.signal, ...progress})
    renderInventorySummary(this.reporter, report)
    process.exitCode = report.exitCode
    return report
  }

  /** The environment variable a flag's value came from, when the flag was not typed but its variable is set. */
  private envSourceOf(flag: string): string | undefined {
    const name = flag.replace(/^--/, '')
    const definition = ({...(super.ctor as typeof BaseCommand).baseFlags, ...this.ctor.flags} as Record<string, {env?: string}>)[name]
    const typed = this.argv.some((word) => word === flag || word.startsWith(`${flag}=`))
    return definition?.env && !typed && process.env[definition.env] !== undefined ? definition.env : undefined
  }

  /**
   * The run's one SSH connection to the configured host, for `work`, always closed after it. The SSH
   * modules load only here, so commands that never reach the host do not pay for them.
   */
  protected async onHost<R>(
    config: Config,
    work: (session: HostSession) => Promise<R>,
    onNote = (note: string) => this.reporter.info(note),
  ): Promise<R> {
    const {withHostSession} = await import('./ssh/target.js')
    return withHostSession(config, onNote, work, this.factory.openSession)
  }

  /** AWS settings for services, with the Factory's client provider. */
  protected awsSettings(config: Config): AwsSettings {
    return awsSettings(config, this.factory.awsClients)
  }

  /** The progress line while another run holds the host lock. */
  protected reportLockWait(holder: string, waitedMs: number): void {
    this.reporter.progress(`waiting for the host lock held by ${holder} (${Math.round(waitedMs / 1000)}s)`)
  }

  /**
   * A run that finished but with failures: a person gets the error; under --json the result document is
   * still printed (it says what failed) and the exit code is the error's.
   */
  protected failAfterResult(error: PinctlError): void {
    if (!this.jsonEnabled()) throw error
    process.exitCode = error.exitCode
  }

  protected async catch(error: Error & {exitCode?: number}): Promise<unknown> {
    const interrupted = this.abort.signal.aborted
    const report = describeError(interrupted && !(error instanceof InterruptedError) ? new InterruptedError() : error)
    process.exitCode = report.exitCode
    const debug = (this.flags as {debug?: boolean} | undefined)?.debug || Boolean(process.env.DEBUG)
    printErrorReport(report, this.jsonEnabled(), this.reporter)
    if (debug && error?.stack) process.stderr.write(`${error.stack}\n`)
    return undefined
  }

  protected async finally(error: Error | undefined): Promise<unknown> {
    if (this.onSigint) {
      process.off('SIGINT', this.onSigint)
      process.off('SIGTERM', this.onSigint)
    }
    return super.finally(error)
  }
}

/** The one shape of a failure: `{"error": …}` on stdout under --json, else "error:" and "hint:" lines on stderr. */
export function printErrorReport(report: ErrorReport, json: boolean, reporter = new Reporter()): void {
  if (json) {
    const error = {code: report.code, message: report.message, hint: report.hint, exitCode: report.exitCode}
    process.stdout.write(`${JSON.stringify({error}, null, 2)}\n`)
  } else {
    reporter.error(report.message, report.hint)
  }
}

type FlagDefinitions = Record<string, {env?: string}> | undefined

/**
 * oclif fills a flag from its `env` variable; config resolution reads the same variables itself
 * (with validation and the variable's name as the source), so a value that came from the
 * environment rather than the command line is dropped here and `pinctl config` names its real source.
 */
function withoutConfigEnvValues(
  flags: Record<string, unknown>,
  own: FlagDefinitions,
  base: FlagDefinitions,
  raw: Array<{type: string; flag?: string}>,
): Record<string, unknown> {
  const given = new Set(raw.filter((token) => token.type === 'flag').map((token) => token.flag))
  const configVariables = configEnvVariables()
  const definitions = {...base, ...own}
  return Object.fromEntries(
    Object.entries(flags).filter(([name]) => {
      const env = definitions[name]?.env
      return given.has(name) || !env || !configVariables.has(env)
    }),
  )
}
