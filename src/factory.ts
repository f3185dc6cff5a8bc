import type {AwsClientProvider} from './aws/clients.js'
import {type Clock, systemClock} from './clock.js'
import type {SessionOpener} from './ssh/session.js'

/** The streams a command talks to the user through. */
export interface Terminal {
  stdin: NodeJS.ReadStream
  stdout: NodeJS.WriteStream
  stderr: NodeJS.WriteStream
}

/**
 * What commands hand to services instead of reaching for globals: the SSH session opener, the
 * terminal, the clock and the AWS client provider (commands pass it in AwsSettings).
 */
export interface Factory {
  openSession: SessionOpener
  terminal: Terminal
  clock: Clock
  /** AWS clients to use instead of the SDK's (undefined: pinctl builds them, lazily, in aws/clients.ts). */
  awsClients?: AwsClientProvider
}

/** The real thing. The SSH modules load on the first connection, so commands that never open one skip them. */
export const processFactory: Factory = {
  openSession: async (target, onNote) => (await import('./ssh/session.js')).SshSession.open(target, onNote),
  terminal: {stdin: process.stdin, stdout: process.stdout, stderr: process.stderr},
  clock: systemClock,
}

/** A person can be asked: stdin and stderr are terminals. */
export function interactiveTerminal(terminal: Terminal): boolean {
  return Boolean(terminal.stdin.isTTY && terminal.stderr.isTTY)
}
