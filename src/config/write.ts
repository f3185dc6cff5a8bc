import {readFileSync} from 'node:fs'
import {homedir} from 'node:os'
import {join, resolve as resolvePath} from 'node:path'
import {createTwoFilesPatch} from 'diff'

import {writeFileAtomically} from '../atomic-file.js'
import {ConfigError} from '../errors.js'
import {PROJECT_FILE, userConfigDir} from './resolve.js'
import {configSchema, ENV_NAMES, type ConfigInput, type ConfigKey} from './schema.js'

/** Where `pinctl init` writes: --config, else the user file with --global, else ./pinctl.json. */
export function configFilePath(options: {config?: string; global?: boolean; cwd?: string; env?: NodeJS.ProcessEnv; home?: string}): string {
  const cwd = options.cwd ?? process.cwd()
  if (options.config && options.global) throw new ConfigError('--config and --global both name the file to write', 'give one of them')
  if (options.config) return resolvePath(cwd, options.config)
  if (options.global) return join(userConfigDir(options.env ?? process.env, options.home ?? homedir()), 'config.json')
  return join(cwd, PROJECT_FILE)
}

/** What is at the destination now: nothing, a valid config, or a file pinctl cannot use. */
export interface ExistingConfig {
  text?: string
  data?: ConfigInput
  problem?: string
}

export function readExistingConfig(path: string): ExistingConfig {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {}
    throw new ConfigError(`cannot read ${path}: ${(error as Error).message}`, 'check the path and its permissions')
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    return {text, problem: `not valid JSON (${(error as Error).message})`}
  }
  const parsed = configSchema.safeParse(json)
  if (!parsed.success) return {text, problem: `not a valid pinctl config (${parsed.error.issues[0]?.message ?? 'invalid'})`}
  return {text, data: parsed.data}
}

const KEY_ORDER = Object.keys(ENV_NAMES) as ConfigKey[]

/** The file's text: keys in the documented order, two-space JSON, a final newline. Validated first. */
export function renderConfig(input: ConfigInput): string {
  const parsed = configSchema.safeParse(input)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new ConfigError(
      `the config to write is invalid: ${String(issue?.path[0] ?? '')}: ${issue?.message}`,
      'correct the value given for it',
    )
  }
  const ordered = Object.fromEntries(KEY_ORDER.filter((key) => parsed.data[key] !== undefined).map((key) => [key, parsed.data[key]]))
  return `${JSON.stringify(ordered, null, 2)}\n`
}

export interface ConfigWritePlan {
  path: string
  status: 'create' | 'unchanged' | 'replace'
  text: string
  /** Unified diff against the current file (replace only). */
  diff?: string
}

export function planConfigWrite(path: string, input: ConfigInput, existing: ExistingConfig): ConfigWritePlan {
  const text = renderConfig(input)
  if (existing.text === undefined) return {path, status: 'create', text}
  if (existing.text === text) return {path, status: 'unchanged', text}
  return {path, status: 'replace', text, diff: createTwoFilesPatch(path, path, existing.text, text, 'current', 'pinctl init')}
}

/** The config file, readable by everyone as before; replaced atomically, so a crash never leaves half a config. */
export function writeConfigAtomically(path: string, text: string): void {
  writeFileAtomically(path, text, {mode: 0o644})
}
