import {confirm, input, select} from '@inquirer/prompts'

import {InterruptedError} from '../errors.js'

/** The questions a wizard asks, so tests can answer them and commands can use @inquirer/prompts. */
export interface Prompter {
  input(options: {message: string; default?: string; validate?: (value: string) => true | string}): Promise<string>
  select<T>(options: {message: string; choices: Array<{name: string; value: T; description?: string}>; default?: T}): Promise<T>
  confirm(options: {message: string; default?: boolean}): Promise<boolean>
}

/** Ctrl-C inside a prompt is an interruption (exit 130), not an internal error. */
async function interruptible<T>(ask: () => Promise<T>): Promise<T> {
  try {
    return await ask()
  } catch (error) {
    if ((error as Error)?.name === 'ExitPromptError' || (error as Error)?.name === 'AbortPromptError') throw new InterruptedError()
    throw error
  }
}

/** The terminal's prompts (@inquirer/prompts); only used when stdin and stdout are terminals. */
export const terminalPrompter: Prompter = {
  input: (options) => interruptible(() => input({message: options.message, default: options.default, validate: options.validate})),
  select: (options) => interruptible(() => select({message: options.message, choices: options.choices, default: options.default})),
  confirm: (options) => interruptible(() => confirm({message: options.message, default: options.default})),
}
