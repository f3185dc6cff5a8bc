import {execa} from 'execa'
import {createServer} from 'node:net'
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {Errors} from '@oclif/core'
import {describe, expect, it} from 'vitest'

import {usageErrorFrom} from '../../src/cli/usage-error.js'
import {closestCommand} from '../../src/cli/suggest.js'
import {describeSettings} from '../../src/config/describe.js'
import {deriveDefaults, requireSetting} from '../../src/config/resolve.js'
import {ConfigError, RemoteCommandError, UsageError} from '../../src/errors.js'
import {lockFlags, parseDuration} from '../../src/flags.js'
import {consumeScript, formatRecord, parseStartOffset, type ConsumedRecord} from '../../src/kafka/consume.js'
import {NO_LOG_EXIT, restProxyLogsCommand} from '../../src/kafka/rest-proxy-service.js'
import {httpViaUrl, produceRecords} from '../../src/kafka/rest-proxy.js'

describe('durations, URLs and offsets', () => {
  it('every time flag reads 30, 30s, 500ms, 5m, 1.5h and refuses zero, negatives and words', () => {
    expect([parseDuration('30'), parseDuration('30s'), parseDuration('500ms'), parseDuration('5m'), parseDuration('1.5h')]).toEqual([
      30_000, 30_000, 500, 300_000, 5_400_000,
    ])
    for (const bad of ['0', '0s', '-5m', 'soon', '5x', '']) expect(() => parseDuration(bad), bad).toThrow(ConfigError)
  })

  it('a duration default is in the description as typed, and still applies', () => {
    const flag = lockFlags['lock-timeout']
    expect(flag.default).toBe(60_000)
    expect(flag.description).toMatch(/\[default: 60s\]$/)
    expect(flag.noCacheDefault).toBe(true)
  })

  it("--offset is beginning, end or a number, in the console consumer's words", () => {
    expect([parseStartOffset('beginning'), parseStartOffset('end'), parseStartOffset('3'), parseStartOffset(undefined)]).toEqual([
      'earliest',
      'latest',
      '3',
      undefined,
    ])
    expect(() => parseStartOffset('-1')).toThrow(/not beginning, end or an offset number/)
  })
})

describe('consume and produce placement', () => {
  it('--partition reads without a group, from --offset', () => {
    const script = consumeScript({bootstrapServers: 'b:9092', topic: 'u.pin', partition: 1, startOffset: '3', fromBeginning: false})
    expect(script).toContain('--partition 1 --offset 3')
    expect(script).not.toContain('--group')
    expect(consumeScript({bootstrapServers: 'b:9092', topic: 'u.pin', group: 'students', fromBeginning: true})).toContain(
      '--group students --from-beginning',
    )
  })

  it('--print-key puts the key and a tab before the raw value', () => {
    const record: ConsumedRecord = {topic: 't', partition: 0, offset: 1, timestamp: null, timestampType: null, key: 'user-7', value: {a: 1}}
    expect(formatRecord(record, 'raw', {printKey: true})).toBe('user-7\t{"a":1}')
    expect(formatRecord({...record, key: null}, 'raw', {printKey: true})).toBe('null\t{"a":1}')
  })

  it('--key and --partition go on every v2 record', async () => {
    const bodies: string[] = []
    const transport = async (_method: string, _path: string, body?: string) => {
      bodies.push(body ?? '')
      return {
        status: 200,
        body: JSON.stringify({
          offsets: [
            {partition: 1, offset: 0},
            {partition: 1, offset: 1},
          ],
        }),
      }
    }
    await produceRecords(transport, 't', [{a: 1}, {a: 2}], {key: 'k', partition: 1})
    expect(JSON.parse(bodies[0])).toEqual({
      records: [
        {key: 'k', partition: 1, value: {a: 1}},
        {key: 'k', partition: 1, value: {a: 2}},
      ],
    })
    await produceRecords(transport, 't', [{a: 1}])
    expect(JSON.parse(bodies[1])).toEqual({records: [{value: {a: 1}}]})
  })

  it('a REST proxy that does not answer is exit 5 naming rest-proxy status, not an internal error', async () => {
    const server = createServer((socket) => socket.destroy())
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const {port} = server.address() as {port: number}
    try {
      const error = await httpViaUrl(`http://127.0.0.1:${port}`, 'ssh tunnel to h:8082')('GET', '/topics').catch((caught) => caught)
      expect(error).toBeInstanceOf(RemoteCommandError)
      expect(error.exitCode).toBe(5)
      expect(error.message).toMatch(/^cannot reach the REST proxy via ssh tunnel to h:8082: /)
      expect(error.hint).toContain('pinctl rest-proxy status')
    } finally {
      server.close()
    }
  })

  it('the logs script exits with its own status when the host has no proxy log', async () => {
    const home = mkdtempSync(join(tmpdir(), 'pinctl-nolog-'))
    const result = await execa('bash', ['-c', restProxyLogsCommand(10, false)], {reject: false, env: {HOME: home}})
    expect(result.exitCode).toBe(NO_LOG_EXIT)
  })
})

