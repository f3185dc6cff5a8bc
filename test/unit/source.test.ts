import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {deriveDefaults, resolveConfig} from '../../src/config/resolve.js'
import {evaluateDbReachable, sourceChecks} from '../../src/doctor/source.js'
import {ConfigError, describeError, ExitCode, RemoteCommandError} from '../../src/errors.js'
import {runEmulation} from '../../src/kafka/emulate.js'
import type {ProxyTransport} from '../../src/kafka/rest-proxy.js'
import {parseDbCreds, readDbCreds} from '../../src/source/creds.js'
import {databaseError} from '../../src/source/database.js'
import {castField, rowToRecord} from '../../src/source/rows.js'
import {databaseRecords, dbCredsFile} from '../../src/source/source.js'

const PASSWORD = 's3cr3t-P4ss'
const GOOD = `HOST: db.example.rds.amazonaws.com\nUSER: admin\nPASSWORD: ${PASSWORD}\nDATABASE: pinterest_data_db\nPORT: 3306\n`
const creds = {host: 'db.example', port: 3306, user: 'admin', password: PASSWORD, database: 'pinterest_data_db', file: 'db_creds.yaml'}

function configError(work: () => unknown): ConfigError {
  try {
    work()
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return error as ConfigError
  }
  throw new Error('no error thrown')
}

describe('db_creds.yaml', () => {
  it('reads the five keys of db_creds.yaml; the port is a number', () => {
    expect(parseDbCreds(GOOD, 'db_creds.yaml')).toEqual({
      host: 'db.example.rds.amazonaws.com',
      user: 'admin',
      password: PASSWORD,
      database: 'pinterest_data_db',
      port: 3306,
      file: 'db_creds.yaml',
    })
  })

  it('keeps passwords YAML would turn into numbers or booleans exactly as written', () => {
    expect(parseDbCreds(GOOD.replace(PASSWORD, '0123'), 'f').password).toBe('0123')
    expect(parseDbCreds(GOOD.replace(PASSWORD, 'yes'), 'f').password).toBe('yes')
    expect(parseDbCreds(GOOD.replace(PASSWORD, "'it''s: quoted'"), 'f').password).toBe("it's: quoted")
  })

  it.each([
    ['HOST', GOOD.replace(/^HOST.*\n/m, '')],
    ['PASSWORD', GOOD.replace(/^PASSWORD.*\n/m, '')],
    ['PORT', GOOD.replace('PORT: 3306', 'PORT:')],
  ])('a missing %s is exit 2 naming the file and the key', (key, text) => {
    const error = configError(() => parseDbCreds(text, '/home/me/db_creds.yaml'))
    expect(error.message).toBe(`the database credentials file /home/me/db_creds.yaml has no ${key}`)
    expect(error.exitCode).toBe(ExitCode.config)
  })

  it('malformed YAML gives the position but never the line (it may hold the password)', () => {
    const error = configError(() => parseDbCreds(GOOD.replace(`PASSWORD: ${PASSWORD}`, `PASSWORD: ${PASSWORD}: x`), 'creds.yaml'))
    expect(error.message).toMatch(/^the database credentials file creds\.yaml is not valid YAML at line 3, column \d+ \(\w+\)$/)
    expect(`${error.message} ${error.hint}`).not.toContain(PASSWORD)
  })

  it('rejects a list, a nested value and a port that is not one', () => {
    const message = (text: string) => configError(() => parseDbCreds(text, 'f')).message
    expect(message('- a\n- b\n')).toContain('must be a YAML mapping of HOST, USER, PASSWORD, DATABASE, PORT')
    const nested = GOOD.replace('USER: admin', 'USER:\n  name: admin')
    expect(message(nested)).toBe('USER in the database credentials file f must be a single value')
    expect(message(GOOD.replace('3306', '99999'))).toContain('PORT in the database credentials file f must be a port number')
  })

  it('an unreadable file is exit 2 naming it', () => {
    const error = configError(() => readDbCreds('/nonexistent/db_creds.yaml'))
    expect(error.message).toBe('cannot read the database credentials file /nonexistent/db_creds.yaml: ENOENT')
  })

  it('the file comes from --db-creds, PINCTL_DB_CREDS or dbCreds, and is required for --source db', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pinctl-creds-'))
    writeFileSync(join(dir, 'pinctl.json'), JSON.stringify({dbCreds: '~/db_creds.yaml'}))
    const options = {cwd: dir, home: '/home/me', env: {}}
    expect(resolveConfig(options).dbCreds).toBe('/home/me/db_creds.yaml')
    expect(resolveConfig({...options, env: {PINCTL_DB_CREDS: '/env/creds.yaml'}}).dbCreds).toBe('/env/creds.yaml')
    expect(resolveConfig({...options, env: {PINCTL_DB_CREDS: '/env/creds.yaml'}, flags: {dbCreds: 'flag.yaml'}}).dbCreds).toBe('flag.yaml')
    const missing = configError(() => dbCredsFile(deriveDefaults({})))
    expect(missing.hint).toContain('--db-creds')
    expect(missing.hint).toContain('PINCTL_DB_CREDS')
  })
})

