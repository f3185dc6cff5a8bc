import {execa, type Options} from 'execa'
import {createServer} from 'node:net'
import {join} from 'node:path'

export const REPO = join(import.meta.dirname, '..', '..')
export const PINCTL = join(REPO, 'bin', 'run.js')

const REQUIRED = [
  'PINCTL_CONFIG',
  'PINCTL_HOST',
  'PINCTL_SSH_PORT',
  'PINCTL_SSH_USER',
  'PINCTL_KEY_FILE',
  'AWS_ENDPOINT_URL',
  'PINCTL_BOOTSTRAP_SERVERS',
] as const

/** The sandbox's environment; integration tests fail loudly (never skip) when it is missing. */
export function sandboxEnv(): Record<(typeof REQUIRED)[number], string> & NodeJS.ProcessEnv {
  return requireSandboxEnv(REQUIRED)
}

/** The named variables of the sandbox's environment (a test that needs only some parts); fails loudly without them. */
export function requireSandboxEnv<const Name extends string>(names: readonly Name[]): Record<Name, string> & NodeJS.ProcessEnv {
  const missing = names.filter((name) => !process.env[name])
  if (missing.length > 0) {
    throw new Error(
      `sandbox environment missing (${missing.join(', ')}): run the tests with \`npm test\`, or \`eval "$(scripts/sandbox env)"\` first`,
    )
  }
  return process.env as never
}

/** Runs the built CLI as a user would, with the sandbox environment; never throws on a non-zero exit. */
export async function pinctl(args: string[], options: Options = {}) {
  const stdin = options.input === undefined ? {stdin: options.stdin ?? 'ignore'} : {}
  return execa(process.execPath, [PINCTL, ...args], {
    reject: false,
    env: {NO_COLOR: '1', ...options.env},
    timeout: 600_000,
    ...options,
    ...stdin,
  } as Options)
}

/** The sandbox host's key, fetched from moto's Parameter Store the way an operator would. */
export async function ensureKeyFile(): Promise<string> {
  const env = sandboxEnv()
  const result = await pinctl(['keypair', 'fetch'])
  if (result.exitCode !== 0) throw new Error(`pinctl keypair fetch failed: ${result.stderr}`)
  return env.PINCTL_KEY_FILE
}

export function sshTargetFromEnv(overrides: {knownHostsFile?: string} = {}) {
  const env = sandboxEnv()
  return {
    host: env.PINCTL_HOST,
    port: Number(env.PINCTL_SSH_PORT),
    user: env.PINCTL_SSH_USER,
    keyFile: env.PINCTL_KEY_FILE,
    knownHostsFile: overrides.knownHostsFile ?? env.PINCTL_KNOWN_HOSTS ?? join(REPO, '.sandbox', 'client', 'known_hosts'),
  }
}

/** Runs a shell command on the sandbox host as the SSH user (through pinctl ssh, as an operator would). */
export async function onHost(command: string): Promise<string> {
  const result = await pinctl(['ssh', '--', command])
  if (result.exitCode !== 0) throw new Error(`host command failed (${result.exitCode}): ${command}\n${result.stderr}`)
  return String(result.stdout)
}

/** The sandbox's fresh-host reset: everything setup-client did on the host is gone. */
export async function resetHost(): Promise<void> {
  await execa(join(REPO, 'scripts', 'sandbox'), ['reset-host'], {stdio: 'ignore'})
}

/** Provisions the sandbox host if needed (a no-op when it already is). */
export async function ensureProvisioned(): Promise<void> {
  await ensureKeyFile()
  const result = await pinctl(['setup-client', '--yes'])
  if (result.exitCode !== 0) throw new Error(`setup-client failed (${result.exitCode}):\n${result.stderr}`)
}

/** Asks `check` every 100 ms until it answers true or `ms` have passed; its last answer (a bounded wait, not a sleep). */
export async function eventually(check: () => Promise<boolean>, ms = 10_000): Promise<boolean> {
  const deadline = Date.now() + ms
  for (;;) {
    if (await check()) return true
    if (Date.now() >= deadline) return false
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** A loopback port that nothing listens on (taken from the kernel, then released). */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as {port: number}
  await new Promise((resolve) => server.close(resolve))
  return port
}