describe('usage errors keep their reason', () => {
  it('a flag that failed to parse: the flag and the reason on one line', () => {
    const error = usageErrorFrom(
      new Error('Parsing --partitions \n\tExpected an integer greater than or equal to 1 but received: 0\nSee more help with --help'),
      'pinctl topics create',
    )
    expect(error).toBeInstanceOf(UsageError)
    expect(error.message).toBe('--partitions: Expected an integer greater than or equal to 1 but received: 0')
    expect(error.hint).toBe('`pinctl topics create --help` shows the flags, arguments and examples')
  })

  it('a violated constraint: the reasons, not the header', () => {
    const error = usageErrorFrom(
      new Errors.CLIError(
        'The following error occurred:\n  \u001b[2m--file=x cannot also be provided when using --data\u001b[22m\nSee more help with --help',
      ),
      'pinctl produce',
    )
    expect(error.message).toBe('--file=x cannot also be provided when using --data')
  })

  it('a missing argument is named', () => {
    const missing = Object.assign(new Errors.CLIError('Missing 1 required arg:\ntopic  pin, geo…\nSee more help with --help'), {
      args: [{name: 'topic', description: 'pin, geo, user'}],
    })
    expect(usageErrorFrom(missing, 'pinctl consume').message).toBe('missing argument: TOPIC (pin, geo, user)')
  })

  it('a ConfigError from a flag parser keeps its own hint', () => {
    const thrown = new ConfigError('"soon" is not beginning, end or an offset number', 'e.g. --partition 0 --offset 3')
    thrown.message = `Parsing --offset \n\t${thrown.message}\nSee more help with --help`
    expect(usageErrorFrom(thrown, 'pinctl consume')).toMatchObject({
      message: '--offset: "soon" is not beginning, end or an offset number',
      hint: 'e.g. --partition 0 --offset 3',
    })
  })

  it('a long value oclif echoes is cut', () => {
    const error = usageErrorFrom(
      new Error(`Parsing --partitions \n\tExpected an integer but received: ${'9'.repeat(10_000)}\nSee more help with --help`),
      'pinctl topics create',
    )
    expect(error.message).toBe(`--partitions: Expected an integer but received: ${'9'.repeat(59)}… (10000 characters)`)
  })
})

describe('suggestions and settings', () => {
  const ids = ['setup-client', 'topics:create', 'topics:list', 'consume', 'config', 'config:path']
  it.each([
    [['setup-clinet'], 'setup-client'],
    [['topic', 'create'], 'topics:create'],
    [['comsume', 'pin'], 'consume'],
    [['qqqqqqqqqqqq'], undefined],
  ])('%j → %s', (words, expected) => {
    expect(closestCommand(words, ids)).toBe(expected)
  })

  it('a setting made from the user id asks for the user id, by flag and variable', () => {
    const config = deriveDefaults({})
    expect(() => requireSetting(config, 'topics')).toThrow('no user id: pass --user, set PINCTL_USER or run `pinctl init`')
    expect(() => requireSetting(config, 'host')).toThrow('no `host`: pass --host, set PINCTL_HOST or run `pinctl init`')
    // One hint per setting, whichever command asks.
    const hint = (key: 'topics' | 'userId' | 'host') => {
      try {
        requireSetting(config, key)
      } catch (error) {
        return (error as {hint?: string}).hint
      }
    }
    expect(hint('topics')).toBe(hint('userId'))
    expect(hint('userId')).toMatch(/names the topics, bucket, role/)
  })

  it('describes defaults, derived names and what is not set', () => {
    const settings = describeSettings(
      deriveDefaults(
        {userId: 'abc123def', keyPairName: 'kp'},
        {userId: 'flag --user', keyPairName: 'env PINCTL_KEY_PAIR'},
        {env: {}, home: '/h'},
      ),
    )
    const by = Object.fromEntries(settings.map((setting) => [setting.key, setting]))
    expect(by.userId.source).toBe('flag --user')
    expect(by.keyFile).toEqual({key: 'keyFile', value: '/h/.ssh/kp.pem', source: 'derived from keyPairName'})
    expect(by.bucket.source).toBe('derived from userId')
    expect(by.sshPort).toEqual({key: 'sshPort', value: 22, source: 'default'})
    expect(by.mirror).toEqual({key: 'mirror', value: null, source: 'not set'})
  })
})
