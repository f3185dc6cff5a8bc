import {Command, Flags, Interfaces} from '@oclif/core'

import {resolveConfig, type Config} from './config/resolve.js'
import type {ConfigInput} from './config/schema.js'
import {describeError, ExitCode, InterruptedError} from './errors.js'
import {Reporter} from './ux/output.js'

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof BaseCommand)['baseFlags'] & T['flags']>
export type BaseArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>

/**
 * Every pinctl command: --json, the shared flags, config loading, Ctrl-C as an AbortSignal,
 * and one place where errors become a one-line message, a hint and a documented exit code.
 */
export abstract class BaseCommand<T extends typeof Command> extends Command {
  static enableJsonFlag = true

  static baseFlags = {
    config: Flags.string({description: 'config file (default: ./pinctl.json, then $XDG_CONFIG_HOME/pinctl/config.json)', env: 'PINCTL_CONFIG', helpGroup: 'GLOBAL'}),
    profile: Flags.string({description: 'AWS profile', helpGroup: 'GLOBAL'}),
    region: Flags.string({description: 'AWS region (default us-east-1)', helpGroup: 'GLOBAL'}),
    user: Flags.string({description: 'user id that names topics, bucket, role… (e.g. 12b287eedf6d)', helpGroup: 'GLOBAL'}),
    debug: Flags.boolean({description: 'show stack traces and debug output', env: 'PINCTL_DEBUG', helpGroup: 'GLOBAL'}),
  }

  protected flags!: BaseFlags<T>
  protected args!: BaseArgs<T>
  /** Arguments after `--` (and any extra ones when a command is not strict). */
  protected rest: string[] = []
  protected reporter!: Reporter
  /** Aborted on the first Ctrl-C; services stop their remote work when it fires. */
  protected readonly abort = new AbortController()
  private cachedConfig?: Config
  private onSigint?: () => void

  public async init(): Promise<void> {
    await super.init()
    const {args, flags, argv} = await this.parse({
      flags: this.ctor.flags,
      baseFlags: (super.ctor as typeof BaseCommand).baseFlags,
      enableJsonFlag: this.ctor.enableJsonFlag,
      args: this.ctor.args,
      strict: this.ctor.strict,
    })
    this.flags = flags as BaseFlags<T>
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
    if (!this.cachedConfig) {
      const flags = this.flags as {config?: string; profile?: string; region?: string; user?: string}
      this.cachedConfig = resolveConfig({
        configFile: flags.config,
        flags: {profile: flags.profile, region: flags.region, userId: flags.user, ...overrides},
      })
    }
    return this.cachedConfig
  }

  protected throwIfAborted(): void {
    if (this.abort.signal.aborted) throw new InterruptedError()
  }

  protected async catch(error: Error & {exitCode?: number}): Promise<unknown> {
    const interrupted = this.abort.signal.aborted
    const report = describeError(interrupted && !(error instanceof InterruptedError) ? new InterruptedError() : error)
    process.exitCode = report.exitCode
    const debug = (this.flags as {debug?: boolean} | undefined)?.debug || Boolean(process.env.DEBUG)
    if (this.jsonEnabled()) {
      this.logJson({error: {code: report.code, message: report.message, hint: report.hint, exitCode: report.exitCode}})
    } else {
      ;(this.reporter ?? new Reporter()).error(report.message, report.hint)
    }
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
