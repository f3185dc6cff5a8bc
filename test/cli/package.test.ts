import {execa} from 'execa'
import {readdirSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {REPO, tempDir} from './run-cli.js'

/**
 * The package as a user gets it: `npm pack` (prepack rebuilds dist/ and oclif.manifest.json),
 * then `npm install -g` of the tarball into a temporary prefix, dependencies from the registry.
 */
describe('the packed package', () => {
  it('installs with npm install -g and runs --version, --help and autocomplete', async () => {
    const dir = tempDir('pinctl-pack-')
    const packed = await execa('npm', ['pack', '--pack-destination', dir, '--json', '--loglevel=error'], {cwd: REPO})
    // prepack's build prints before npm's JSON report.
    const [{filename, files}] = JSON.parse(packed.stdout.slice(packed.stdout.search(/^\[/m))) as Array<{
      filename: string
      files: Array<{path: string}>
    }>
    const paths = files.map((file) => file.path)
    expect(paths).toContain('oclif.manifest.json')
    expect(paths).toContain('bin/run.js')
    expect(paths).toContain('dist/commands/config/index.js')
    expect(paths.filter((path) => /^(src|test|scripts)\//.test(path))).toEqual([])

    const prefix = join(dir, 'prefix')
    await execa(
      'npm',
      ['install', '-g', join(dir, filename), '--prefix', prefix, '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'],
      {cwd: dir},
    )
    const bin = join(prefix, 'bin', 'pinctl')
    const home = tempDir('pinctl-pack-home-')
    const run = (args: string[]) =>
      execa(bin, args, {reject: false, cwd: home, extendEnv: false, env: {PATH: String(process.env.PATH), HOME: home, NO_COLOR: '1'}})

    const version = await run(['--version'])
    expect(version.exitCode, version.stderr).toBe(0)
    expect(version.stdout).toMatch(/^pinctl\/0\.\d+\.\d+ /)
    const help = await run(['--help'])
    expect(help.exitCode).toBe(0)
    expect(help.stdout).toMatch(/^ {2}setup-client\b/m)
    const completion = await run(['autocomplete', 'script', 'bash'])
    expect(completion.exitCode, completion.stderr).toBe(0)
    expect(completion.stdout).toContain('PINCTL_AC_BASH_SETUP_PATH=')
    expect(readdirSync(join(prefix, 'lib', 'node_modules'))).toEqual(['pinctl'])
  }, 600_000)
})
