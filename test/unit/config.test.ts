import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {beforeEach, describe, expect, it} from 'vitest'

import {resolveConfig} from '../../src/config/resolve.js'
import {ConfigError} from '../../src/errors.js'

let home: string
let cwd: string

function userFile(data: unknown): void {
  mkdirSync(join(home, '.config', 'pinctl'), {recursive: true})
  writeFileSync(join(home, '.config', 'pinctl', 'config.json'), JSON.stringify(data))
}

function projectFile(data: unknown, name = 'pinctl.json'): string {
  const path = join(cwd, name)
  writeFileSync(path, typeof data === 'string' ? data : JSON.stringify(data))
  return path
}

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'pinctl-home-'))
  cwd = mkdtempSync(join(tmpdir(), 'pinctl-cwd-'))
})

describe('resolveConfig precedence', () => {
  it('takes flags over env over project file over user file over defaults', () => {
    userFile({userId: 'userfile1', region: 'eu-west-1', host: 'user.example', sshUser: 'admin'})
    projectFile({userId: 'project1', region: 'eu-west-2', host: 'project.example'})
    const env = {PINCTL_USER: 'envuser1', PINCTL_HOST: 'env.example'}
    const config = resolveConfig({home, cwd, env, flags: {userId: 'flaguser1'}})
    expect(config.userId).toBe('flaguser1')
    expect(config.host).toBe('env.example')
    expect(config.region).toBe('eu-west-2')
    expect(config.sshUser).toBe('admin')
    expect(config.sshPort).toBe(22)
    expect(config.sources).toMatchObject({
      userId: 'flag --user',
      host: 'env PINCTL_HOST',
      region: `file ${join(cwd, 'pinctl.json')}`,
      sshUser: `user file ${join(home, '.config', 'pinctl', 'config.json')}`,
    })
  })

  it('reads an explicit config file instead of ./pinctl.json', () => {
    projectFile({userId: 'project1'})
    const explicit = projectFile({userId: 'explicit1'}, 'other.json')
    expect(resolveConfig({home, cwd, env: {}, configFile: explicit}).userId).toBe('explicit1')
    expect(resolveConfig({home, cwd, env: {PINCTL_CONFIG: explicit}}).userId).toBe('explicit1')
  })

  it('honours XDG_CONFIG_HOME for the user file', () => {
    const xdg = join(home, 'xdg')
    mkdirSync(join(xdg, 'pinctl'), {recursive: true})
    writeFileSync(join(xdg, 'pinctl', 'config.json'), JSON.stringify({userId: 'xdguser1'}))
    const config = resolveConfig({home, cwd, env: {XDG_CONFIG_HOME: xdg}})
    expect(config.userId).toBe('xdguser1')
    expect(config.knownHostsFile).toBe(join(xdg, 'pinctl', 'known_hosts'))
  })

  it('reads AWS_REGION and coerces numeric env values', () => {
    const config = resolveConfig({home, cwd, env: {AWS_REGION: 'ap-south-1', PINCTL_SSH_PORT: '2222'}})
    expect(config.region).toBe('ap-south-1')
    expect(config.sshPort).toBe(2222)
  })
})

describe('names derived from the user id', () => {
  it('derives every default of the design table', () => {
    const config = resolveConfig({home, cwd, env: {}, flags: {userId: '12b287eedf6d'}})
    expect(config.topics).toEqual({pin: '12b287eedf6d.pin', geo: '12b287eedf6d.geo', user: '12b287eedf6d.user'})
    expect(config.bucket).toBe('user-12b287eedf6d-bucket')
    expect(config.roleName).toBe('12b287eedf6d-ec2-access-role')
    expect(config.pluginName).toBe('12b287eedf6d-plugin')
    expect(config.connectorName).toBe('12b287eedf6d-connector')
    expect(config.keyPairName).toBe('12b287eedf6d-key-pair')
    expect(config.keyFile).toBe(join(home, '.ssh', '12b287eedf6d-key-pair.pem'))
    expect(config.apiName).toBe('12b287eedf6d')
    expect(config.auth).toBe('iam')
    expect(config.restProxyPort).toBe(8082)
  })

  it('keeps a derived key file inside ~/.ssh whatever the key pair is called', () => {
    for (const name of ['../../etc/cron.d/x', '.hidden', 'a/b c']) {
      const config = resolveConfig({home, cwd, env: {}, flags: {keyPairName: name}})
      expect(config.keyFile!.startsWith(join(home, '.ssh') + '/')).toBe(true)
      expect(config.keyFile!.slice(join(home, '.ssh').length + 1)).not.toMatch(/\/|^\./)
    }
  })

  it('lets every derived default be overridden', () => {
    const env = {PINCTL_BUCKET: 'my-bucket', PINCTL_ROLE: 'my-role', PINCTL_KEY_FILE: '~/keys/k.pem'}
    const config = resolveConfig({home, cwd, env, flags: {userId: '12b287eedf6d'}})
    expect(config.bucket).toBe('my-bucket')
    expect(config.roleName).toBe('my-role')
    expect(config.keyFile).toBe(join(home, 'keys', 'k.pem'))
  })
})

