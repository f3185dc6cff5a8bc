// `pinctl --version` and the root help without oclif: importing @oclif/core and loading its config is ~90 ms, Node's
// own start ~25 ms. Only bin/run.js imports this, before oclif, so it imports nothing but Node's own modules.
import {createHash} from 'node:crypto'
import {existsSync, readFileSync} from 'node:fs'
import {arch, homedir, release} from 'node:os'
import {dirname, join} from 'node:path'

/** The root help as oclif rendered it at build time (scripts/help-cache.mjs), and what it depends on. */
export interface RootHelpCache {
  key: string
  width: number
  userAgent: string
  text: string
}

export const HELP_CACHE_FILE = join('dist', 'help-root.json')

/** oclif's width for help when stdout is not a terminal (and OCLIF_COLUMNS is unset). */
export const PIPE_WIDTH = 80

interface PackageJson {
  name: string
  version: string
  oclif: {dirname?: string; plugins?: string[]; additionalHelpFlags?: string[]; additionalVersionFlags?: string[]}
}

export interface Invocation {
  /** The package directory: package.json, oclif.manifest.json, dist/. */
  root: string
  /** The arguments after the script. */
  argv: string[]
  env: NodeJS.ProcessEnv
  stdoutIsTTY: boolean
}

/**
 * What oclif would print on stdout for this invocation, byte for byte, when that can be known without oclif:
 * the version line, or the root help from the build's cache. Undefined means "ask oclif".
 */
export function fastPathOutput({root, argv, env, stdoutIsTTY}: Invocation): string | undefined {
  // PINCTL_DEBUG and DEBUG make oclif print its own trace on stderr.
  if (env.PINCTL_NO_FAST_PATH || env.PINCTL_DEBUG || env.DEBUG || argv.length > 1) return undefined
  const packageText = readText(join(root, 'package.json'))
  if (packageText === undefined) return undefined
  const pjson = JSON.parse(packageText) as PackageJson
  // User plugins (oclif reads them from the data dir) can add commands and init hooks.
  if (existsSync(join(oclifDataDir(pjson, env), 'package.json'))) return undefined
  const userAgent = oclifUserAgent(pjson)
  if (userAgent === undefined) return undefined
  const [arg] = argv
  if (arg !== undefined && ['--version', ...(pjson.oclif.additionalVersionFlags ?? [])].includes(arg)) return `${userAgent}\n`
  const helpCommand = arg === 'help' && (pjson.oclif.plugins ?? []).includes('@oclif/plugin-help')
  const rootHelp = arg === undefined || helpCommand || ['--help', ...(pjson.oclif.additionalHelpFlags ?? [])].includes(arg)
  // On a terminal oclif wraps to its width and makes the headings bold (if supports-color says so); with
  // FORCE_COLOR, bold in a pipe too; OCLIF_COLUMNS sets the width.
  if (!rootHelp || stdoutIsTTY || env.FORCE_COLOR !== undefined || env.OCLIF_COLUMNS !== undefined) return undefined
  const cache = readJson<RootHelpCache>(join(root, HELP_CACHE_FILE))
  if (cache === undefined || cache.width !== PIPE_WIDTH || cache.key !== helpCacheKey(root, packageText)) return undefined
  return withUserAgent(cache, userAgent)
}

/**
 * What the root help is made of, as one hash: package.json (description, topics, plugins), our commands
 * (oclif.manifest.json) and the installed versions of @oclif/core (the renderer) and of each plugin (their
 * commands). Undefined when one is missing: then there is nothing to compare, and oclif answers.
 */
export function helpCacheKey(root: string, packageText: string): string | undefined {
  const manifest = readText(join(root, 'oclif.manifest.json'))
  const {oclif} = JSON.parse(packageText) as PackageJson
  const plugins = oclif.plugins ?? []
  // A glob among the plugins would need oclif's own matching.
  if (manifest === undefined || plugins.some((name) => name.includes('*'))) return undefined
  const versions = ['@oclif/core', ...plugins].map((name) => installedVersion(root, name))
  if (versions.includes(undefined)) return undefined
  return createHash('sha256')
    .update(JSON.stringify([packageText, manifest, versions]))
    .digest('hex')
}

/**
 * The cached help with this process's user agent in its VERSION section (the build may have run on another
 * Node or platform). oclif wraps that line to the width less its indent: one that would wrap is left to oclif.
 */
export function withUserAgent(cache: RootHelpCache, userAgent: string): string | undefined {
  if (userAgent === cache.userAgent) return cache.text
  const section = (agent: string) => `\nVERSION\n  ${agent}\n`
  const parts = cache.text.split(section(cache.userAgent))
  if (parts.length !== 2 || userAgent.length > cache.width - 2) return undefined
  return parts.join(section(userAgent))
}

/** oclif's config.userAgent; undefined on WSL, which oclif names `wsl` after probes of its own. */
export function oclifUserAgent(pjson: {name: string; version: string}): string | undefined {
  const platform = process.platform === 'linux' && maybeWsl() ? undefined : process.platform
  if (platform === undefined) return undefined
  const cpu = arch() === 'ia32' ? 'x86' : arch()
  return `${pjson.name}/${pjson.version} ${platform}-${cpu} node-${process.version}`
}

// Any of is-wsl's signs (it also rules out containers; here any sign means "ask oclif").
function maybeWsl(): boolean {
  if (release().toLowerCase().includes('microsoft')) return true
  if (readText('/proc/version')?.toLowerCase().includes('microsoft')) return true
  return existsSync('/proc/sys/fs/binfmt_misc/WSLInterop') || existsSync('/run/WSL')
}

// oclif's config.dataDir: PINCTL_DATA_DIR, else $XDG_DATA_HOME/pinctl, else ~/.local/share/pinctl.
function oclifDataDir(pjson: PackageJson, env: NodeJS.ProcessEnv): string {
  if (env.PINCTL_DATA_DIR) return env.PINCTL_DATA_DIR
  const windowsHome = process.platform === 'win32' && env.HOMEDRIVE && env.HOMEPATH && join(env.HOMEDRIVE, env.HOMEPATH)
  const home = env.HOME || windowsHome || homedir()
  const base = env.XDG_DATA_HOME || (process.platform === 'win32' && env.LOCALAPPDATA) || join(home, '.local', 'share')
  return join(base, pjson.oclif.dirname ?? pjson.name)
}

// The package a bare import from the package resolves to: node_modules of the root, then of each parent.
function installedVersion(root: string, name: string): string | undefined {
  for (let dir = root; ; dir = dirname(dir)) {
    const pjson = readJson<{version?: string}>(join(dir, 'node_modules', name, 'package.json'))
    if (pjson !== undefined) return pjson.version
    if (dirname(dir) === dir) return undefined
  }
}

function readJson<T>(path: string): T | undefined {
  const text = readText(path)
  if (text === undefined) return undefined
  try {
    return JSON.parse(text) as T
  } catch {
    return undefined
  }
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return undefined
  }
}
