import {DeleteCustomPluginCommand, KafkaConnectClient} from '@aws-sdk/client-kafkaconnect'
import {CreateBucketCommand, S3Client} from '@aws-sdk/client-s3'
import {createConnection, type Connection, type RowDataPacket} from 'mysql2/promise'
import {randomBytes} from 'node:crypto'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {type AddressInfo, createServer} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {parse} from 'yaml'

import {ensureProvisioned, freePort, pinctl, sandboxEnv} from './harness.js'

/**
 * The source database end to end: rows of the sandbox's MariaDB (PINCTL_DB_CREDS) posted by `emulate --source db`
 * through the REST proxy to Kafka, copied to S3 by the Connect worker, read back with `pinctl objects` and
 * compared with the rows queried directly; then every bad input and fault with its exit code. The test has its
 * own user id, bucket, plugin and connector, so the demo's are left alone.
 */
const run = `db${randomBytes(3).toString('hex')}`
const bucket = `pinctl-${run}-bucket`
const pluginName = `${run}-plugin`
const connectorName = `${run}-connector`
const scratch = `pinctl_${run}`
const dir = mkdtempSync(join(tmpdir(), 'pinctl-source-db-'))
/** Every output of every pinctl run, searched for the password at the end. */
const outputs: string[] = []
let credsFile: string
let creds: {HOST: string; USER: string; PASSWORD: string; DATABASE: string; PORT: string}
let db: Connection
let pluginArn: string | undefined

async function cli(args: string[], env: Record<string, string> = {}) {
  const result = await pinctl(args, {env})
  outputs.push(String(result.stdout), String(result.stderr))
  return result
}

function json(result: {stdout?: unknown; stderr?: unknown; exitCode?: number}) {
  if (result.exitCode !== 0) throw new Error(`pinctl exited ${result.exitCode}: ${String(result.stdout)} ${String(result.stderr)}`)
  return JSON.parse(String(result.stdout))
}

/** A creds file like the sandbox's with some keys changed (undefined: left out). */
function credsWith(name: string, changes: Partial<Record<keyof typeof creds, string | undefined>>): string {
  const merged: Record<string, string | undefined> = {...creds, ...changes}
  const file = join(dir, name)
  const lines = Object.entries(merged)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}: '${value}'\n`)
  writeFileSync(file, lines.join(''))
  return file
}

const names = () => ['--user', run, '--bucket', bucket, '--plugin-name', pluginName, '--connector-name', connectorName]

beforeAll(async () => {
  sandboxEnv()
  credsFile = process.env.PINCTL_DB_CREDS ?? ''
  if (!credsFile) throw new Error('PINCTL_DB_CREDS is not set: the sandbox part 60-mariadb exports it (`eval "$(scripts/sandbox env)"`)')
  creds = parse(readFileSync(credsFile, 'utf8'), {schema: 'failsafe'})
  // The test's own client reads the tables as the server sends them (dates as text), independent of pinctl's.
  db = await createConnection({
    host: creds.HOST,
    port: Number(creds.PORT),
    user: creds.USER,
    password: creds.PASSWORD,
    database: creds.DATABASE,
    dateStrings: true,
  })
  await new S3Client({forcePathStyle: true}).send(new CreateBucketCommand({Bucket: bucket}))
  await ensureProvisioned()
  expect((await cli(['topics', 'create', '--user', run])).exitCode).toBe(0)
  const plugin = json(await cli(['connector', 'plugin', 'create', '--json', '--bucket', bucket, '--plugin-name', pluginName]))
  pluginArn = plugin.pluginArn
  const role = `${sandboxEnv().PINCTL_USER}-ec2-access-role`
  expect(json(await cli(['connector', 'create', '--json', ...names(), '--role', role]))).toMatchObject({state: 'RUNNING'})
}, 600_000)

afterAll(async () => {
  await pinctl(['connector', 'delete', '--yes', '--connector-name', connectorName])
  if (pluginArn) await new KafkaConnectClient({}).send(new DeleteCustomPluginCommand({customPluginArn: pluginArn})).catch(() => undefined)
  await db?.query(`DROP DATABASE IF EXISTS \`${scratch}\``).catch(() => undefined)
  await db?.end()
})

