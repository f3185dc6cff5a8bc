import {execa} from 'execa'
import {existsSync, mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

export const REPO = join(import.meta.dirname, '..', '..')
export const PINCTL = join(REPO, 'bin', 'run.js')
// Node's compile cache for every run, shared (test/cli/startup.test.ts tests pinctl's own, in the user's cache dir): each
// fresh HOME would otherwise write ~1.5 MB of it and pay for that on every run.
const COMPILE_CACHE = join(tmpdir(), 'pinctl-test-compile-cache')

export function tempDir(prefix = 'pinctl-cli-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

/**
 * The built CLI as a new user runs it: an empty HOME, no PINCTL_* or AWS_* variables (only
 * what `env` adds), no terminal on stdin. Never throws on a non-zero exit. `script` runs another
 * copy of bin/run.js.
 */
export async function runCli(
  args: string[],
  options: {env?: Record<string, string>; cwd?: string; home?: string; nodeOptions?: string[]; script?: string} = {},
) {
  const home = options.home ?? tempDir('pinctl-home-')
  return execa(process.execPath, [...(options.nodeOptions ?? []), options.script ?? PINCTL, ...args], {
    reject: false,
    extendEnv: false,
    env: {PATH: process.env.PATH ?? '', HOME: home, NO_COLOR: '1', NODE_COMPILE_CACHE: COMPILE_CACHE, ...options.env},
    cwd: options.cwd ?? home,
    stdin: 'ignore',
    timeout: 60_000,
  })
}

/** Every module URL the CLI resolved (import and require) for these arguments, with its result. */
export async function runTracingModules(args: string[], options: Parameters<typeof runCli>[1] = {}) {
  const trace = join(tempDir(), 'modules.txt')
  const hook = join(import.meta.dirname, 'fixtures', 'trace-imports.mjs')
  const result = await runCli(args, {...options, nodeOptions: ['--import', hook], env: {...options.env, PINCTL_TRACE_FILE: trace}})
  const modules = existsSync(trace) ? readFileSync(trace, 'utf8').split('\n') : []
  return {result, modules, loadedOclif: modules.some((url) => url.includes('@oclif/core'))}
}
