/**
 * pinctl's error classes. Each carries the exit code documented in the README,
 * a one-line message for humans and a hint that names the fix.
 */
export const ExitCode = {
  ok: 0,
  internal: 1,
  config: 2,
  aws: 3,
  ssh: 4,
  remote: 5,
  verify: 6,
  interrupted: 130,
} as const

export class PinctlError extends Error {
  readonly exitCode: number = ExitCode.internal
  readonly code: string = 'internal'
  constructor(
    message: string,
    readonly hint?: string,
    options?: {cause?: unknown},
  ) {
    super(message, options)
    this.name = new.target.name
  }
}

export class ConfigError extends PinctlError {
  override readonly exitCode = ExitCode.config
  override readonly code = 'config'
}

/** A mistake on the command line (unknown command or flag, bad value, missing argument): exit 2 like config. */
export class UsageError extends PinctlError {
  override readonly exitCode = ExitCode.config
  override readonly code = 'usage'
}

export class AwsError extends PinctlError {
  override readonly exitCode = ExitCode.aws
  override readonly code = 'aws'
}

export class SshError extends PinctlError {
  override readonly exitCode = ExitCode.ssh
  override readonly code = 'ssh'
}

export class RemoteCommandError extends PinctlError {
  override readonly exitCode = ExitCode.remote
  override readonly code = 'remote'
  constructor(
    message: string,
    hint?: string,
    readonly result?: {code: number | null; stderr: string},
  ) {
    super(message, hint)
  }
}

export class VerifyError extends PinctlError {
  override readonly exitCode = ExitCode.verify
  override readonly code = 'verify'
}

export class InterruptedError extends PinctlError {
  override readonly exitCode = ExitCode.interrupted
  override readonly code = 'interrupted'
  constructor(message = 'interrupted') {
    super(message)
  }
}

export interface ErrorReport {
  code: string
  exitCode: number
  message: string
  hint?: string
}

/** Turns anything thrown into the report the base command prints; unknown errors are internal (1). */
export function describeError(error: unknown): ErrorReport {
  if (error instanceof PinctlError) {
    return {code: error.code, exitCode: error.exitCode, message: error.message, hint: error.hint}
  }
  const oclifExit = (error as {oclif?: {exit?: number}})?.oclif?.exit
  if (typeof oclifExit === 'number' && error instanceof Error) {
    // oclif parse/usage errors (unknown flag, missing argument) are the caller's to fix, like config.
    return {
      code: 'usage',
      exitCode: ExitCode.config,
      message: firstLine(error.message),
      hint: 'see --help for usage and examples',
    }
  }
  const message = error instanceof Error ? error.message : String(error)
  return {
    code: 'internal',
    exitCode: ExitCode.internal,
    message: firstLine(message) || 'unexpected error',
    hint: 'this is a bug in pinctl: run again with --debug and report the output',
  }
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .find((line) => line.trim() !== '')
      ?.trim() ?? ''
  )
}
