import {execa} from 'execa'
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

export const REPO = join(import.meta.dirname, '..', '..')
export const PINCTL = join(REPO, 'bin', 'run.js')

export function tempDir(prefix = 'pinctl-cli-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

/**
 * The built CLI as a new user runs it: an empty HOME, no PINCTL_* or AWS_* variables (only
 * what `env` adds), no terminal on stdin. Never throws on a non-zero exit.
 */
export async function runCli(
  args: string[],
  options: {env?: Record<string, string>; cwd?: string; home?: string; nodeOptions?: string[]} = {},
) {
  const home = options.home ?? tempDir('pinctl-home-')
  return execa(process.execPath, [...(options.nodeOptions ?? []), PINCTL, ...args], {
    reject: false,
    extendEnv: false,
    env: {PATH: process.env.PATH ?? '', HOME: home, NO_COLOR: '1', ...options.env},
    cwd: options.cwd ?? home,
    stdin: 'ignore',
    timeout: 60_000,
  })
}
