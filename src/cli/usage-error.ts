import {stripVTControlCharacters} from 'node:util'

import {PinctlError, UsageError} from '../errors.js'
import {shown} from '../ux/printable.js'

const MORE_HELP = /\n?See more help with --help\s*$/

/**
 * oclif's parse errors spread their reason over several lines ("Parsing --partitions", then the
 * reason on the next), and a one-line report kept only the first. This rewrites any error thrown
 * while parsing a command line as one line with the reason, and a hint naming the command's help.
 */
export function usageErrorFrom(
  error: unknown,
  commandLine: string,
  envSource: (flag: string) => string | undefined = () => undefined,
): UsageError {
  const hint = `\`${commandLine} --help\` shows the flags, arguments and examples`
  if (!(error instanceof Error)) return new UsageError(String(error), hint)
  const text = stripVTControlCharacters(error.message).replace(MORE_HELP, '')
  const ownHint = error instanceof PinctlError ? error.hint : undefined

  const flagParse = /^Parsing (--[\w-]+)\s*\n\s*([\s\S]*)$/.exec(text)
  if (flagParse) {
    // A value oclif read from the flag's environment variable is named by the variable the user set.
    const variable = envSource(flagParse[1])
    const name = variable ? `${variable} (${flagParse[1]})` : flagParse[1]
    return new UsageError(`${name}: ${oneLine(flagParse[2])}`, ownHint ?? hint)
  }

  const args = (error as {args?: Array<{name?: string; description?: string}>}).args
  if (/^Missing \d+ required arg/.test(text) && Array.isArray(args)) {
    const names = args.map((arg) => `${(arg.name ?? '').toUpperCase()}${arg.description ? ` (${arg.description})` : ''}`)
    return new UsageError(`missing argument${args.length === 1 ? '' : 's'}: ${names.join(', ')}`, hint)
  }

  // "The following error(s) occurred:" then one reason per line (exclusive, dependsOn, required flags).
  const listed = /^The following errors? occurred:\s*\n([\s\S]*)$/.exec(text)
  if (listed) return new UsageError(oneLine(listed[1], '; '), hint)

  return new UsageError(oneLine(text, ': '), hint)
}

/** oclif echoes what was typed ("received: …"): an over-long or control-laden word is shown cut and escaped. */
function oneLine(text: string, separator = ' '): string {
  const joined = text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .join(separator)
  return joined.replace(/\S{121,}/g, (word) => shown(word, 60))
}
