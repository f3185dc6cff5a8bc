import {execa} from 'execa'

import {InterruptedError, SshError} from '../errors.js'
import {shellQuote} from './quote.js'
import {type SessionOpener, SshSession, type SshTarget} from './session.js'
import {writeData} from '../ux/output.js'

export interface RemoteRunResult {
  command: string
  exitCode: number | null
  stdout?: string
  stderr?: string
}

/** One command on the host: streamed live, or captured for --json; the exit code is the remote one. */
export async function runRemote(
  target: SshTarget,
  command: string,
  options: {
    capture: boolean
    signal?: AbortSignal
    onNote?: (message: string) => void
    open?: SessionOpener
    /** Where the live output goes (the terminal). */
    output?: {stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream}
  },
): Promise<RemoteRunResult> {
  const session = await (options.open ?? SshSession.open)(target, options.onNote)
  const output = options.output ?? process
  try {
    if (options.capture) {
      const result = await session.exec(command)
      return {command, exitCode: result.code, stdout: result.stdout, stderr: result.stderr}
    }
    const result = await session.stream(command, {
      onStdout: (chunk) => writeData(chunk, output.stdout),
      onStderr: (chunk) => output.stderr.write(chunk),
      signal: options.signal,
    })
    if (result.interrupted) throw new InterruptedError()
    return {command, exitCode: result.code}
  } finally {
    await session.dispose()
  }
}

/**
 * An interactive shell needs a real terminal, so it goes through the system ssh client; pinctl
 * first verifies (or records, on first use) the host key so ssh can run with strict checking.
 */
export async function openShell(
  target: SshTarget,
  command: string,
  onNote?: (message: string) => void,
  open: SessionOpener = SshSession.open,
): Promise<number> {
  const check = await open(target, onNote)
  await check.dispose()
  const knownHosts = [target.knownHostsFile, ...(target.systemKnownHosts ?? [])].map((file) => shellQuote(file)).join(' ')
  const args = [
    '-i',
    target.keyFile,
    '-p',
    String(target.port),
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    `UserKnownHostsFile=${knownHosts}`,
    ...(command ? ['-t'] : []),
    `${target.user}@${target.host}`,
    ...(command ? [command] : []),
  ]
  try {
    const child = await execa('ssh', args, {stdio: 'inherit', reject: false})
    return child.exitCode ?? 255
  } catch (error) {
    throw new SshError(
      `cannot start the ssh client: ${(error as Error).message}`,
      'install OpenSSH (package openssh-client) or use `pinctl ssh -- <command>`',
    )
  }
}
