import {execa} from 'execa'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {PINCTL, runCli, runTracingModules, tempDir} from './run-cli.js'

describe('help', () => {
  it('`pinctl help` lists the commands and topics', async () => {
    const result = await runCli(['help'])
    expect(result.exitCode).toBe(0)
    for (const name of ['init', 'setup-client', 'consume', 'produce', 'config', 'topics', 'connector'])
      expect(result.stdout).toMatch(new RegExp(`^  ${name}\\b`, 'm'))
  })

  it('`help consume`, `consume -h` and `consume --help` print the same help', async () => {
    const [help, short, long] = await Promise.all([runCli(['help', 'consume']), runCli(['consume', '-h']), runCli(['consume', '--help'])])
    for (const result of [help, short, long]) expect(result.exitCode).toBe(0)
    expect(long.stdout).toContain('$ pinctl consume TOPIC')
    expect(long.stdout).toContain('--partition=<value>')
    expect(short.stdout).toBe(long.stdout)
    expect(help.stdout).toBe(long.stdout)
  })

  it('shows the environment variable of every flag that has one', async () => {
    const {stdout} = await runCli(['setup-client', '--help'])
    for (const variable of [
      'PINCTL_HOST',
      'PINCTL_SSH_PORT',
      'PINCTL_KEY_FILE',
      'PINCTL_USER',
      'PINCTL_REGION',
      'AWS_ENDPOINT_URL',
      'PINCTL_MIRROR',
      'PINCTL_AUTH',
    ]) {
      expect(stdout).toContain(`[env: ${variable}]`)
    }
  })

  it('-v and --version print the version', async () => {
    const [short, long] = await Promise.all([runCli(['-v']), runCli(['--version'])])
    expect(long.stdout).toMatch(/^pinctl\/\d+\.\d+\.\d+ /)
    expect(short.stdout).toBe(long.stdout)
  })

  it.each([
    [['--version'], false],
    [['--help'], false],
    [['--help'], true],
    [['help', 'setup-client'], true],
    [['rest-proxy', 'start', '--help'], true],
    [['connector', 'create', '-h'], true],
  ])('pinctl %j loads no AWS SDK, ssh2 or inquirer module (through oclif: %s)', async (args, throughOclif) => {
    // --version and --help are answered without oclif (test/cli/startup.test.ts); PINCTL_NO_FAST_PATH=1 asks oclif.
    const env: Record<string, string> = throughOclif && args.length === 1 ? {PINCTL_NO_FAST_PATH: '1'} : {}
    const {result, modules, loadedOclif} = await runTracingModules(args, {env})
    expect(result.exitCode).toBe(0)
    expect(loadedOclif).toBe(throughOclif)
    expect(modules.filter((url) => /@aws-sdk|\/ssh2\/|node-ssh|@inquirer/.test(url))).toEqual([])
  })
})

describe('shell completion', () => {
  it.each(['bash', 'zsh'])('%s: the setup line and a completion function with commands and flags', async (shell) => {
    const home = tempDir()
    const script = await runCli(['autocomplete', 'script', shell], {home})
    expect(script.exitCode).toBe(0)
    expect(script.stdout).toContain(`PINCTL_AC_${shell.toUpperCase()}_SETUP_PATH=`)
    const setup = await runCli(['autocomplete', shell], {home})
    expect(setup.exitCode).toBe(0)
    const file =
      shell === 'bash'
        ? join(home, '.cache', 'pinctl', 'autocomplete', 'functions', 'bash', 'pinctl.bash')
        : join(home, '.cache', 'pinctl', 'autocomplete', 'functions', 'zsh', '_pinctl')
    const completion = readFileSync(file, 'utf8')
    for (const word of ['setup-client', 'consume', 'config', '--partition', '--print-key']) expect(completion).toContain(word)
  })
})

describe('unknown commands', () => {
  it.each([
    [['setup-clinet'], 'setup-client'],
    [['topic', 'create'], 'topics create'],
    [['comsume', 'pin'], 'consume'],
  ])('%j suggests `pinctl %s`, exit 2', async (args, suggestion) => {
    const result = await runCli(args)
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain(`did you mean \`pinctl ${suggestion}\`?`)
    expect(result.stderr).toContain('hint: `pinctl help` lists the commands')
  })

  it('on a terminal, @oclif/plugin-not-found asks; "n" ends with the same one-line error, exit 2', async () => {
    // util-linux `script` gives the CLI a terminal; "n" answers the plugin's "Did you mean …?".
    const home = tempDir()
    const command = `${process.execPath} ${PINCTL} setup-clinet`
    const result = await execa('script', ['-qec', command, '/dev/null'], {
      input: 'n\r',
      reject: false,
      extendEnv: false,
      env: {PATH: process.env.PATH ?? '', HOME: home, NO_COLOR: '1', TERM: 'dumb'},
      timeout: 30_000,
    })
    expect(result.stdout).toContain('Did you mean setup-client?')
    expect(result.stdout).toContain('error: `setup-clinet` is not a pinctl command; did you mean `pinctl setup-client`?')
    expect(result.exitCode).toBe(2)
  })

  it('under --json the error is one document on stdout', async () => {
    const result = await runCli(['setup-clinet', '--json'])
    expect(result.exitCode).toBe(2)
    expect(JSON.parse(result.stdout)).toEqual({
      error: {
        code: 'usage',
        exitCode: 2,
        message: '`setup-clinet` is not a pinctl command; did you mean `pinctl setup-client`?',
        hint: '`pinctl help` lists the commands',
      },
    })
  })
})

describe('renamed flags', () => {
  it('api wire --port still works as a deprecated alias of --rest-proxy-port', async () => {
    const result = await runCli(['api', 'wire', '--port', '8083', '--host', 'h.example', '--user', 'abcdef123'], {
      env: {AWS_EC2_METADATA_DISABLED: 'true'},
    })
    expect(result.stderr).toContain('The "--port" flag has been deprecated. Use "--rest-proxy-port"')
    // It got past parsing: the next thing that fails is the AWS call, for want of credentials.
    expect(result.exitCode).toBe(3)
    const help = await runCli(['api', 'wire', '--help'])
    expect(help.stdout).toContain('--rest-proxy-port=<value>')
    expect(help.stdout).not.toMatch(/^\s+--port=/m)
  })
})