/** The row of a table with that index, as JSON carries it: datetimes as ISO-8601 (T between date and time). */
async function rowFromDb(table: string, column: string, value: unknown): Promise<Record<string, unknown>> {
  const [rows] = await db.query<RowDataPacket[]>(`SELECT * FROM \`${table}\` WHERE \`${column}\` = ?`, [value])
  expect(rows).toHaveLength(1)
  const row: Record<string, unknown> = {...rows[0]}
  for (const key of ['timestamp', 'date_joined']) if (typeof row[key] === 'string') row[key] = (row[key] as string).replace(' ', 'T')
  return row
}

describe('emulate --source db: MariaDB → REST proxy → Kafka → Connect → S3 → pinctl objects', () => {
  const kinds = [
    ['pin', 'pinterest_data', 'index'],
    ['geo', 'geolocation_data', 'ind'],
    ['user', 'user_data', 'ind'],
  ] as const
  const stored: Record<string, Array<{offset: number; value: Record<string, unknown>}>> = {}

  it('posts 5 rows of each table, and the objects in S3 hold exactly those rows, field by field', async () => {
    const posted = await cli(['emulate', '--source', 'db', '--user', run, '--count', '5', '--rate', '20', '--seed', '7'])
    expect(posted.exitCode, String(posted.stderr)).toBe(0)
    expect(String(posted.stderr)).toContain(`posting rows of ${creds.DATABASE} on ${creds.HOST}:${creds.PORT}`)
    expect(String(posted.stderr)).toContain('sent 5 pin, 5 geo, 5 user record(s); 0 failed')

    // The worker writes one object per record (flush.size=1) shortly after reading it: a bounded wait.
    const read = async (kind: string) => json(await cli(['objects', kind, ...names().slice(0, 4), '--json'])).records
    for (let i = 0; i < 90; i++) {
      for (const [kind] of kinds) stored[kind] = await read(kind)
      if (kinds.every(([kind]) => stored[kind].length === 5)) break
      await new Promise((resolve) => setTimeout(resolve, 1000))
    }
    for (const [kind, table, column] of kinds) {
      expect(stored[kind].map((record) => record.offset)).toEqual([4, 3, 2, 1, 0])
      for (const record of stored[kind]) expect(record.value).toEqual(await rowFromDb(table, column, record.value[column]))
    }
    // One post = the same row number of the three tables: the same index at the same offset.
    expect(stored.geo.map((record) => record.value.ind)).toEqual(stored.pin.map((record) => record.value.index))
    expect(stored.user.map((record) => record.value.ind)).toEqual(stored.pin.map((record) => record.value.index))
    expect(stored.geo[0].value.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/)

    const newest = await cli(['objects', 'geo', ...names().slice(0, 4), '--limit', '2', '--output', 'json'])
    const lines = String(newest.stdout).trim().split('\n')
    expect(lines.map((line) => JSON.parse(line))).toEqual(stored.geo.slice(0, 2).map((record) => expect.objectContaining(record)))
  }, 300_000)

  it('consume shows the same records as S3, in offset order', async () => {
    for (const [kind] of kinds) {
      const args = ['--user', run, '--from-beginning', '--max-messages', '5', '--group', `g${run}`, '--output', 'json']
      const consumed = await cli(['consume', kind, ...args])
      expect(consumed.exitCode, String(consumed.stderr)).toBe(0)
      const values = String(consumed.stdout)
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).value)
      expect(values).toEqual([...stored[kind]].reverse().map((record) => record.value))
    }
  }, 300_000)

  it("doctor's source layer reports the three tables and their row counts", async () => {
    const report = json(await cli(['doctor', '--layer', 'source', '--json']))
    const source = report.checks.filter((check: {layer: string}) => check.layer === 'source')
    const states = source.map((check: {name: string; status: string}) => `${check.name}:${check.status}`)
    expect(states).toEqual(['creds:ok', 'reachable:ok', 'login:ok', 'tables:ok'])
    const count = (table: string) => `(SELECT COUNT(*) FROM ${table})`
    const sql = `SELECT ${count('pinterest_data')} p, ${count('geolocation_data')} g, ${count('user_data')} u`
    const [[counts]] = await db.query<RowDataPacket[]>(sql)
    expect(source[3].detail).toBe(`rows: pinterest_data ${counts.p}, geolocation_data ${counts.g}, user_data ${counts.u}`)
    expect(Number(counts.p)).toBeGreaterThanOrEqual(1000)
  })
})

