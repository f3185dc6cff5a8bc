import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {beforeEach, describe, expect, it} from 'vitest'

import {fastPathOutput, HELP_CACHE_DIR, type Invocation, oclifUserAgent, withUserAgent, writeRootHelp} from '../../src/cli/fast-path.js'

const PJSON = {
  name: 'pinctl',
  version: '1.2.3',
  oclif: {bin: 'pinctl', dirname: 'pinctl', plugins: ['@oclif/plugin-help'], additionalHelpFlags: ['-h'], additionalVersionFlags: ['-v']},
}
const HELP = 'A CLI.\n\nVERSION\n  AGENT\n\nUSAGE\n  $ pinctl [COMMAND]\n\n'

function writeJson(path: string, value: unknown) {
  mkdirSync(join(path, '..'), {recursive: true})
  writeFileSync(path, JSON.stringify(value))
}

/** A package directory as the build leaves it: package.json, manifest, oclif packages, dist/help-root.json. */
function packageRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'pinctl-fast-path-'))
  writeJson(join(root, 'package.json'), PJSON)
  writeJson(join(root, 'oclif.manifest.json'), {version: '1.2.3', commands: {}})
  writeJson(join(root, 'node_modules', '@oclif', 'core', 'package.json'), {version: '4.0.0'})
  writePlugin(root, '6.0.0')
  writeCache(root)
  return root
}

const HELP_PLUGIN = ['node_modules', '@oclif', 'plugin-help']
const HELP_COMMAND = {help: {id: 'help', summary: 'Display help for <%= config.bin %>.'}}

function writePlugin(root: string, version: string, manifestVersion = version, commands: object = HELP_COMMAND) {
  writeJson(join(root, ...HELP_PLUGIN, 'package.json'), {version, oclif: {commands: './lib/commands'}})
  writeJson(join(root, ...HELP_PLUGIN, 'oclif.manifest.json'), {commands, version: manifestVersion})
}

function writeCache(root: string, userAgent = oclifUserAgent(PJSON)!) {
  writeRootHelp(root, {userAgent, text: HELP.replace('AGENT', userAgent)})
}

