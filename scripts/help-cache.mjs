// Renders the root help with oclif itself, as it prints it into a pipe, and stores it in dist/help-root.json with the
// key of what it was made from, for bin/run.js to print without loading oclif (src/cli/fast-path.ts). Run by
// `npm run build` after `oclif manifest`; a failure here fails the build.
import {spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const {HELP_CACHE_FILE, PIPE_WIDTH, helpCacheKey} = await import('../dist/cli/fast-path.js')
const cacheFile = join(root, HELP_CACHE_FILE)
rmSync(cacheFile, {force: true})

// As a new user runs it: an empty HOME (no user plugins, no theme), no variables that change the rendering.
const home = mkdtempSync(join(tmpdir(), 'pinctl-help-cache-'))
function oclif(args) {
  const result = spawnSync(process.execPath, [join(root, 'bin', 'run.js'), ...args], {
    cwd: home,
    encoding: 'utf8',
    env: {PATH: process.env.PATH ?? '', HOME: home, PINCTL_NO_FAST_PATH: '1'},
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  if (result.status !== 0 || result.stderr !== '') {
    throw new Error(`pinctl ${args.join(' ')} exited ${result.status}: ${result.stderr || result.error}`)
  }
  return result.stdout
}
try {
  const userAgent = oclif(['--version']).trimEnd()
  const text = oclif(['--help'])
  if (text.split(`\nVERSION\n  ${userAgent}\n`).length !== 2) throw new Error(`the root help has no VERSION section with ${userAgent}`)
  const key = helpCacheKey(root, readFileSync(join(root, 'package.json'), 'utf8'))
  if (key === undefined) throw new Error('no key for the root help: oclif.manifest.json or an oclif package is missing')
  writeFileSync(cacheFile, `${JSON.stringify({key, width: PIPE_WIDTH, userAgent, text}, null, 2)}\n`)
} finally {
  rmSync(home, {recursive: true, force: true})
}