describe('emulate --source db: bad input and faults', () => {
  const emulate = (file: string, ...extra: string[]) =>
    cli(['emulate', '--source', 'db', '--db-creds', file, '--user', run, '--count', '1', ...extra])

  it('database not running (closed port): exit 5, connection refused, security group hint', async () => {
    const result = await emulate(credsWith('closed.yaml', {PORT: String(await freePort())}))
    expect(result.exitCode).toBe(5)
    expect(String(result.stderr)).toMatch(/error: cannot reach the database at 127\.0\.0\.1:\d+: connection refused/)
    expect(String(result.stderr)).toContain('security group')
  })

  it('a server that accepts but never answers: exit 5 after the connect timeout, not a hang', async () => {
    const silent = createServer(() => {})
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    try {
      const result = await emulate(credsWith('silent.yaml', {PORT: String((silent.address() as AddressInfo).port)}))
      expect(result.exitCode).toBe(5)
      expect(String(result.stderr)).toMatch(/error: the database at 127\.0\.0\.1:\d+ did not answer within 7 s/)
    } finally {
      silent.close()
    }
  })

  it('wrong password: exit 5, login refused (also with --debug and --json)', async () => {
    const file = credsWith('wrong.yaml', {PASSWORD: 'not-the-password'})
    for (const extra of [[], ['--debug'], ['--json']]) {
      const result = await emulate(file, ...extra)
      expect(result.exitCode).toBe(5)
      expect(`${result.stdout}${result.stderr}`).toContain(`refused the login: Access denied for user '${creds.USER}'`)
    }
    const doctor = await cli(['doctor', '--layer', 'source', '--db-creds', file, '--json'])
    expect(doctor.exitCode).toBe(6)
    const login = {layer: 'source', name: 'login', status: 'fail', fix: `check USER, PASSWORD and DATABASE in ${file}`}
    expect(JSON.parse(String(doctor.stdout)).checks).toContainEqual(expect.objectContaining(login))
  })

  it('unknown database: exit 5 naming it', async () => {
    const result = await emulate(credsWith('nodb.yaml', {DATABASE: `${scratch}_absent`}))
    expect(result.exitCode).toBe(5)
    expect(String(result.stderr)).toContain(`database ${scratch}_absent does not exist`)
  })

  it('a table missing: exit 5 naming the table, nothing posted', async () => {
    await db.query(`CREATE DATABASE \`${scratch}\``)
    for (const table of ['pinterest_data', 'geolocation_data']) {
      await db.query(`CREATE TABLE \`${scratch}\`.${table} AS SELECT * FROM ${creds.DATABASE}.${table} LIMIT 3`)
    }
    const result = await emulate(credsWith('notable.yaml', {DATABASE: scratch}))
    expect(result.exitCode).toBe(5)
    expect(String(result.stderr)).toContain(`table user_data is not readable in database ${scratch}`)
    expect(String(result.stderr)).toContain('check DATABASE in')
    expect(String(result.stderr)).not.toContain('posting')
  })

  it('malformed file, a missing key, no file, no file configured: exit 2 naming the file and key', async () => {
    const malformed = join(dir, 'malformed.yaml')
    writeFileSync(malformed, `HOST: 127.0.0.1\nPASSWORD: ${creds.PASSWORD}: oops\n`)
    const cases: Array<[string, string]> = [
      [malformed, `the database credentials file ${malformed} is not valid YAML at line 2`],
      [credsWith('nokey.yaml', {PASSWORD: undefined}), `the database credentials file ${join(dir, 'nokey.yaml')} has no PASSWORD`],
      [join(dir, 'absent.yaml'), `cannot read the database credentials file ${join(dir, 'absent.yaml')}: ENOENT`],
    ]
    for (const [file, message] of cases) {
      const result = await emulate(file, '--debug')
      expect(result.exitCode).toBe(2)
      expect(String(result.stderr)).toContain(message)
    }
    const unset = await cli(['emulate', '--source', 'db', '--user', run, '--count', '1'], {PINCTL_DB_CREDS: ''})
    expect(unset.exitCode).toBe(2)
    expect(String(unset.stderr)).toContain('pass --db-creds db_creds.yaml, or set PINCTL_DB_CREDS')
  })

  it('the password appears in no output of any run above', () => {
    expect(outputs.length).toBeGreaterThan(20)
    for (const output of outputs) {
      expect(output).not.toContain(creds.PASSWORD)
      expect(output).not.toContain('not-the-password')
    }
  })
})
