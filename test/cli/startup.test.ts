import {execa} from 'execa'
import {copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {PINCTL, REPO, runCli, runTracingModules, tempDir} from './run-cli.js'

const OCLIF = {PINCTL_NO_FAST_PATH: '1'}

/**
 * A copy of the built package to change without touching the repository: bin/run.js, package.json,
 * oclif.manifest.json and dist/help-root/ copied, the rest of dist/ and node_modules linked, but for
 * `copiedPackage` (say @oclif/plugin-autocomplete), copied into a node_modules of links.
 */
function packageCopy(copiedPackage?: string): {root: string; script: string} {
  const root = tempDir('pinctl-copy-')
  mkdirSync(join(root, 'bin'))
  mkdirSync(join(root, 'dist'))
  for (const file of ['bin/run.js', 'package.json', 'oclif.manifest.json']) copyFileSync(join(REPO, file), join(root, file))
  cpSync(join(REPO, 'dist', 'help-root'), join(root, 'dist', 'help-root'), {recursive: true})
  linkAllBut(join(REPO, 'dist'), join(root, 'dist'), 'help-root')
  if (copiedPackage === undefined) {
    symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'))
  } else {
    const [scope, name] = copiedPackage.split('/')
    linkAllBut(join(REPO, 'node_modules'), join(root, 'node_modules'), scope)
    linkAllBut(join(REPO, 'node_modules', scope), join(root, 'node_modules', scope), name)
    cpSync(join(REPO, 'node_modules', copiedPackage), join(root, 'node_modules', copiedPackage), {recursive: true})
  }
  return {root, script: join(root, 'bin', 'run.js')}
}

function linkAllBut(from: string, to: string, except: string) {
  mkdirSync(to, {recursive: true})
  for (const entry of readdirSync(from).filter((name) => name !== except)) symlinkSync(join(from, entry), join(to, entry))
}

function editJson<T>(path: string, edit: (value: T) => void) {
  const value = JSON.parse(readFileSync(path, 'utf8')) as T
  edit(value)
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`)
}

describe('--version and the root help without oclif', () => {
  it.each([['--version'], ['-v']])('%s prints what oclif prints, without loading oclif', async (flag) => {
    const [fast, oclif] = await Promise.all([runTracingModules([flag]), runCli([flag], {env: OCLIF})])
    expect(oclif.exitCode).toBe(0)
    expect(fast.result.exitCode).toBe(0)
    expect(fast.result.stdout).toBe(oclif.stdout)
    expect(fast.result.stderr).toBe('')
    expect(fast.loadedOclif).toBe(false)
  })

  it.each([[['--help']], [['-h']], [['help']], [[]]])(
    'pinctl %j prints oclif’s root help byte for byte, without loading oclif',
    async (args) => {
      const [fast, oclif] = await Promise.all([runTracingModules(args), runCli(args, {env: OCLIF})])
      expect(oclif.exitCode).toBe(0)
      expect(oclif.stdout).toMatch(/^COMMANDS$/m)
      expect(fast.result.exitCode).toBe(0)
      expect(fast.result.stdout).toBe(oclif.stdout)
      expect(fast.result.stderr).toBe('')
      expect(fast.loadedOclif).toBe(false)
    },
  )

  it.each([[['--help']], [['--version']], [['--help', 'consume']]])(
    'pinctl %j into a closed pipe: exit 0, nothing on stderr, as oclif',
    async (args) => {
      const run = (env: Record<string, string>) => {
        const home = tempDir()
        const child = execa(process.execPath, [PINCTL, ...args], {
          reject: false,
          extendEnv: false,
          env: {PATH: process.env.PATH ?? '', HOME: home, ...env},
        })
        // The reader is gone before the CLI writes: its write fails with EPIPE.
        child.stdout.destroy()
        return child
      }
      const [fast, oclif] = await Promise.all([run({}), run(OCLIF)])
      expect([fast.exitCode, fast.stderr]).toEqual([0, ''])
      expect([oclif.exitCode, oclif.stderr]).toEqual([0, ''])
    },
  )

  it('on a terminal (bold headings, its width) oclif renders the help', async () => {
    // util-linux `script` gives the CLI a terminal; with TERM=xterm supports-color turns bold on.
    const home = tempDir()
    const result = await execa('script', ['-qec', `${process.execPath} ${PINCTL} --help`, '/dev/null'], {
      reject: false,
      extendEnv: false,
      env: {PATH: process.env.PATH ?? '', HOME: home, TERM: 'xterm'},
      timeout: 30_000,
    })
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain('\u001B[1mVERSION\u001B[22m')
  })
})

describe('a stale or missing root help cache: oclif answers', () => {
  it('no dist/help-root/', async () => {
    const {root, script} = packageCopy()
    rmSync(join(root, 'dist', 'help-root'), {recursive: true})
    const [copy, oclif] = await Promise.all([runTracingModules(['--help'], {script}), runCli(['--help'], {env: OCLIF})])
    expect(copy.result.stdout).toBe(oclif.stdout)
    expect(copy.loadedOclif).toBe(true)
  })

  it('package.json changed since the build (a new description)', async () => {
    const {root, script} = packageCopy()
    editJson(join(root, 'package.json'), (pjson: {description: string}) => {
      pjson.description = 'A new description.'
    })
    const [copy, oclif] = await Promise.all([runTracingModules(['--help'], {script}), runCli(['--help'], {script, env: OCLIF})])
    expect(copy.result.stdout).toMatch(/^A new description\.\n/)
    expect(copy.result.stdout).toBe(oclif.stdout)
    expect(copy.loadedOclif).toBe(true)
  })

  it('oclif.manifest.json changed since the build (a command’s summary)', async () => {
    const {root, script} = packageCopy()
    editJson(join(root, 'oclif.manifest.json'), (manifest: {commands: Record<string, {summary: string}>}) => {
      manifest.commands.consume.summary = 'Read a topic'
    })
    const copy = await runTracingModules(['--help'], {script})
    expect(copy.result.stdout).toMatch(/^ {2}consume +Read a topic$/m)
    expect(copy.loadedOclif).toBe(true)
  })

  it('a plugin release with the same commands (as npm install -g may pick): still the cached help', async () => {
    const plugin = '@oclif/plugin-autocomplete'
    const {root, script} = packageCopy(plugin)
    for (const file of ['package.json', 'oclif.manifest.json']) {
      editJson(join(root, 'node_modules', plugin, file), (json: {version: string}) => {
        json.version = '99.0.0'
      })
    }
    const [copy, oclif] = await Promise.all([runTracingModules(['--help'], {script}), runCli(['--help'], {script, env: OCLIF})])
    expect(copy.result.stdout).toBe(oclif.stdout)
    expect(copy.loadedOclif).toBe(false)
  })

  it('a plugin release with other commands: oclif answers', async () => {
    const plugin = '@oclif/plugin-autocomplete'
    const {root, script} = packageCopy(plugin)
    editJson(join(root, 'node_modules', plugin, 'oclif.manifest.json'), (manifest: {commands: Record<string, {summary: string}>}) => {
      manifest.commands.autocomplete.summary = 'Complete the words.'
    })
    const copy = await runTracingModules(['--help'], {script})
    expect(copy.result.stdout).toMatch(/^ {2}autocomplete +Complete the words\.$/m)
    expect(copy.loadedOclif).toBe(true)
  })

  it('a cache rendered on another Node or platform: the same help with this one’s VERSION line', async () => {
    const {root, script} = packageCopy()
    editJson(join(root, 'dist', 'help-root', 'help.json'), (cache: {userAgent: string; text: string}) => {
      cache.text = cache.text.replace(cache.userAgent, 'pinctl/0.1.0 darwin-arm64 node-v22.12.0')
      cache.userAgent = 'pinctl/0.1.0 darwin-arm64 node-v22.12.0'
    })
    const [copy, oclif] = await Promise.all([runTracingModules(['--help'], {script}), runCli(['--help'], {env: OCLIF})])
    expect(copy.result.stdout).toBe(oclif.stdout)
    expect(copy.loadedOclif).toBe(false)
  })
})

describe("Node's compile cache", () => {
  // An empty NODE_COMPILE_CACHE is unset for Node: pinctl picks the directory.
  const own = {NODE_COMPILE_CACHE: ''}

  it('a command through oclif keeps it in the user’s cache dir; --version writes nothing', async () => {
    const home = tempDir()
    expect((await runCli(['--version'], {home, env: own})).exitCode).toBe(0)
    expect(readdirSync(home)).toEqual([])
    const result = await runCli(['config', 'path'], {home, env: own})
    expect(result.exitCode, result.stderr).toBe(0)
    const versions = readdirSync(join(home, '.cache', 'pinctl', 'compile-cache'))
    expect(versions).toEqual([expect.stringMatching(new RegExp(`^${process.version}-`))])
    expect(readdirSync(join(home, '.cache', 'pinctl', 'compile-cache', versions[0])).length).toBeGreaterThan(10)
  })

  it('$XDG_CACHE_HOME/pinctl, and when it cannot be made the command runs as without it, silently', async () => {
    const home = tempDir()
    const xdg = join(home, 'xdg')
    await runCli(['config', 'path'], {home, env: {...own, XDG_CACHE_HOME: xdg}})
    expect(existsSync(join(xdg, 'pinctl', 'compile-cache'))).toBe(true)

    const file = join(home, 'a-file')
    writeFileSync(file, '')
    const [blocked, plain] = await Promise.all([
      runCli(['config', 'path'], {home, env: {...own, XDG_CACHE_HOME: file}}),
      runCli(['config', 'path'], {home, env: {NODE_DISABLE_COMPILE_CACHE: '1'}}),
    ])
    expect(blocked.stderr).toBe('')
    expect(blocked.exitCode).toBe(0)
    expect(blocked.stdout).toBe(plain.stdout)
  })
})
