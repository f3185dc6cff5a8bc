import {execa, type Options} from 'execa'
import {join} from 'node:path'

export const REPO = join(import.meta.dirname, '..', '..')
export const PINCTL = join(REPO, 'bin', 'run.js')

const REQUIRED = ['PINCTL_CONFIG', 'PINCTL_HOST', 'PINCTL_SSH_PORT', 'PINCTL_SSH_USER', 'PINCTL_KEY_FILE', 'AWS_ENDPOINT_URL', 'PINCTL_BOOTSTRAP_SERVERS'] as const

/** The sandbox's environment; integration tests fail loudly (never skip) when it is missing. */
export function sandboxEnv(): Record<(typeof REQUIRED)[number], string> & NodeJS.ProcessEnv {
  const missing = REQUIRED.filter((name) => !process.env[name])
  if (missing.length > 0) {
    throw new Error(`sandbox environment missing (${missing.join(', ')}): run the tests with \`npm test\`, or \`eval "$(scripts/sandbox env)"\` first`)
  }
  return process.env as never
}

/** Runs the built CLI as a user would, with the sandbox environment; never throws on a non-zero exit. */
export async function pinctl(args: string[], options: Options = {}) {
  return execa(process.execPath, [PINCTL, ...args], {reject: false, env: {NO_COLOR: '1', ...options.env}, timeout: 600_000, ...options, stdin: options.stdin ?? 'ignore'} as Options)
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