describe('rows to records', () => {
  const field = (type: string, text: string | null) => ({type, string: () => text})

  it('DATETIME, TIMESTAMP and DATE columns become ISO-8601 strings, other types are left to the driver', () => {
    const next = () => 'driver'
    expect(castField(field('DATETIME', '2019-05-12 13:45:07'), next)).toBe('2019-05-12T13:45:07')
    expect(castField(field('TIMESTAMP', '2021-01-02 03:04:05.250'), next)).toBe('2021-01-02T03:04:05.250')
    expect(castField(field('DATE', '2017-11-30'), next)).toBe('2017-11-30')
    expect(castField(field('DATETIME', null), next)).toBeNull()
    expect(castField(field('LONG', '5'), next)).toBe('driver')
  })

  it('a row becomes a JSON object with the same columns: dates as ISO, binary as text, big integers as numbers', () => {
    const record = rowToRecord({
      ind: 7528,
      timestamp: '2020-08-28T03:52:47',
      joined: new Date(Date.UTC(2015, 10, 10, 7, 20, 2)),
      follower_count: '5k',
      blob: Buffer.from('Zoë'),
      big: 12n,
      huge: 2n ** 64n,
      missing: null,
    })
    expect(record).toEqual({
      ind: 7528,
      timestamp: '2020-08-28T03:52:47',
      joined: '2015-11-10T07:20:02.000Z',
      follower_count: '5k',
      blob: 'Zoë',
      big: 12,
      huge: '18446744073709551616',
      missing: null,
    })
    expect(JSON.parse(JSON.stringify(record))).toEqual(record)
  })
})

describe('database errors', () => {
  const driverError = (code: string, sqlMessage?: string) => Object.assign(new Error(sqlMessage ?? code), {code, sqlMessage})

  it.each([
    ['ECONNREFUSED', undefined, 'cannot reach the database at db.example:3306: connection refused', 'security group'],
    ['ETIMEDOUT', undefined, 'the database at db.example:3306 did not answer within 7 s', 'security group'],
    ['ENOTFOUND', undefined, 'cannot resolve the database host db.example', 'check HOST in db_creds.yaml'],
    [
      'ER_ACCESS_DENIED_ERROR',
      "Access denied for user 'admin'@'10.0.0.1' (using password: YES)",
      "refused the login: Access denied for user 'admin'",
      'check USER, PASSWORD and DATABASE in db_creds.yaml',
    ],
    ['ER_BAD_DB_ERROR', "Unknown database 'pinterest_data_db'", 'database pinterest_data_db does not exist on db.example:3306', 'DATABASE'],
    ['ER_NO_SUCH_TABLE', "Table 'pinterest_data_db.user_data' doesn't exist", 'table user_data is not readable in database', 'names'],
  ])('%s is exit 5 with the cause and a hint', (code, sqlMessage, message, hint) => {
    const error = databaseError(driverError(code, sqlMessage), creds, 'user_data')
    expect(error).toBeInstanceOf(RemoteCommandError)
    expect(describeError(error)).toMatchObject({exitCode: ExitCode.remote})
    expect(error.message).toContain(message)
    expect(error.hint).toContain(hint)
  })

  it('masks the password wherever the driver repeats it', () => {
    const error = databaseError(driverError('ER_SOMETHING', `bad handshake for ${PASSWORD}`), creds)
    expect(error.message).toBe('the database at db.example:3306 failed: bad handshake for ******** (ER_SOMETHING)')
  })
})

