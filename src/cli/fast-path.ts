// `pinctl --version` and the root help without oclif: importing @oclif/core and loading its config is ~90 ms, Node's
// own start ~25 ms. Only bin/run.js imports this, before oclif, so it loads nothing but Node's own modules, and those
// through require: the ESM face of node:fs alone costs ~2 ms (it loads fs/promises). No hash either: node:crypto
// takes ~6 ms to load, more than comparing the files themselves.
import {createRequire} from 'node:module'
import {dirname, join} from 'node:path'

const load = createRequire(import.meta.url)
const {existsSync, mkdirSync, readFileSync, writeFileSync} = load('node:fs') as typeof import('node:fs')
const {arch, homedir, release} = load('node:os') as typeof import('node:os')

/**
 * The root help as oclif printed it into a pipe at build time (scripts/help-cache.mjs), in dist/help-root/ with
 * copies of the files it was rendered from: it is current while those are byte for byte the same, and what it
 * took from oclif (`oclif`: the renderer's version, the plugins' commands) is what is installed now.
 */
export interface RootHelpCache {
  width: number
  userAgent: string
  oclif: string[]
  text: string
}

export const HELP_CACHE_DIR = join('dist', 'help-root')
const CACHE_FILE = 'help.json'
// package.json: the description, topics and plugins; oclif.manifest.json: our commands. Stored as .txt: a package.json
// in dist/ would be a package boundary to Node.
const RENDERED_FROM = [
  ['package.json', 'package.json.txt'],
  ['oclif.manifest.json', 'oclif.manifest.json.txt'],
] as const

/** oclif's width for help when stdout is not a terminal (and OCLIF_COLUMNS is unset). */
export const PIPE_WIDTH = 80

interface OclifSection {
  hooks?: Record<string, unknown>
}

interface PackageJson {
  name: string
  version: string
  oclif: OclifSection & {dirname?: string; plugins?: string[]; additionalHelpFlags?: string[]; additionalVersionFlags?: string[]}
}

// The hooks oclif runs around --version and help: a CLI or plugin with one of them is oclif's to run.
const RUN_HOOKS = ['init', 'prerun', 'postrun', 'finally']

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
  const pjson = readJson<PackageJson>(join(root, 'package.json'))
  if (pjson === undefined) return undefined
  // User plugins (oclif reads them from the data dir) can add commands and hooks.
  if (existsSync(join(oclifDataDir(pjson, env), 'package.json')) || oclifMustRun(root, pjson)) return undefined
  const userAgent = oclifUserAgent(pjson)
  if (userAgent === undefined) return undefined
  const [arg] = argv
  if (arg !== undefined && ['--version', ...(pjson.oclif.additionalVersionFlags ?? [])].includes(arg)) return `${userAgent}\n`
  const helpCommand = arg === 'help' && (pjson.oclif.plugins ?? []).includes('@oclif/plugin-help')
  const rootHelp = arg === undefined || helpCommand || ['--help', ...(pjson.oclif.additionalHelpFlags ?? [])].includes(arg)
  // On a terminal oclif wraps to its width and makes the headings bold (if supports-color says so); with
  // FORCE_COLOR, bold in a pipe too; OCLIF_COLUMNS sets the width.
  if (!rootHelp || stdoutIsTTY || env.FORCE_COLOR !== undefined || env.OCLIF_COLUMNS !== undefined) return undefined
  const cache = currentRootHelp(root, pjson)
  return cache && withUserAgent(cache, userAgent)
}

/** The cached root help if it was rendered from what is there now; undefined if it is missing or stale. */
function currentRootHelp(root: string, pjson: PackageJson): RootHelpCache | undefined {
  const dir = join(root, HELP_CACHE_DIR)
  const cache = readJson<RootHelpCache>(join(dir, CACHE_FILE))
  if (cache === undefined || cache.width !== PIPE_WIDTH || !Array.isArray(cache.oclif)) return undefined
  for (const [file, copy] of RENDERED_FROM) {
    const now = readText(join(root, file))
    if (now === undefined || now !== readText(join(dir, copy))) return undefined
  }
  const oclif = oclifInputs(root, pjson)
  return oclif !== undefined && oclif.join('\n') === cache.oclif.join('\n') ? cache : undefined
}

/** Stores the root help oclif rendered (the build's step), with what it was rendered from. */
export function writeRootHelp(root: string, rendered: {userAgent: string; text: string}): void {
  const pjson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageJson
  const oclif = oclifInputs(root, pjson)
  if (oclif === undefined) throw new Error('@oclif/core or a plugin (or its manifest) is missing, or the plugins are a glob')
  const dir = join(root, HELP_CACHE_DIR)
  mkdirSync(dir, {recursive: true})
  for (const [file, copy] of RENDERED_FROM) writeFileSync(join(dir, copy), readFileSync(join(root, file)))
  const cache: RootHelpCache = {width: PIPE_WIDTH, oclif, ...rendered}
  writeFileSync(join(dir, CACHE_FILE), `${JSON.stringify(cache, null, 2)}\n`)
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

/**
 * What the root help takes from oclif: the version of @oclif/core (the renderer), and each plugin's commands and
 * topics, i.e. its oclif.manifest.json (less its version) and the oclif section of its package.json; a plugin
 * release that changes neither renders the same help. Undefined when one is missing, when the plugins are a glob
 * (oclif's own matching), or when oclif would not use a plugin's manifest (not of the installed version).
 */
function oclifInputs(root: string, pjson: PackageJson): string[] | undefined {
  const plugins = pjson.oclif.plugins ?? []
  const core = installedPackage(root, '@oclif/core')
  if (core === undefined || plugins.some((name) => name.includes('*'))) return undefined
  const inputs = [`@oclif/core@${core.pjson.version}`]
  for (const name of plugins) {
    const plugin = installedPackage(root, name)
    if (plugin === undefined) return undefined
    const manifest = readJson<{version?: string}>(join(plugin.dir, 'oclif.manifest.json'))
    if (manifest === undefined || manifest.version !== plugin.pjson.version) return undefined
    inputs.push(JSON.stringify({name, oclif: plugin.pjson.oclif, manifest: {...manifest, version: undefined}}))
  }
  return inputs
}

// A run hook in the CLI or a plugin, or a plugin missing (oclif would warn about it): oclif's to answer.
function oclifMustRun(root: string, pjson: PackageJson): boolean {
  const sections: Array<OclifSection | undefined> = [pjson.oclif]
  for (const name of pjson.oclif.plugins ?? []) {
    const plugin = installedPackage(root, name)
    if (plugin === undefined) return true
    sections.push(plugin.pjson.oclif)
  }
  return sections.some((section) => RUN_HOOKS.some((hook) => section?.hooks?.[hook] !== undefined))
}

// The package a bare import from the package resolves to: node_modules of the root, then of each parent.
function installedPackage(root: string, name: string): {dir: string; pjson: {version?: string; oclif?: OclifSection}} | undefined {
  for (let dir = root; ; dir = dirname(dir)) {
    const found = join(dir, 'node_modules', name)
    const pjson = readJson<{version?: string}>(join(found, 'package.json'))
    if (pjson !== undefined) return {dir: found, pjson}
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
