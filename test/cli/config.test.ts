import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {runCli, tempDir} from './run-cli.js'

interface Setting {
  key: string
  value: string | number | null
  source: string
}

async function settings(args: string[], options: Parameters<typeof runCli>[1]): Promise<Record<string, Setting>> {
  const result = await runCli(['config', '--json', ...args], options)
  expect(result.exitCode, result.stderr).toBe(0)
  const {settings: list} = JSON.parse(result.stdout) as {settings: Setting[]}
  return Object.fromEntries(list.map((setting) => [setting.key, setting]))
}

describe('pinctl config: every setting with its source', () => {
  it('names the flag, the variable, the file, the user file, a default and what is derived', async () => {
    const home = tempDir()
    const cwd = tempDir()
    mkdirSync(join(home, '.config', 'pinctl'), {recursive: true})
    const userFile = join(home, '.config', 'pinctl', 'config.json')
    writeFileSync(userFile, JSON.stringify({sshUser: 'admin', region: 'eu-west-1', auth: 'plaintext'}))
    const projectFile = join(cwd, 'pinctl.json')
    writeFileSync(projectFile, JSON.stringify({region: 'eu-west-2', host: 'file.example', clusterName: 'from-file'}))

    const found = await settings(['--user', 'flaguser1', '--ssh-port', '2222'], {
      home,
      cwd,
      env: {PINCTL_HOST: 'env.example', AWS_PROFILE: 'student'},
    })
    expect(found.userId).toEqual({key: 'userId', value: 'flaguser1', source: 'flag --user'})
    expect(found.sshPort).toEqual({key: 'sshPort', value: 2222, source: 'flag --ssh-port'})
    expect(found.host).toEqual({key: 'host', value: 'env.example', source: 'env PINCTL_HOST'})
    expect(found.profile).toEqual({key: 'profile', value: 'student', source: 'env AWS_PROFILE'})
    expect(found.region).toEqual({key: 'region', value: 'eu-west-2', source: `file ${projectFile}`})
    expect(found.clusterName.source).toBe(`file ${projectFile}`)
    expect(found.sshUser).toEqual({key: 'sshUser', value: 'admin', source: `user file ${userFile}`})
    expect(found.auth.source).toBe(`user file ${userFile}`)
    expect(found.restProxyPort).toEqual({key: 'restProxyPort', value: 8082, source: 'default'})
    expect(found.bucket).toEqual({key: 'bucket', value: 'user-flaguser1-bucket', source: 'derived from userId'})
    expect(found.keyFile).toEqual({key: 'keyFile', value: join(home, '.ssh', 'flaguser1-key-pair.pem'), source: 'derived from userId'})
    expect(found.mirror).toEqual({key: 'mirror', value: null, source: 'not set'})
  })

  it('a flag given through its variable is reported as the variable; --config names its file', async () => {
    const home = tempDir()
    const explicit = join(tempDir(), 'prod.json')
    writeFileSync(explicit, JSON.stringify({userId: 'produser1'}))
    const found = await settings(['--config', explicit], {
      home,
      env: {PINCTL_USER: 'envuser1', PINCTL_ENDPOINT_URL: 'http://127.0.0.1:5000'},
    })
    expect(found.userId.source).toBe('env PINCTL_USER')
    expect(found.endpoint).toEqual({key: 'endpoint', value: 'http://127.0.0.1:5000', source: 'env PINCTL_ENDPOINT_URL'})
    const fromFile = await settings(['--config', explicit, '--endpoint-url', 'http://127.0.0.1:6000'], {home})
    expect(fromFile.userId.source).toBe(`file ${explicit}`)
    expect(fromFile.endpoint.source).toBe('flag --endpoint-url')
  })

  it('`config show` is the same command; the table has a row per setting', async () => {
    const home = tempDir()
    const [table, show] = await Promise.all([
      runCli(['config', '--user', 'abc123def'], {home}),
      runCli(['config', 'show', '--user', 'abc123def'], {home}),
    ])
    expect(table.exitCode).toBe(0)
    expect(show.stdout).toBe(table.stdout)
    expect(table.stdout.split('\n')[0]).toMatch(/^SETTING +VALUE +SOURCE$/)
    expect(table.stdout).toMatch(/^userId +abc123def +flag --user$/m)
    expect(table.stdout).toMatch(/^topics +abc123def\.pin,abc123def\.geo,abc123def\.user +derived from userId$/m)
  })

  it('`config path` lists the files read, highest precedence first, and whether they exist', async () => {
    const home = tempDir()
    const cwd = tempDir()
    writeFileSync(join(cwd, 'pinctl.json'), '{}')
    const result = await runCli(['config', 'path', '--json'], {home, cwd})
    expect(result.exitCode).toBe(0)
    expect(JSON.parse(result.stdout).files).toEqual([
      {path: join(cwd, 'pinctl.json'), kind: 'file', exists: true, reason: './pinctl.json in the current directory'},
      {
        path: join(home, '.config', 'pinctl', 'config.json'),
        kind: 'user file',
        exists: false,
        reason: 'the user file ($XDG_CONFIG_HOME/pinctl/config.json)',
      },
    ])
  })
})