describe('fastPathOutput', () => {
  let root: string
  let invocation: Invocation
  beforeEach(() => {
    root = packageRoot()
    // HOME is empty: no user plugins.
    invocation = {root, argv: [], env: {HOME: join(root, 'home')}, stdoutIsTTY: false}
  })
  const agent = () => oclifUserAgent(PJSON)!

  it.each([['--version'], ['-v']])('%s: the user agent line', (flag) => {
    expect(fastPathOutput({...invocation, argv: [flag]})).toBe(`${agent()}\n`)
    expect(agent()).toMatch(new RegExp(`^pinctl/1\\.2\\.3 ${process.platform}-\\w+ node-${process.version.replaceAll('.', '\\.')}$`))
  })

  it.each([[[]], [['--help']], [['-h']], [['help']]])('%j: the cached root help', (argv) => {
    expect(fastPathOutput({...invocation, argv})).toBe(HELP.replace('AGENT', agent()))
  })

  it.each([
    ['another argument', {argv: ['--help', 'consume']}],
    ['a command', {argv: ['consume']}],
    ['a terminal', {argv: ['--help'], stdoutIsTTY: true}],
    ['FORCE_COLOR', {argv: ['--help'], env: {FORCE_COLOR: '0'}}],
    ['OCLIF_COLUMNS', {argv: ['--help'], env: {OCLIF_COLUMNS: '80'}}],
    ['PINCTL_NO_FAST_PATH', {argv: ['--version'], env: {PINCTL_NO_FAST_PATH: '1'}}],
    ['PINCTL_DEBUG', {argv: ['--version'], env: {PINCTL_DEBUG: '1'}}],
  ])('%s: left to oclif', (_, change: Partial<Invocation>) => {
    expect(fastPathOutput({...invocation, ...change, env: {...invocation.env, ...change.env}})).toBeUndefined()
  })

  it.each([
    ['~/.local/share/pinctl', {}, ['home', '.local', 'share', 'pinctl']],
    ['$XDG_DATA_HOME/pinctl', {XDG_DATA_HOME: 'xdg'}, ['xdg', 'pinctl']],
    ['$PINCTL_DATA_DIR', {PINCTL_DATA_DIR: 'data'}, ['data']],
  ])('user plugins (package.json in %s): left to oclif', (_, env: Record<string, string>, dir) => {
    const rooted = Object.fromEntries(Object.entries(env).map(([name, value]) => [name, join(root, value)]))
    const withEnv = {...invocation, env: {...invocation.env, ...rooted}}
    expect(fastPathOutput({...withEnv, argv: ['--version']})).toBe(`${agent()}\n`)
    writeJson(join(root, ...dir, 'package.json'), {oclif: {plugins: []}})
    expect(fastPathOutput({...withEnv, argv: ['--version']})).toBeUndefined()
    expect(fastPathOutput({...withEnv, argv: ['--help']})).toBeUndefined()
  })

  it.each([
    ['pinctl', () => writeJson(join(root, 'package.json'), {...PJSON, oclif: {...PJSON.oclif, hooks: {init: './dist/hooks/init.js'}}})],
    ['a plugin', () => writeJson(join(root, ...HELP_PLUGIN, 'package.json'), {version: '6.0.0', oclif: {hooks: {finally: './hook.js'}}})],
  ])('%s with a hook oclif runs around --version and help: left to oclif', (_, addHook) => {
    addHook()
    expect(fastPathOutput({...invocation, argv: ['--version']})).toBeUndefined()
    expect(fastPathOutput({...invocation, argv: ['--help']})).toBeUndefined()
  })

  it('a plugin not installed: left to oclif', () => {
    rmSync(join(root, ...HELP_PLUGIN), {recursive: true})
    expect(fastPathOutput({...invocation, argv: ['--version']})).toBeUndefined()
  })

  it.each([
    ['package.json', () => writeJson(join(root, 'package.json'), {...PJSON, description: 'new'})],
    ['oclif.manifest.json', () => writeJson(join(root, 'oclif.manifest.json'), {version: '1.2.3', commands: {x: {}}})],
    ['the installed @oclif/core', () => writeJson(join(root, 'node_modules', '@oclif', 'core', 'package.json'), {version: '4.0.1'})],
    ['a plugin’s commands', () => writePlugin(root, '6.0.1', '6.0.1', {help: {id: 'help', summary: 'Help.'}})],
    ['a plugin’s manifest (not of its version: oclif would not use it)', () => writePlugin(root, '6.0.1', '6.0.0')],
    ['a plugin’s manifest (gone)', () => rmSync(join(root, ...HELP_PLUGIN, 'oclif.manifest.json'))],
  ])('help cached before a change of %s: left to oclif', (_, change) => {
    change()
    expect(fastPathOutput({...invocation, argv: ['--help']})).toBeUndefined()
  })

  it('a plugin release with the same commands: still the cached help', () => {
    writePlugin(root, '6.1.0')
    expect(fastPathOutput({...invocation, argv: ['--help']})).toBe(HELP.replace('AGENT', agent()))
  })

  it('no cache, or an unreadable one: left to oclif; --version still answered', () => {
    writeFileSync(join(root, HELP_CACHE_DIR, 'help.json'), '{"width": ')
    expect(fastPathOutput({...invocation, argv: ['--help']})).toBeUndefined()
    expect(fastPathOutput({...invocation, argv: ['--version']})).toBe(`${agent()}\n`)
  })

  it('a package found in a parent node_modules counts, as Node resolves it', () => {
    const nested = join(root, 'node_modules', 'pinctl')
    writeJson(join(nested, 'package.json'), PJSON)
    writeJson(join(nested, 'oclif.manifest.json'), {version: '1.2.3', commands: {}})
    writeCache(nested)
    expect(fastPathOutput({...invocation, root: nested, argv: ['--help']})).toBe(HELP.replace('AGENT', agent()))
  })
})

describe('withUserAgent', () => {
  const cache = {
    oclif: [],
    width: 80,
    userAgent: 'pinctl/1.2.3 linux-x64 node-v24.0.0',
    text: HELP.replace('AGENT', 'pinctl/1.2.3 linux-x64 node-v24.0.0'),
  }

  it('puts this process’s user agent in the VERSION section', () => {
    expect(withUserAgent(cache, cache.userAgent)).toBe(cache.text)
    expect(withUserAgent(cache, 'pinctl/1.2.3 darwin-arm64 node-v22.12.0')).toBe(
      HELP.replace('AGENT', 'pinctl/1.2.3 darwin-arm64 node-v22.12.0'),
    )
  })

  it('leaves to oclif a user agent it would wrap (longer than the width less the indent), or no VERSION section', () => {
    expect(withUserAgent(cache, `pinctl/1.2.3 linux-x64 node-v24.0.0-${'x'.repeat(43)}`)).toBeUndefined()
    expect(withUserAgent(cache, `pinctl/1.2.3 linux-x64 node-v24.0.0-${'x'.repeat(42)}`)).toContain('x'.repeat(42))
    expect(withUserAgent({...cache, text: 'A CLI.\n'}, 'other')).toBeUndefined()
  })
})
