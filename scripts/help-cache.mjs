// Renders the root help with oclif itself, as it prints it into a pipe, and stores it in dist/help-root/ with what it
// was rendered from, for bin/run.js to print without loading oclif (src/cli/fast-path.ts). Run by `npm run build`
// after `oclif manifest`; a failure here fails the build.
import {spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const {HELP_CACHE_DIR, writeRootHelp} = await import('../dist/cli/fast-path.js')
rmSync(join(root, HELP_CACHE_DIR), {recursive: true, force: true})

// As a new user runs it: an empty HOME (no user plugins, no theme), none of the variables that change the rendering.
const home = mkdtempSync(join(tmpdir(), 'pinctl-help-cache-'))
function oclif(args) {
  const result = spawnSync(process.execPath, [join(root, 'bin', 'run.js'), ...args], {
    cwd: home,
    encoding: 'utf8',
    env: {PATH: process.env.PATH ?? '', HOME: home, PINCTL_NO_FAST_PATH: '1', NODE_DISABLE_COMPILE_CACHE: '1'},
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
  writeRootHelp(root, {userAgent, text})
} finally {
  rmSync(home, {recursive: true, force: true})
}