describe('records from the database', () => {
  const fakeDb = (offsets: number[]) => ({
    rowAt: async (kind: 'pin' | 'geo' | 'user', offset: number) => {
      offsets.push(offset)
      return kind === 'pin' ? {index: offset * 10} : {ind: offset * 10}
    },
  })

  it('reads one random row number of all three tables per post; the same --seed gives the same rows', async () => {
    const first: number[] = []
    const next = databaseRecords(fakeDb(first), 1000, 42)
    const post = await next(0)
    expect(post).toEqual({pin: {index: first[0] * 10}, geo: {ind: first[0] * 10}, user: {ind: first[0] * 10}})
    for (let i = 1; i < 20; i++) await next(i)
    expect(new Set(first.slice(0, 3)).size).toBe(1)
    expect(first.every((offset) => Number.isInteger(offset) && offset >= 0 && offset < 1000)).toBe(true)
    const again: number[] = []
    const repeat = databaseRecords(fakeDb(again), 1000, 42)
    for (let i = 0; i < 20; i++) await repeat(i)
    expect(again).toEqual(first)
    const other: number[] = []
    const different = databaseRecords(fakeDb(other), 1000, 43)
    for (let i = 0; i < 20; i++) await different(i)
    expect(other).not.toEqual(first)
  })

  it("emulate posts what the source returns, as JSON objects, to each kind's topic", async () => {
    const sent: Array<{path: string; body: unknown}> = []
    const transport: ProxyTransport = async (_method, path, body) => {
      sent.push({path, body: JSON.parse(body!)})
      return {status: 200, body: JSON.stringify({offsets: [{partition: 0, offset: sent.length - 1}]})}
    }
    const rows = {pin: {index: 3, title: 'T'}, geo: {ind: 3, timestamp: '2019-09-26T09:36:49'}, user: {ind: 3, age: 44}}
    const topics = {pin: 'u.pin', geo: 'u.geo', user: 'u.user'}
    const result = await runEmulation(transport, {topics, count: 1, rate: 1000, seed: 1, records: async () => rows})
    expect(result).toMatchObject({posts: 1, sent: {pin: 1, geo: 1, user: 1}, failed: 0})
    expect(sent).toEqual([
      {path: '/topics/u.pin', body: {records: [{value: rows.pin}]}},
      {path: '/topics/u.geo', body: {records: [{value: rows.geo}]}},
      {path: '/topics/u.user', body: {records: [{value: rows.user}]}},
    ])
  })

  it('a database error in the middle of a run stops it with that error (exit 5), after the posts already sent', async () => {
    let posts = 0
    const transport: ProxyTransport = async () => {
      posts++
      return {status: 200, body: JSON.stringify({offsets: [{partition: 0, offset: 0}]})}
    }
    const lost = new RemoteCommandError('the database at db.example:3306 closed the connection: gone')
    const records = async (index: number) => {
      if (index === 2) throw lost
      return {pin: {index}, geo: {ind: index}, user: {ind: index}}
    }
    const topics = {pin: 'u.pin', geo: 'u.geo', user: 'u.user'}
    await expect(runEmulation(transport, {topics, count: 5, rate: 1000, seed: 1, records})).rejects.toBe(lost)
    expect(posts).toBe(6)
  })
})

describe("doctor's source layer", () => {
  it('is skipped without a creds file, and fails on a broken one naming the key', async () => {
    const detail = 'no database credentials file configured (--db-creds, PINCTL_DB_CREDS or dbCreds in the config)'
    expect(await sourceChecks(deriveDefaults({}))).toEqual([{layer: 'source', name: 'source', status: 'skip', detail}])
    const dir = mkdtempSync(join(tmpdir(), 'pinctl-creds-'))
    const file = join(dir, 'db_creds.yaml')
    writeFileSync(file, GOOD.replace(/^DATABASE.*\n/m, ''))
    const checks = await sourceChecks(deriveDefaults({dbCreds: file}))
    expect(checks.map((check) => `${check.name}:${check.status}`)).toEqual(['creds:fail', 'reachable:skip'])
    expect(checks[0].detail).toBe(`the database credentials file ${file} has no DATABASE`)
  })

  it('reachable names the address, and the security group in the fix', () => {
    expect(evaluateDbReachable({ok: true}, creds)).toMatchObject({status: 'ok', detail: 'TCP db.example:3306 accepts connections'})
    const refused = evaluateDbReachable({ok: false, code: 'ECONNREFUSED'}, creds)
    expect(refused).toMatchObject({status: 'fail', detail: 'db.example:3306 refused the connection'})
    expect(refused.fix).toContain('security group needs an inbound rule for port 3306')
    expect(evaluateDbReachable({ok: false, code: 'TIMEOUT'}, creds).detail).toBe('db.example:3306 not reachable (TIMEOUT)')
  })
})
