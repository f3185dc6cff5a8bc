import {type Hook, toConfiguredId} from '@oclif/core'

import {printErrorReport} from '../base-command.js'
import {closestCommand} from '../cli/suggest.js'
import {describeError, UsageError} from '../errors.js'

/**
 * An unknown command. On a terminal @oclif/plugin-not-found asks "Did you mean …?" and runs the
 * answer; anywhere else (scripts, CI, --json) it would print no suggestion at all, so pinctl
 * prints one line naming the closest command, with exit 2 like every other usage mistake.
 */
const hook: Hook<'command_not_found'> = async function (options) {
  const json = options.argv?.includes('--json') ?? false
  const typed = toConfiguredId(options.id, options.config)
  if (process.stdin.isTTY && process.stderr.isTTY && !json) {
    const {default: prompting} = await import('@oclif/plugin-not-found')
    try {
      return await prompting.call(this, options)
    } catch {
      // declined or timed out: fall through to the one-line report
    }
  }
  const visible = options.config.commands.filter((command) => !command.hidden).map((command) => command.id)
  const words = [...options.id.split(':'), ...(options.argv ?? []).filter((arg) => !arg.startsWith('-'))]
  const suggestion = closestCommand(words, visible)
  const readable = suggestion ? toConfiguredId(suggestion, options.config) : undefined
  const error = new UsageError(
    `\`${typed}\` is not a ${options.config.bin} command${readable ? `; did you mean \`${options.config.bin} ${readable}\`?` : ''}`,
    `\`${options.config.bin} help\` lists the commands`,
  )
  printErrorReport(describeError(error), json)
  this.exit(error.exitCode)
}

export default hook