describe('validation', () => {
  it.each(['AB12', 'ab', '-abc', 'abc-', 'a'.repeat(33), 'ab_cd', 'ab cd', "x';rm -rf /", '12b287eedf6d\n'])(
    'rejects user id %j',
    (bad) => {
      expect(() => resolveConfig({home, cwd, env: {}, flags: {userId: bad}})).toThrow(/^invalid --user: must be 3 to 32 characters/)
    },
  )

  it.each(['12b287eedf6d', 'abc', 'team-7', 'a'.repeat(32)])('accepts user id %j', (good) => {
    expect(resolveConfig({home, cwd, env: {}, flags: {userId: good}}).userId).toBe(good)
  })

  it.each(['ftp://mirror.example/dist', 'file:///etc/passwd', 'javascript:alert(1)', 'mirror.example:8000', ''])(
    'rejects mirror URL %j',
    (bad) => {
      expect(() => resolveConfig({home, cwd, env: {}, flags: {mirror: bad}})).toThrow(/^invalid --mirror: must be an http\(s\) URL/)
    },
  )

  it.each(['http://10.0.0.5:8000', 'https://mirror.example/base/', 'HTTP://127.0.0.1:24533'])('accepts mirror URL %j', (good) => {
    expect(resolveConfig({home, cwd, env: {}, flags: {mirror: good}}).mirror).toBe(good)
  })

  it('checks the endpoint URL from the environment the same way', () => {
    expect(() => resolveConfig({home, cwd, env: {AWS_ENDPOINT_URL: 'file:///tmp/x'}})).toThrow(
      /^invalid AWS_ENDPOINT_URL: must be an http\(s\) URL/,
    )
  })

  it('names the env variable that is wrong', () => {
    expect(() => resolveConfig({home, cwd, env: {PINCTL_SSH_PORT: 'ssh'}})).toThrow(/^invalid PINCTL_SSH_PORT: /)
  })

  it('rejects malformed JSON with the file name', () => {
    const path = projectFile('{"userId": ')
    expect(() => resolveConfig({home, cwd, env: {}})).toThrow(new RegExp(`${path}.*not valid JSON`))
  })

  it('rejects unknown keys so typos do not pass silently', () => {
    projectFile({userID: 'abc123'})
    expect(() => resolveConfig({home, cwd, env: {}})).toThrow(/unknown setting "userID" in config file/)
  })

  it('rejects a wrong value and names the field and file', () => {
    const path = projectFile({auth: 'kerberos'})
    const error = (() => {
      try {
        resolveConfig({home, cwd, env: {}})
      } catch (error) {
        return error
      }
    })()
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).message).toContain('auth')
    expect((error as ConfigError).message).toContain(path)
    expect((error as ConfigError).exitCode).toBe(2)
  })

  it('requires an explicitly named config file to exist', () => {
    expect(() => resolveConfig({home, cwd, env: {}, configFile: 'missing.json'})).toThrow(/cannot read config file/)
  })

  it('rejects a JSON file that is not an object', () => {
    projectFile('[1,2]')
    expect(() => resolveConfig({home, cwd, env: {}})).toThrow(/must hold a JSON object/)
  })
})
