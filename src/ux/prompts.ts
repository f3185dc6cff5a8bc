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

/** Prompts go to stderr like every other message, so stdout stays the command's result. */
const context = {output: process.stderr}

/**
 * The terminal's prompts (@inquirer/prompts, loaded only when a question is asked); only used
 * when stdin is a terminal. Every confirmation in pinctl goes through here.
 */
export const terminalPrompter: Prompter = {
  input: (options) =>
    interruptible(async () =>
      (await import('@inquirer/prompts')).input({message: options.message, default: options.default, validate: options.validate}, context),
    ),
  select: (options) =>
    interruptible(async () =>
      (await import('@inquirer/prompts')).select({message: options.message, choices: options.choices, default: options.default}, context),
    ),
  confirm: (options) =>
    interruptible(async () => (await import('@inquirer/prompts')).confirm({message: options.message, default: options.default}, context)),
}
